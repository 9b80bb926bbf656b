package dev.regimen.core.sweep;

import dev.regimen.api.train.History;
import dev.regimen.core.run.HistoryFiles;
import dev.regimen.core.run.RunFolder;
import dev.regimen.core.run.RunResults;
import dev.regimen.core.run.RunSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How one run of a sweep (or one run folder of a comparison) ended, with what the summary needs: its
 * final metrics and the curves of its first training.
 *
 * @param seed its seed
 * @param status how it ended
 * @param error why it failed (the run's own error line), or {@code null}
 * @param metrics its final metrics ({@link RunResults#metrics()}); empty unless finished
 * @param history the history of its first training ({@code history.json}); empty if none
 * @param wallSeconds how long it took, start of the process to its end; NaN if unknown
 * @param folder its run folder, or {@code null} if it made none
 */
public record RunOutcome(long seed, Status status, String error, Map<String, Double> metrics, History history,
    double wallSeconds, Path folder) {

  /** How a run ended. */
  public enum Status {
    /** It ran to the end; its results count. */
    FINISHED,
    /** The script failed, or the process died: recorded and reported, its results left out. */
    FAILED,
    /** A signal stopped it; a sweep started again resumes it. */
    INTERRUPTED,
    /** The sweep stopped before starting it. */
    NOT_RUN;

    /** As files and reports show it: {@code finished}, {@code failed}, {@code interrupted}, {@code not run}. */
    public String id() {
      return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    /** The status of an {@link #id()}. */
    public static Status parse(String id) {
      for (Status s : values()) {
        if (s.id().equals(id)) {
          return s;
        }
      }
      throw new IllegalArgumentException("Unknown run status '" + id + "'");
    }
  }

  public RunOutcome {
    Objects.requireNonNull(status, "status");
    metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    Objects.requireNonNull(history, "history");
  }

  /** A run that did not get a result, with why. */
  public static RunOutcome without(long seed, Status status, String error, double wallSeconds, Path folder) {
    return new RunOutcome(seed, status, error, Map.of(), new History(), wallSeconds, folder);
  }

  /**
   * Reads a run folder: its status from {@value RunFolder#RUN_JSON}, its metrics from
   * {@value RunFolder#RESULTS_JSON} (for a folder written before that file existed, the last epoch of
   * {@value RunFolder#HISTORY_JSON}, {@code lr} left out), its curves from {@value RunFolder#HISTORY_JSON}.
   *
   * @throws IllegalArgumentException if it is not a run folder
   */
  public static RunOutcome read(Path folder, double wallSeconds) {
    RunSettings settings = RunSettings.read(folder);
    long seed = settings.seed() == null ? 42 : settings.seed();
    String status = settings.status();
    History history = history(folder);
    if (RunSettings.INTERRUPTED.equals(status)) {
      return new RunOutcome(seed, Status.INTERRUPTED, null, Map.of(), history, wallSeconds, folder);
    }
    if (!RunSettings.FINISHED.equals(status)) {
      String error = status.startsWith("failed: ") ? status.substring("failed: ".length())
          : "the run ended without finishing (its run.json says " + status + ")";
      return new RunOutcome(seed, Status.FAILED, error, Map.of(), history, wallSeconds, folder);
    }
    Map<String, Double> metrics = RunResults.read(folder).map(RunResults::metrics).orElseGet(() -> lastEpoch(history));
    return new RunOutcome(seed, Status.FINISHED, null, metrics, history, wallSeconds, folder);
  }

  private static History history(Path folder) {
    Path file = folder.resolve(RunFolder.HISTORY_JSON);
    if (!Files.isRegularFile(file)) {
      return new History();
    }
    try {
      return HistoryFiles.readHistory(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static Map<String, Double> lastEpoch(History history) {
    Map<String, Double> out = new LinkedHashMap<>();
    if (history.epochs() > 0) {
      history.epoch(history.epochs() - 1).forEach((k, v) -> {
        if (!k.equals("lr")) {
          out.put(k, v);
        }
      });
    }
    return out;
  }
}
