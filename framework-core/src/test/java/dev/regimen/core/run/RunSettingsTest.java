package dev.regimen.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** run.json: what a resume needs, written and read back unchanged; a foreign file is refused by name. */
class RunSettingsTest {
  @Test
  void roundTripsEverySettingWithAndWithoutTheOptionalOnes(@TempDir Path dir) throws IOException {
    Path script = Files.writeString(dir.resolve("a.js"), "console.log(1);\n");
    RunSettings full = new RunSettings(script, RunSettings.sha256(script), List.of("epochs=5", "smoke=true"), 7L,
        dir.resolve("plugins"), true, "0.1.0", Instant.parse("2026-11-24T13:57:50Z"), RunSettings.INTERRUPTED, 2);
    full.write(dir);
    assertEquals(full, RunSettings.read(dir));

    RunSettings plain = new RunSettings(script, null, List.of(), null, null, false, "0.1.0", Instant.EPOCH,
        RunSettings.RUNNING, 0);
    plain.write(dir);
    assertEquals(plain, RunSettings.read(dir));
    assertEquals(64, full.scriptSha256().length());
  }

  @Test
  void aFileRegimenDidNotWriteIsRefusedByName(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve(RunFolder.RUN_JSON), "{\"name\": \"x\"}");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunSettings.read(dir));
    assertTrue(e.getMessage().startsWith(dir.resolve(RunFolder.RUN_JSON) + " is not a run description"), e.getMessage());
  }
}
