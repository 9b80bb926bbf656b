package dev.regimen.core.run;

import dev.regimen.api.nn.Layer;
import dev.regimen.api.train.History;
import dev.regimen.api.train.Scheduler;
import dev.regimen.api.train.TrainingControl;
import dev.regimen.core.checkpoint.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Keeps a run folder's metrics current while training runs: a {@link Scheduler} that rewrites the
 * training's CSV and JSON history (see {@link HistoryFiles} for the formats) after every epoch, appends
 * the same scalars to a TensorBoard event file, and draws its curves into {@code plots/} when the
 * training ends.
 *
 * <p><b>TensorBoard.</b> One {@link EventFile} per recorder ({@code events.out.tfevents.<time>.<host>}
 * in the run folder, created when the first training starts) holds every epoch's metrics under their
 * names in {@value RunFolder#METRICS_CSV} ({@code loss}, {@code val_accuracy}, ...) at step = the epoch
 * from 1, and every training batch's loss as {@code batch/loss} at step = the global training step
 * ({@link TrainingControl#step()}), so {@code tensorboard --logdir runs/} shows each run folder as a run.
 * A training other than the primary one puts its label before its tags ({@code teacher/loss}). A value
 * recorded late (a diagnostic after this recorder's {@code onEpochEnd}) is added when the files are next
 * written. A resumed training writes a new file beside the interrupted process's, which it first trims
 * to the checkpoint (the values written after it are written again), so that TensorBoard, which reads
 * every event file of a folder in name order, sees one value per step.
 *
 * <p><b>Crash safety.</b> Each file is replaced atomically (written beside, fsynced, renamed over), so a
 * run that crashes, is killed or runs out of memory leaves complete files with every finished epoch; a
 * reader never sees half a file. The files are written at the end of every epoch, again at the start of
 * the next one if the history changed in between (a scheduler placed after this one in the list may
 * record diagnostics in its own {@code onEpochEnd}), and when training ends for any reason. A resumed
 * training starts from the restored history, so its files continue where the interrupted run's stopped.
 *
 * <p><b>Several trainings in one run.</b> A script may train several models (a teacher then a student,
 * a sweep over dropout rates). Every {@code Trainer.fit} that this recorder is a scheduler of is a
 * training of its own, named by a label: {@code training-1}, {@code training-2}... in the order they
 * start, or the label given to {@link #labelled(String)}. Files:
 * <ul>
 *   <li>the first training to start is the <em>primary</em> one and writes {@value RunFolder#METRICS_CSV},
 *       {@value RunFolder#HISTORY_JSON} and {@code plots/<family>.png}, so a run with one training (the
 *       usual case) has the short names;
 *   <li>every later one writes {@code metrics-<label>.csv}, {@code history-<label>.json} and
 *       {@code plots/<label>-<family>.png}.
 * </ul>
 * A label is used in file names with characters other than letters, digits, {@code . _ -} replaced by
 * {@code -} ({@link #fileLabel}); a label used twice gets {@code -2}, {@code -3}... Trainings may even
 * run at once on different threads: each {@link TrainingControl} is tracked separately.
 *
 * <p><b>Failures.</b> Writing metrics or drawing plots never fails the training: an I/O error or a
 * rendering error (no fonts on a stripped-down JVM) is logged once per training, and the history is still
 * in the checkpoints and in {@link #trainings()}.
 */
public final class RunRecorder implements Scheduler {
  private static final Logger LOG = LogManager.getLogger(RunRecorder.class);

  /** The TensorBoard tag of each training batch's loss (after a later training's label and a slash). */
  public static final String BATCH_LOSS = "batch/loss";

  /**
   * One training as recorded so far.
   *
   * @param label its label, as given or {@code training-<k>}
   * @param primary whether it writes the run's {@value RunFolder#METRICS_CSV}
   * @param metricsCsv its CSV file
   * @param historyJson its JSON file
   * @param history a copy of its history when {@link #trainings()} was called
   * @param model the model it trains (the live object)
   * @param plannedEpochs the epochs it was configured for (more than {@code history.epochs()} if it
   *     stopped early or is still running)
   * @param started when it started
   * @param ended when it ended, or {@code null} while it runs
   * @param plots the PNG files of its curves, once it ended
   * @param keptEpoch the epoch (from 0) whose weights the model held when it ended (early stopping's
   *     restored epoch; marked on the curves), -1 if unknown or while it runs
   */
  public record Training(
      String label,
      boolean primary,
      Path metricsCsv,
      Path historyJson,
      History history,
      Layer model,
      int plannedEpochs,
      Instant started,
      Instant ended,
      List<Path> plots,
      int keptEpoch) {
    public Training {
      plots = List.copyOf(plots);
    }

    /** Whether it has ended. */
    public boolean finished() {
      return ended != null;
    }
  }

  /** The mutable state behind a {@link Training}. */
  private static final class Entry {
    final String label;
    final boolean primary;
    final Path csv;
    final Path json;
    final String plotPrefix;
    History history;
    Layer model;
    int plannedEpochs;
    final Instant started;
    Instant ended;
    List<Path> plots = List.of();
    int keptEpoch = -1;
    long writtenFingerprint = -1;
    boolean writeFailed;
    /** The tag prefix in the event file: empty for the primary training, else the label and a slash. */
    final String tagPrefix;
    /** Per epoch, the metrics already in the event file. */
    final List<Set<String>> eventTags = new ArrayList<>();

    Entry(String label, boolean primary, Path root, Instant started) {
      this.label = label;
      this.primary = primary;
      String file = fileLabel(label);
      this.csv = root.resolve(primary ? RunFolder.METRICS_CSV : "metrics-" + file + ".csv");
      this.json = root.resolve(primary ? RunFolder.HISTORY_JSON : "history-" + file + ".json");
      this.plotPrefix = primary ? "" : file + "-";
      this.tagPrefix = primary ? "" : label + "/";
      this.started = started;
    }
  }

  private final Path root;
  private final Plots plots;
  private final List<Entry> entries = new ArrayList<>();
  private final Set<String> labels = new HashSet<>();
  private final Map<TrainingControl, Entry> running = new IdentityHashMap<>();
  private EventFile events;
  private boolean eventsFailed;

  /** Records into a run folder, drawing curves of the default size. */
  public RunRecorder(RunFolder folder) {
    this(folder.root(), new Plots());
  }

  /**
   * Records into {@code root} (metrics files there, curves in {@code root/plots}).
   *
   * @param plots how to draw the curves at the end of each training, or {@code null} for no plots
   */
  public RunRecorder(Path root, Plots plots) {
    this.root = Objects.requireNonNull(root, "root");
    this.plots = plots;
  }

  /** The folder the files go to. */
  public Path root() {
    return root;
  }

  /**
   * A scheduler that records the trainings it is given to under {@code label} (with {@code -2}... if it
   * is given to several), into the same run as this recorder. Give it instead of the recorder itself:
   * {@code schedulers: [recorder.labelled("teacher")]}.
   */
  public Scheduler labelled(String label) {
    Objects.requireNonNull(label, "label");
    if (label.isBlank()) {
      throw new IllegalArgumentException("A training label must not be blank");
    }
    return new Labelled(this, label.strip());
  }

  /** Whether a scheduler is a run recorder or one of its labelled views (the report leaves them out). */
  public static boolean isRecorder(Scheduler scheduler) {
    return scheduler instanceof RunRecorder || scheduler instanceof Labelled;
  }

  /** A view of a recorder that names the trainings it sees. */
  private static final class Labelled implements Scheduler {
    private final RunRecorder recorder;
    private final String label;

    Labelled(RunRecorder recorder, String label) {
      this.recorder = recorder;
      this.label = label;
    }

    @Override
    public void onTrainStart(TrainingControl control) {
      recorder.start(control, label);
    }

    @Override
    public void onEpochStart(TrainingControl control) {
      recorder.onEpochStart(control);
    }

    @Override
    public void onBatchEnd(TrainingControl control) {
      recorder.onBatchEnd(control);
    }

    @Override
    public void onEpochEnd(TrainingControl control) {
      recorder.onEpochEnd(control);
    }

    @Override
    public void onTrainEnd(TrainingControl control) {
      recorder.onTrainEnd(control);
    }

    @Override
    public String toString() {
      return "run recorder '" + label + "'";
    }
  }

  @Override
  public void onTrainStart(TrainingControl control) {
    start(control, null);
  }

  @Override
  public synchronized void onEpochStart(TrainingControl control) {
    Entry entry = running.get(control);
    if (entry != null) {
      write(entry, false);
    }
  }

  @Override
  public synchronized void onBatchEnd(TrainingControl control) {
    Entry entry = running.get(control);
    EventFile file = entry == null ? null : events();
    if (file == null) {
      return;
    }
    file.scalar(entry.tagPrefix + BATCH_LOSS, control.step(), control.batchLoss(), Instant.now());
    if (file.stale()) {
      flushEvents(entry);
    }
  }

  @Override
  public synchronized void onEpochEnd(TrainingControl control) {
    Entry entry = running.get(control);
    if (entry != null) {
      write(entry, true);
    }
  }

  @Override
  public synchronized void onTrainEnd(TrainingControl control) {
    Entry entry = running.remove(control);
    if (entry == null) {
      return;
    }
    entry.ended = Instant.now();
    entry.keptEpoch = control.weightsEpoch();
    write(entry, false);
    if (plots != null && entry.history.epochs() > 0) {
      try {
        entry.plots = plots.writeCurves(entry.history, root.resolve(RunFolder.PLOTS), entry.plotPrefix,
            entry.keptEpoch);
      } catch (IOException | RuntimeException | LinkageError | java.awt.AWTError e) {
        LOG.warn("Could not draw the curves of {} into {}: {}", entry.label, root.resolve(RunFolder.PLOTS),
            e.toString());
      }
    }
  }

  /** The TensorBoard event file, once the first training started (and unless it could not be created). */
  public synchronized Optional<Path> eventFile() {
    return events == null ? Optional.empty() : Optional.of(events.file());
  }

  /** Every training started so far, in start order, with copies of their histories. */
  public synchronized List<Training> trainings() {
    List<Training> out = new ArrayList<>();
    for (Entry e : entries) {
      out.add(new Training(e.label, e.primary, e.csv, e.json, copy(e.history), e.model, e.plannedEpochs, e.started,
          e.ended, e.plots, e.keptEpoch));
    }
    return out;
  }

  /** The primary training (the first started), if any. */
  public synchronized Optional<Training> primary() {
    List<Training> all = trainings();
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
  }

  @Override
  public String toString() {
    return "run recorder (" + root + ")";
  }

  private synchronized void start(TrainingControl control, String label) {
    String chosen = label != null ? label : "training-" + (entries.size() + 1);
    String unique = chosen;
    for (int k = 2; !labels.add(unique); k++) {
      unique = chosen + "-" + k;
    }
    Entry entry = new Entry(unique, entries.isEmpty(), root, Instant.now());
    entry.history = control.history();
    entry.model = control.model();
    entry.plannedEpochs = control.epochs();
    entries.add(entry);
    running.put(control, entry);
    if (entry.history.epochs() > 0) {
      resumeEvents(entry, control.step());
    }
    events();
    if (entry.history.epochs() > 0) {
      // Resumed: the files hold the restored epochs from the start.
      write(entry, true);
    }
  }

  /** Writes both files if forced or if the history changed since the last write. */
  private void write(Entry entry, boolean force) {
    long fingerprint = fingerprint(entry.history);
    if (!force && fingerprint == entry.writtenFingerprint) {
      return;
    }
    try {
      AtomicFiles.write(entry.csv, HistoryFiles.csv(entry.history).getBytes(StandardCharsets.UTF_8));
      AtomicFiles.write(entry.json, HistoryFiles.json(entry.label, entry.history).getBytes(StandardCharsets.UTF_8));
      entry.writtenFingerprint = fingerprint;
    } catch (IOException | RuntimeException e) {
      if (!entry.writeFailed) {
        entry.writeFailed = true;
        LOG.error("Could not write the metrics of {} to {}: {}; training goes on", entry.label, entry.csv,
            e.toString());
      }
    }
    EventFile file = events();
    if (file == null) {
      return;
    }
    Instant now = Instant.now();
    for (int e = 0; e < entry.history.epochs(); e++) {
      if (entry.eventTags.size() <= e) {
        entry.eventTags.add(new LinkedHashSet<>());
      }
      Set<String> written = entry.eventTags.get(e);
      for (Map.Entry<String, Double> value : entry.history.epoch(e).entrySet()) {
        if (written.add(value.getKey())) {
          file.scalar(entry.tagPrefix + value.getKey(), e + 1, value.getValue(), now);
        }
      }
    }
    flushEvents(entry);
  }

  /**
   * The event file, created on first use; null once it could not be created or written (logged once,
   * training goes on, and the CSV and JSON files still hold every metric).
   */
  private EventFile events() {
    if (eventsFailed) {
      return null;
    }
    if (events == null) {
      try {
        Files.createDirectories(root);
        events = EventFile.create(root, Instant.now());
      } catch (IOException | RuntimeException e) {
        eventsFailed = true;
        LOG.error("Could not create a TensorBoard event file in {}: {}; training goes on", root, e.toString());
      }
    }
    return events;
  }

  private void flushEvents(Entry entry) {
    try {
      events.flush();
    } catch (IOException | RuntimeException e) {
      if (!eventsFailed) {
        eventsFailed = true;
        LOG.error("Could not write the TensorBoard events of {} to {}: {}; training goes on", entry.label,
            events.file(), e.toString());
      }
    }
  }

  /**
   * A resumed training (restored epochs, the global step restored to {@code step}): the event files of the
   * interrupted process are trimmed to the checkpoint, dropping this training's epoch values past its
   * restored epochs and batch values past {@code step}, so that what the resumed training writes continues
   * them without a second value at any step; the restored epochs are then in those files, and only written
   * again if the folder had none.
   */
  private void resumeEvents(Entry entry, long step) {
    int epochs = entry.history.epochs();
    Set<String> epochTags = new HashSet<>();
    entry.history.metrics().forEach(m -> epochTags.add(entry.tagPrefix + m));
    String batchTag = entry.tagPrefix + BATCH_LOSS;
    boolean earlier = false;
    try {
      for (Path file : EventFile.list(root)) {
        if (events != null && file.equals(events.file())) {
          continue;
        }
        earlier = true;
        int dropped = EventFile.trim(file, (tag, s) -> (epochTags.contains(tag) && s > epochs)
            || (tag.equals(batchTag) && s > step));
        if (dropped > 0) {
          LOG.info("Dropped {} TensorBoard values of {} past its checkpoint from {}", dropped, entry.label,
              file.getFileName());
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("Could not trim the earlier TensorBoard event files in {}: {}", root, e.toString());
    }
    if (earlier) {
      for (int e = 0; e < epochs; e++) {
        entry.eventTags.add(new LinkedHashSet<>(entry.history.epoch(e).keySet()));
      }
    }
  }

  /** Changes when an epoch or a value is added (values overwritten in place are not noticed). */
  private static long fingerprint(History history) {
    long values = 0;
    for (int e = 0; e < history.epochs(); e++) {
      values += history.epoch(e).size();
    }
    return history.epochs() * 1_000_003L + values;
  }

  private static History copy(History history) {
    History out = new History();
    for (int e = 0; e < history.epochs(); e++) {
      int epoch = e;
      history.epoch(e).forEach((k, v) -> out.record(epoch, k, v));
    }
    return out;
  }

  /**
   * A label as used in file names: characters other than ASCII letters, digits, {@code . _ -} become
   * {@code -}; {@code training} if nothing is left.
   */
  public static String fileLabel(String label) {
    String safe = label.strip().replaceAll("[^A-Za-z0-9._-]", "-");
    return safe.isEmpty() || safe.chars().allMatch(c -> c == '.') ? "training" : safe;
  }
}
