package dev.regimen.core.run;

import java.beans.PropertyChangeEvent;
import java.beans.PropertyChangeListener;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.FileAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * The folder one {@code regimen run} writes everything into: {@code <parent>/<script>-<yyyyMMdd-HHmmss>/}
 * with the console log ({@value #RUN_LOG}), how the run was started ({@value #RUN_JSON}, see
 * {@link RunSettings}), the metrics ({@value #METRICS_CSV}, {@value #HISTORY_JSON} and a TensorBoard
 * {@link EventFile}, see {@link RunRecorder}), the results ({@value #RESULTS_JSON}, see
 * {@link RunResults}), {@value #CHECKPOINTS}/, {@value #PLOTS}/ and {@value #REPORT_HTML}.
 *
 * <p>The name is the script's file name without its extension and the local start time, so runs sort by
 * time within a script and a folder says what made it. Two runs of one script started in the same second
 * (a loop in a shell, parallel jobs) get {@code -2}, {@code -3}... appended; the folder is claimed with an
 * atomic {@code mkdir}, so concurrent processes never share one.
 *
 * <p>While open, a Log4j 2 file appender copies every log event that reaches the console (the trainer's
 * epoch lines, the script's {@code console.log}, warnings from plugins) into {@value #RUN_LOG}, so a run
 * folder is a complete record even when the console scrolled away. The appender is added
 * programmatically to the root logger and to every non-additive logger of the current configuration,
 * is re-added if Log4j is reconfigured during the run, and is removed and flushed by {@link #close()}.
 * Every event logged in the JVM while the folder is open goes there, so two runs at once in one JVM
 * would see each other's lines; a CLI runs one script per JVM.
 *
 * <p>Only the root folder is created eagerly; {@link #checkpoints()} and {@link #plots()} are paths that
 * the trainer, {@link RunRecorder} and {@link Plots} create when they first write there, so a script that
 * never trains leaves no empty folders.
 */
public final class RunFolder implements Closeable {
  /** The default parent folder, relative to the working directory, when the CLI gets no {@code --out}. */
  public static final Path DEFAULT_PARENT = Path.of("runs");

  public static final String RUN_LOG = "run.log";
  public static final String RUN_JSON = "run.json";
  public static final String METRICS_CSV = "metrics.csv";
  public static final String HISTORY_JSON = "history.json";
  public static final String RESULTS_JSON = "results.json";
  public static final String CHECKPOINTS = "checkpoints";
  public static final String PLOTS = "plots";
  public static final String REPORT_HTML = "report.html";

  /** The time stamp in folder names: local time, to the second, sortable as text. */
  public static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  /** The layout of {@value #RUN_LOG}: full date (a run can pass midnight), level, short logger name. */
  static final String LOG_PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level %c{1} - %msg%n%throwable";

  private static final AtomicInteger APPENDER_IDS = new AtomicInteger();
  private static final int MAX_SUFFIX = 10_000;

  private final Path root;
  private final String scriptName;
  private final String scriptFile;
  private final Instant started;
  private final LogAttachment log;

  private RunFolder(Path root, String scriptName, String scriptFile, Instant started, boolean captureLog) {
    this.root = root;
    this.scriptName = scriptName;
    this.scriptFile = scriptFile;
    this.started = started;
    this.log = captureLog ? new LogAttachment(root.resolve(RUN_LOG)) : null;
  }

  /**
   * Creates {@code <parent>/<script>-<now>/} (the parent too if missing) and starts copying the log into
   * its {@value #RUN_LOG}.
   *
   * @param parent {@link #DEFAULT_PARENT} or the CLI's {@code --out}
   * @param script the script's path or file name; only its file name without extension is used
   */
  public static RunFolder create(Path parent, String script) {
    return create(parent, script, LocalDateTime.now(), true);
  }

  /**
   * As {@link #create(Path, String)}, at a given local time, optionally without the log capture (tests
   * and tools that only want the layout).
   */
  public static RunFolder create(Path parent, String script, LocalDateTime time, boolean captureLog) {
    Objects.requireNonNull(parent, "parent");
    Objects.requireNonNull(time, "time");
    String base = baseName(script);
    Path root = createStamped(parent, base, time);
    return new RunFolder(root, base, fileName(script), time.atZone(ZoneId.systemDefault()).toInstant(), captureLog);
  }

  /**
   * Creates {@code <parent>/<base>-<yyyyMMdd-HHmmss>/} (the parent too if missing), with {@code -2},
   * {@code -3}... appended when that name is taken, claimed with an atomic {@code mkdir}: the naming of
   * run folders, for other folders of the same kind (a sweep's). {@code base} is used as it is.
   */
  public static Path createStamped(Path parent, String base, LocalDateTime time) {
    String name = base + "-" + TIMESTAMP.format(time);
    try {
      Files.createDirectories(parent);
      for (int suffix = 1; suffix <= MAX_SUFFIX; suffix++) {
        Path candidate = parent.resolve(suffix == 1 ? name : name + "-" + suffix);
        try {
          return Files.createDirectory(candidate);
        } catch (FileAlreadyExistsException taken) {
          // Another run of the same script in the same second: try the next suffix.
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create a run folder under " + parent.toAbsolutePath() + ": " + e, e);
    }
    throw new UncheckedIOException(new IOException("Cannot create a run folder under " + parent.toAbsolutePath()
        + ": " + name + " and its suffixes up to -" + MAX_SUFFIX + " all exist"));
  }

  /**
   * Opens an existing run folder to continue a run in it ({@code regimen resume}): the log is appended
   * to its {@value #RUN_LOG}, and the metrics, checkpoints and report are rewritten in place.
   *
   * @param root the run folder
   * @param script the script's path or file name, as given to {@link #create(Path, String)}
   * @param started when the run first started
   * @throws UncheckedIOException if {@code root} is not a folder
   */
  public static RunFolder open(Path root, String script, Instant started) {
    if (!Files.isDirectory(root)) {
      throw new UncheckedIOException(new NoSuchFileException(root + " is not a folder"));
    }
    return new RunFolder(root, baseName(script), fileName(script), started, true);
  }

  /**
   * The name a run folder starts with: the file name of {@code script} without its last extension
   * ({@code scripts/mnist.cnn.js} gives {@code mnist.cnn}), with characters that are unsafe in file names
   * on some system replaced by {@code _}; {@code run} for an empty name.
   */
  public static String baseName(String script) {
    Objects.requireNonNull(script, "script");
    String file = fileName(script);
    int dot = file.lastIndexOf('.');
    if (dot > 0) {
      file = file.substring(0, dot);
    }
    String safe = file.replaceAll("[^A-Za-z0-9._+-]", "_");
    return safe.isEmpty() || safe.chars().allMatch(c -> c == '.') ? "run" : safe;
  }

  private static String fileName(String script) {
    String file = script.replace('\\', '/');
    file = file.substring(file.lastIndexOf('/') + 1);
    return file.isEmpty() ? "run" : file;
  }

  /** The run folder itself. */
  public Path root() {
    return root;
  }

  /** The folder's name, {@code <script>-<yyyyMMdd-HHmmss>[-k]}. */
  public String name() {
    return root.getFileName().toString();
  }

  /** The script's name without extension, as in the folder name. */
  public String scriptName() {
    return scriptName;
  }

  /** The script's file name with its extension ({@code quickstart.js}), as the report's title shows it. */
  public String scriptFile() {
    return scriptFile;
  }

  /** When the run started (the time in the folder name). */
  public Instant started() {
    return started;
  }

  /** {@value #RUN_LOG}: the copy of the console log. */
  public Path log() {
    return root.resolve(RUN_LOG);
  }

  /** The checkpoint folder of the first (or only) training; give it to {@code TrainerConfig.checkpointDir}. */
  public Path checkpoints() {
    return root.resolve(CHECKPOINTS);
  }

  /**
   * The checkpoint folder of another training of the same run, {@code checkpoints/<label>/}, so that its
   * {@code last/} and {@code best/} do not overwrite the first training's.
   */
  public Path checkpoints(String label) {
    return checkpoints().resolve(RunRecorder.fileLabel(label));
  }

  /** The folder of the PNG figures. */
  public Path plots() {
    return root.resolve(PLOTS);
  }

  /** {@value #REPORT_HTML}. */
  public Path report() {
    return root.resolve(REPORT_HTML);
  }

  /** A path inside the run folder. */
  public Path resolve(String relative) {
    return root.resolve(relative);
  }

  /** Whether {@value #RUN_LOG} is being written. */
  public boolean capturesLog() {
    return log != null && log.attached();
  }

  /** Stops copying the log into {@value #RUN_LOG} (flushing it); the folder and its files stay. Idempotent. */
  @Override
  public void close() {
    if (log != null) {
      log.detach();
    }
  }

  @Override
  public String toString() {
    return root.toString();
  }

  /**
   * The file appender and where it is attached. Log4j replaces its whole {@link Configuration} on a
   * reconfiguration (a changed config file, {@code Configurator.setLevel} on some versions), which would
   * silently drop an appender added by code; a listener on the context re-attaches it to the new one.
   */
  private static final class LogAttachment implements PropertyChangeListener {
    private final LoggerContext context;
    private final FileAppender appender;
    private final List<LoggerConfig> attachedTo = new ArrayList<>();
    private boolean closed;

    LogAttachment(Path file) {
      this.context = (LoggerContext) LogManager.getContext(false);
      Configuration config = context.getConfiguration();
      this.appender = FileAppender.newBuilder()
          .setName("regimen-run-log-" + APPENDER_IDS.incrementAndGet())
          .setFileName(file.toAbsolutePath().toString())
          .setAppend(true)
          .setImmediateFlush(true)
          .setLayout(PatternLayout.newBuilder().setPattern(LOG_PATTERN).setConfiguration(config).build())
          .setConfiguration(config)
          .build();
      if (appender == null) {
        throw new IllegalStateException("Log4j could not create a file appender for " + file);
      }
      appender.start();
      synchronized (this) {
        attach(config);
      }
      context.addPropertyChangeListener(this);
    }

    synchronized boolean attached() {
      return !closed;
    }

    /** Adds the appender to the root and to every logger that does not pass events on to the root. */
    private void attach(Configuration config) {
      attachedTo.clear();
      for (LoggerConfig logger : config.getLoggers().values()) {
        if (!logger.isAdditive() || logger == config.getRootLogger()) {
          logger.addAppender(appender, null, null);
          attachedTo.add(logger);
        }
      }
      if (!attachedTo.contains(config.getRootLogger())) {
        config.getRootLogger().addAppender(appender, null, null);
        attachedTo.add(config.getRootLogger());
      }
      context.updateLoggers(config);
    }

    @Override
    public synchronized void propertyChange(PropertyChangeEvent event) {
      if (!closed && LoggerContext.PROPERTY_CONFIG.equals(event.getPropertyName())
          && event.getNewValue() instanceof Configuration fresh) {
        attach(fresh);
      }
    }

    synchronized void detach() {
      if (closed) {
        return;
      }
      closed = true;
      context.removePropertyChangeListener(this);
      for (LoggerConfig logger : attachedTo) {
        logger.removeAppender(appender.getName());
      }
      attachedTo.clear();
      context.updateLoggers();
      appender.stop();
    }
  }
}
