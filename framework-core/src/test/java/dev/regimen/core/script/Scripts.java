package dev.regimen.core.script;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test helpers: one runner on the shared host for every test (engines are costly), and script files. */
final class Scripts {
  /** Shared by every script test in the JVM, so the GraalVM engines start once. */
  static final ScriptRunner RUNNER = new ScriptRunner(ScriptHost.shared());

  private Scripts() {}

  /** Writes a script (or any file) and returns its path. */
  static Path write(Path dir, String name, String text) {
    try {
      Path file = dir.resolve(name);
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Options for tests: no progress bar, output captured. */
  static RunOptions.Builder options() {
    return RunOptions.builder().progress(false);
  }

  static ScriptResult run(Path script) {
    return RUNNER.run(script, options().build());
  }
}
