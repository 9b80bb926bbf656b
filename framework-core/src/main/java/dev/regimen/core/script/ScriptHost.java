package dev.regimen.core.script;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
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
 * <p>The engines run interpreted on a stock JDK; the warning GraalVM prints about that once per
 * engine is switched off here ({@code engine.WarnInterpreterOnly}).
 */
public final class ScriptHost implements AutoCloseable {
  private static final ScriptHost SHARED = new ScriptHost();

  private Engine sandboxed;
  private Engine trusted;
  private boolean closed;

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
   * A context for one run; the caller owns and closes it.
   *
   * @param language the script's language (only that language can be evaluated in it)
   * @param workingDir the folder relative paths are resolved against (the script's folder)
   * @param files what the script may read and write when sandboxed
   * @param allowHostAccess whether the sandbox is lifted ({@code --allow-host-access})
   */
  Context newContext(ScriptLanguage language, Path workingDir, FileAccess files, boolean allowHostAccess,
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
   * Starts each script language once, in a sandboxed context that may only read the working folder
   * (a context needs one), evaluates {@code 1 + 1} and closes it:
   * afterwards the JVM has loaded the classes that starting either language needs. The launcher has
   * this done before a JVM that writes its class-data archive exits, so that the archive serves
   * JavaScript and Python runs alike whichever the first run was.
   */
  public void warmUp() {
    Path dir = Path.of("").toAbsolutePath();
    FileAccess readOnly = FileAccess.of(dir, List.of(dir), List.of(), false);
    for (ScriptLanguage language : ScriptLanguage.values()) {
      try (Context context = newContext(language, dir, readOnly, false, OutputStream.nullOutputStream(),
          OutputStream.nullOutputStream())) {
        context.eval(language.id(), "1 + 1");
      }
    }
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
