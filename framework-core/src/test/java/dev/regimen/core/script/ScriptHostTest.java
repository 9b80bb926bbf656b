package dev.regimen.core.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starting languages ahead of a run: {@link ScriptHost#prepare}, which the CLI calls while it loads
 * the plugins, and {@link ScriptHost#warmUp}, which the launcher has run before a JVM writes its
 * class-data archive. Both must leave the host's runs as they were, sandbox included.
 */
@Timeout(180)
class ScriptHostTest {
  @TempDir
  Path dir;

  @Test
  void warmUpStartsBothLanguagesInTheSandboxAndLeavesTheHostUsable() {
    assertTrue(ScriptHost.shared().warmUp(), "both languages started");

    Path js = Scripts.write(dir, "after.js", "console.log(rg.param('n', 2) * 3);\n");
    Path py = Scripts.write(dir, "after.py", "import regimen as rg\nprint(rg.param('n', 2) * 3)\n");
    assertEquals("6", Scripts.run(js).output().strip());
    assertEquals("6", Scripts.run(py).output().strip());
  }

  @Test
  void aRunAfterPrepareGetsAFreshSandboxedContext() {
    try (ScriptHost host = new ScriptHost()) {
      host.prepare(ScriptLanguage.JAVASCRIPT, false);
      host.prepare(ScriptLanguage.JAVASCRIPT, false); // a second call does nothing
      ScriptRunner runner = new ScriptRunner(host);
      Path script = Scripts.write(dir, "fresh.js", """
          console.log(typeof globalThis.leftOver, typeof Java, rg.param('n', 4));
          globalThis.leftOver = 1;
          """);
      assertEquals("undefined undefined 4", runner.run(script, Scripts.options().build()).output().strip());
      assertEquals("undefined undefined 5", runner.run(script, Scripts.options().set("n=5").build()).output().strip(),
          "each run's context is its own");
    }
  }
}
