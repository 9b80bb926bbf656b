package dev.regimen.core.script;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;

/**
 * Runs script files: {@code run(script, options)} makes a context for the script's language (by its
 * extension), gives it the Regimen API and nothing else, runs it to the end, closes the context and
 * returns what the script trained. A failure is a {@link ScriptException} naming the script's file and
 * line; {@code --set} keys the script never asked for become warnings (printed to its error stream
 * and listed in the result).
 *
 * <p>JavaScript scripts find the API in the global {@code rg}; Python scripts
 * {@code import regimen as rg}.
 *
 * <p>{@link #interrupt()} (Ctrl-C) stops a run from another thread: running trainers stop at the
 * next batch boundary (saving their {@code last/} checkpoint), the next API call ends the script, and
 * if the script does not return within {@link #INTERRUPT_GRACE} the context is interrupted, and
 * cancelled as a last resort. An interrupted run returns normally, with
 * {@link ScriptResult#interrupted()} set and the trainings so far.
 *
 * <p>One runner runs one script at a time; runs on different runners share the {@link ScriptHost}.
 */
public final class ScriptRunner {
  /** How long an interrupted run gets to stop by itself before its context is interrupted. */
  public static final Duration INTERRUPT_GRACE = Duration.ofSeconds(30);

  private static final String MODULE = "regimen.py";
  private static final String BOOTSTRAP = "bootstrap.py";
  /** The path at the end of a Python {@code OSError}'s message: {@code ...: 'path'}. */
  private static final Pattern QUOTED_PATH = Pattern.compile("'([^']*)'\\s*$");

  private final ScriptHost host;
  /** The run being set up (its context not made yet), so that an early interrupt is not lost. */
  private volatile ScriptRuntime starting;
  private volatile ActiveRun current;

  /** A runner on the JVM's shared {@link ScriptHost}. */
  public ScriptRunner() {
    this(ScriptHost.shared());
  }

  public ScriptRunner(ScriptHost host) {
    this.host = host;
  }

  /** The run in progress, with its context, for {@link #interrupt()}. */
  private record ActiveRun(ScriptRuntime runtime, Context context) {}

  /**
   * Runs a script to its end.
   *
   * @throws ScriptException if the script failed (an error in it, or something Regimen refused)
   * @throws IllegalArgumentException if the file is not a {@code .js} or {@code .py} script
   */
  public ScriptResult run(Path script, RunOptions options) {
    ScriptLanguage language = ScriptLanguage.of(script);
    Path file = script.toAbsolutePath().normalize();
    String source;
    try {
      source = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ScriptException(file, 0, "IOException", "Cannot read the script: " + e.getMessage(), e);
    }
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    OutputStream outStream = options.out() != null ? options.out() : captured;
    OutputStream errStream = options.err() != null ? options.err() : outStream;
    PrintStream out = ScriptRuntime.print(new ScriptHost.NonClosing(outStream));
    PrintStream err = ScriptRuntime.print(new ScriptHost.NonClosing(errStream));
    ScriptRuntime runtime = new ScriptRuntime(file, language, options, out, err);
    boolean interrupted = false;
    starting = runtime;
    try (Context context = host.newContext(language, file.getParent(), runtime.files(), options.allowHostAccess(),
        outStream, errStream)) {
      current = new ActiveRun(runtime, context);
      starting = null;
      try {
        runtime.checkNotInterrupted();
        if (language == ScriptLanguage.JAVASCRIPT) {
          runJavaScript(context, runtime, file, source);
        } else {
          runPython(context, runtime, file, source);
        }
      } catch (PolyglotException e) {
        if (!(runtime.interrupted() || e.isInterrupted() || e.isCancelled())) {
          throw translate(e, runtime, file);
        }
        interrupted = true;
      } catch (ScriptException | ScriptInterruptedException e) {
        if (!runtime.interrupted()) {
          throw e;
        }
        interrupted = true;
      }
    } catch (IllegalStateException e) {
      // Closing a context that an interrupt cancelled.
      if (!runtime.interrupted()) {
        throw e;
      }
      interrupted = true;
    } finally {
      current = null;
      starting = null;
      out.flush();
      err.flush();
    }
    interrupted |= runtime.interrupted();
    List<String> warnings = new java.util.ArrayList<>(runtime.warnings());
    warnings.addAll(runtime.unusedParamWarnings());
    for (String w : warnings) {
      err.println("warning: " + w);
    }
    err.flush();
    String output = options.out() != null ? "" : captured.toString(StandardCharsets.UTF_8);
    return new ScriptResult(runtime.trainings(), runtime.evaluations(), runtime.usedParams(), output, warnings,
        interrupted);
  }

  private static void runJavaScript(Context context, ScriptRuntime runtime, Path file, String source) {
    context.getBindings("js").putMember("rg", new RegimenApi(runtime));
    Source src;
    try {
      src = Source.newBuilder("js", file.toFile()).content(source).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    context.eval(src);
  }

  private static void runPython(Context context, ScriptRuntime runtime, Path file, String source) {
    Source boot = Source.newBuilder("python", resource(BOOTSTRAP), "<regimen-bootstrap>").internal(true).buildLiteral();
    Value run = context.eval(boot);
    PythonBridge bridge = new PythonBridge(runtime);
    Value failure = run.execute(new RegimenApi(runtime), bridge, resource(MODULE), source, file.toString(),
        file.getParent().toString());
    if (failure == null || failure.isNull()) {
      return;
    }
    String type = ScriptAugmenter.field(failure, "type").asString();
    String message = ScriptAugmenter.field(failure, "message").asString();
    Value where = ScriptAugmenter.field(failure, "file");
    Value line = ScriptAugmenter.field(failure, "line");
    boolean regimen = ScriptAugmenter.field(failure, "regimen").asBoolean();
    if ("PermissionError".equals(type)) {
      // GraalPy's "[Errno 1] Operation not permitted: 'path'" for a file the sandbox refused: say why.
      Matcher quoted = QUOTED_PATH.matcher(message);
      if (quoted.find()) {
        message = runtime.files().refusalOf(quoted.group(1)).orElse(message);
      }
    }
    message = ScriptErrors.sandboxRefusal(message).orElse(message);
    Throwable cause = regimen ? runtime.lastHostError() : null;
    throw new ScriptException(where == null ? file : Path.of(where.asString()), line == null ? 0 : line.asInt(),
        cause != null ? cause.getClass().getSimpleName() : type, message, cause);
  }

  /** A script error as file, line and message; Regimen's own message when Regimen threw. */
  static ScriptException translate(PolyglotException e, ScriptRuntime runtime, Path file) {
    SourceSection location = null;
    if (!e.isHostException()) {
      location = e.getSourceLocation();
    }
    if (location == null || !location.isAvailable()) {
      location = innermostScriptFrame(e, file);
    }
    Path where = location != null && location.getSource().getPath() != null
        ? Path.of(location.getSource().getPath()) : file;
    int line = ScriptErrors.line(location);
    if (e.isHostException()) {
      Throwable t = e.asHostException();
      return new ScriptException(where, line, ScriptErrors.type(t), ScriptErrors.describe(t), t);
    }
    String type = e.isSyntaxError() ? "SyntaxError" : guestType(e);
    String message = ScriptErrors.sandboxRefusal(e.getMessage())
        .or(() -> ScriptCalls.fromInteropMessage(e.getMessage()))
        .orElse(e.getMessage());
    return new ScriptException(where, line, type, message, e);
  }

  private static SourceSection innermostScriptFrame(PolyglotException e, Path file) {
    SourceSection any = null;
    for (PolyglotException.StackFrame frame : e.getPolyglotStackTrace()) {
      if (!frame.isGuestFrame() || frame.getSourceLocation() == null || !frame.getSourceLocation().isAvailable()) {
        continue;
      }
      SourceSection s = frame.getSourceLocation();
      if (ScriptErrors.sameFile(s, file.toString())) {
        return s;
      }
      if (any == null && s.getSource().getPath() != null) {
        any = s;
      }
    }
    return any;
  }

  private static String guestType(PolyglotException e) {
    String message = e.getMessage();
    if (message != null) {
      int colon = message.indexOf(':');
      if (colon > 0 && message.substring(0, colon).matches("[A-Za-z_][A-Za-z0-9_.]*")) {
        return message.substring(0, colon);
      }
    }
    return "Error";
  }

  private static String resource(String name) {
    try (InputStream in = ScriptRunner.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("The resource " + name + " is missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Stops the run in progress (Ctrl-C), from any thread; returns at once. Trainers stop at the next
   * batch boundary and save their {@code last/} checkpoint; the script is then stopped at its next
   * Regimen call, or by interrupting its context after {@link #INTERRUPT_GRACE}.
   */
  public void interrupt() {
    ActiveRun run = current;
    if (run == null) {
      ScriptRuntime setUp = starting;
      if (setUp != null) {
        setUp.interrupt();
      }
      return;
    }
    run.runtime().interrupt();
    Thread watchdog = new Thread(() -> stop(run), "regimen-script-interrupt");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  private void stop(ActiveRun run) {
    try {
      run.runtime().awaitTrainers(INTERRUPT_GRACE.toMillis());
      if (current != run) {
        return;
      }
      run.context().interrupt(INTERRUPT_GRACE);
    } catch (TimeoutException e) {
      try {
        run.context().close(true);
      } catch (RuntimeException ignored) {
        // Already closed by its owner.
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // The context closed while we waited: the run has ended.
    }
  }
}
