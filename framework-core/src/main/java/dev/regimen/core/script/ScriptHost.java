package dev.regimen.core.script;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.io.FileSystem;
import org.graalvm.polyglot.io.IOAccess;

/**
 * The GraalVM engine that script runs share, and the contexts made from it: one long-lived
 * {@link Engine} (so that languages initialize once and code caches are shared) and a short-lived
 * {@link Context} per run, which the run's owner closes.
 *
 * <p>GraalVM ties a context's sandbox policy to its engine's, so there are two engines, each made on
 * first use: a {@link SandboxPolicy#CONSTRAINED} one for ordinary runs and a
 * {@link SandboxPolicy#TRUSTED} one for runs with {@code --allow-host-access}. A sandboxed context
 * sees only members annotated {@link HostAccess.Export} (and the proxies the API returns), cannot look
 * up Java classes, start processes or threads, use native code, read the environment or evaluate
 * other languages, and reaches files only through a {@link SandboxFileSystem}.
 *
 * <p>A language's first context in an engine is slow to start (GraalPy's takes seconds: it builds
 * its built-in modules and runs its start-up Python code), later ones fast, since they share the
 * engine's code. {@link #prepare} starts the language in a throwaway context in the background, so
 * that the CLI loads its plugins meanwhile and the run's context, made next, starts fast.
 *
 * <p>The engines run interpreted on a stock JDK; the warning GraalVM prints about that once per
 * engine is switched off here ({@code engine.WarnInterpreterOnly}).
 */
public final class ScriptHost implements AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(ScriptHost.class);
  private static final ScriptHost SHARED = new ScriptHost();

  private Engine sandboxed;
  private Engine trusted;
  private boolean closed;
  /** The languages started by {@link #prepare}, by language id and policy ("python sandboxed"). */
  private final Map<String, CompletableFuture<Void>> prepared = new HashMap<>();

  /** A host of one's own; most callers use {@link #shared()}. */
  public ScriptHost() {}

  /** The host of this JVM, whose engines live until the JVM exits (or it is closed). */
  public static ScriptHost shared() {
    return SHARED;
  }

  /** The engine for a policy, made on first use. */
  synchronized Engine engine(boolean allowHostAccess) {
    if (closed) {
      throw new IllegalStateException("The script host is closed");
    }
    if (allowHostAccess) {
      if (trusted == null) {
        trusted = newEngine(SandboxPolicy.TRUSTED);
      }
      return trusted;
    }
    if (sandboxed == null) {
      sandboxed = newEngine(SandboxPolicy.CONSTRAINED);
    }
    return sandboxed;
  }

  private static Engine newEngine(SandboxPolicy policy) {
    return Engine.newBuilder(ScriptLanguage.JAVASCRIPT.id(), ScriptLanguage.PYTHON.id())
        .sandbox(policy)
        .out(new NonClosing(System.out))
        .err(new NonClosing(System.err))
        .option("engine.WarnInterpreterOnly", "false")
        .build();
  }

  /**
   * Starts a language in the background for a run to come, in a throwaway context of the engine
   * that the run will use (sandboxed, reading only the working folder, evaluating {@code 1 + 1});
   * returns at once. The next {@link #newContext} for that language and policy waits for it to
   * finish, then starts in a fraction of the time. A failure here is only logged: the run's own
   * context meets and reports it. Calling it again for the same language and policy does nothing.
   */
  public void prepare(ScriptLanguage language, boolean allowHostAccess) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    synchronized (this) {
      if (closed || prepared.putIfAbsent(key(language, allowHostAccess), done) != null) {
        return;
      }
    }
    Thread thread = new Thread(() -> {
      try {
        Path dir = Path.of("").toAbsolutePath();
        try (Context context = buildContext(language, dir, FileAccess.of(dir, List.of(dir), List.of(), false),
            allowHostAccess, OutputStream.nullOutputStream(), OutputStream.nullOutputStream())) {
          context.eval(language.id(), "1 + 1");
        }
        done.complete(null);
      } catch (RuntimeException | Error e) {
        LOG.debug("Starting {} in the background failed; the run's own context will report it", language, e);
        done.completeExceptionally(e);
      }
    }, "regimen-" + language.id() + "-start");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Waits for {@link #prepare} of this language and policy, if it was called; true if it was and the
   * language started.
   */
  private boolean awaitPrepared(ScriptLanguage language, boolean allowHostAccess) {
    CompletableFuture<Void> done;
    synchronized (this) {
      done = prepared.get(key(language, allowHostAccess));
    }
    return done != null && done.handle((ok, failure) -> failure == null).join();
  }

  private static String key(ScriptLanguage language, boolean allowHostAccess) {
    return language.id() + (allowHostAccess ? " trusted" : " sandboxed");
  }

  /**
   * A context for one run; the caller owns and closes it.
   *
   * @param language the script's language (only that language can be evaluated in it)
   * @param workingDir the folder relative paths are resolved against (the script's folder)
   * @param files what the script may read and write when sandboxed
   * @param allowHostAccess whether the sandbox is lifted ({@code --allow-host-access})
   */
  Context newContext(ScriptLanguage language, Path workingDir, FileAccess files, boolean allowHostAccess,
      OutputStream out, OutputStream err) {
    awaitPrepared(language, allowHostAccess);
    return buildContext(language, workingDir, files, allowHostAccess, out, err);
  }

  private Context buildContext(ScriptLanguage language, Path workingDir, FileAccess files, boolean allowHostAccess,
      OutputStream out, OutputStream err) {
    Context.Builder builder = Context.newBuilder(language.id())
        .engine(engine(allowHostAccess))
        .out(new NonClosing(out))
        .err(new NonClosing(err))
        .in(InputStream.nullInputStream())
        .currentWorkingDirectory(workingDir.toAbsolutePath());
    if (allowHostAccess) {
      builder.sandbox(SandboxPolicy.TRUSTED)
          .allowHostAccess(HostAccess.ALL)
          .allowHostClassLookup(className -> true)
          .allowIO(IOAccess.ALL)
          .allowCreateThread(true)
          .allowCreateProcess(true)
          .allowEnvironmentAccess(EnvironmentAccess.INHERIT);
    } else {
      FileSystem fs = FileSystem.allowInternalResourceAccess(new SandboxFileSystem(files));
      builder.sandbox(SandboxPolicy.CONSTRAINED)
          .allowHostAccess(HostAccess.newBuilder(HostAccess.CONSTRAINED).build())
          .allowPolyglotAccess(PolyglotAccess.NONE)
          .allowIO(IOAccess.newBuilder().fileSystem(fs).build());
    }
    return builder.build();
  }

  /**
   * Starts each script language ({@link #prepare}, sandboxed) and waits until both have started:
   * afterwards the JVM has loaded the classes that starting either language needs. The launcher has
   * this done before a JVM that writes its class-data archive exits, so that the archive serves
   * JavaScript and Python runs alike whichever the first run was.
   *
   * @return whether both started (a failure is logged at debug level)
   */
  public boolean warmUp() {
    for (ScriptLanguage language : ScriptLanguage.values()) {
      prepare(language, false);
    }
    boolean started = true;
    for (ScriptLanguage language : ScriptLanguage.values()) {
      started &= awaitPrepared(language, false);
    }
    return started;
  }

  /** Closes the engines; contexts still open are cancelled. */
  @Override
  public synchronized void close() {
    closed = true;
    if (sandboxed != null) {
      sandboxed.close(true);
      sandboxed = null;
    }
    if (trusted != null) {
      trusted.close(true);
      trusted = null;
    }
  }

  /**
   * A stream that the context may close without closing the stream underneath (System.out, the CLI's
   * log); GraalVM's sandbox also requires streams other than the JVM's own standard streams.
   */
  static final class NonClosing extends FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
