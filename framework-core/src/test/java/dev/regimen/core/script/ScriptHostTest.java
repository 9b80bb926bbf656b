package dev.regimen.core.script;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The script host's warm-up, which the launcher runs before a JVM writes its class-data archive. */
@Timeout(180)
class ScriptHostTest {
  @TempDir
  Path dir;

  @Test
  void warmUpStartsBothLanguagesInTheSandboxAndLeavesTheHostUsable() {
    ScriptHost.shared().warmUp();

    Path js = Scripts.write(dir, "after.js", "console.log(rg.param('n', 2) * 3);\n");
    Path py = Scripts.write(dir, "after.py", "import regimen as rg\nprint(rg.param('n', 2) * 3)\n");
    assertEquals("6", Scripts.run(js).output().strip());
    assertEquals("6", Scripts.run(py).output().strip());
  }
}
