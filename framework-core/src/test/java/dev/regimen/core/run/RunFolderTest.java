package dev.regimen.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFolderTest {
  private static final LocalDateTime TIME = LocalDateTime.of(2026, 11, 24, 13, 57, 5);

  @TempDir Path parent;

  @Test
  void namesTheFolderAfterTheScriptWithoutExtensionAndTheLocalStartTime() {
    try (RunFolder folder = RunFolder.create(parent.resolve("runs"), "scripts/mnist_cnn.js", TIME, false)) {
      assertEquals("mnist_cnn-20261124-135705", folder.name());
      assertEquals("mnist_cnn", folder.scriptName());
      assertEquals("mnist_cnn.js", folder.scriptFile());
      assertEquals(parent.resolve("runs/mnist_cnn-20261124-135705"), folder.root());
      assertTrue(Files.isDirectory(folder.root()), "the parent is created too");
      assertEquals(folder.root().resolve("checkpoints"), folder.checkpoints());
      assertEquals(folder.root().resolve("checkpoints/teacher"), folder.checkpoints("teacher"));
      assertEquals(folder.root().resolve("plots"), folder.plots());
      assertEquals(folder.root().resolve("run.log"), folder.log());
      assertEquals(folder.root().resolve("report.html"), folder.report());
      assertFalse(Files.exists(folder.plots()), "plots/ is made by whoever draws the first plot");
    }
  }

  @Test
  void aSecondRunInTheSameSecondGetsASuffix() {
    Path a = RunFolder.create(parent, "train.py", TIME, false).root();
    Path b = RunFolder.create(parent, "train.py", TIME, false).root();
    Path c = RunFolder.create(parent, "other/train.py", TIME, false).root();
    assertEquals("train-20261124-135705", a.getFileName().toString());
    assertEquals("train-20261124-135705-2", b.getFileName().toString());
    assertEquals("train-20261124-135705-3", c.getFileName().toString());
    assertEquals("train-20261124-135706",
        RunFolder.create(parent, "train.py", TIME.plusSeconds(1), false).name(), "a new second, no suffix");
  }

  @Test
  void baseNamesAreSafeFileNames() {
    assertEquals("quickstart", RunFolder.baseName("quickstart.js"));
    assertEquals("mnist.cnn", RunFolder.baseName("/home/u/scripts/mnist.cnn.js"));
    assertEquals("exp", RunFolder.baseName("C:\\work\\exp.py"));
    assertEquals("no_extension", RunFolder.baseName("no_extension"));
    assertEquals(".hidden", RunFolder.baseName(".hidden"), "a leading dot is not an extension");
    assertEquals("my_run_1_", RunFolder.baseName("my run:1?.js"));
    assertEquals("run", RunFolder.baseName(""));
  }

  @Test
  void copiesTheLogIntoRunLogWhileOpenAndStopsWhenClosed() throws Exception {
    Logger log = LogManager.getLogger("dev.regimen.test.script");
    RunFolder folder = RunFolder.create(parent, "logging.js", TIME, true);
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    int appenders = context.getConfiguration().getRootLogger().getAppenders().size();
    try (folder) {
      assertTrue(folder.capturesLog());
      log.info("epoch 1/3: loss=0.5");
      log.warn("a warning with an exception", new IllegalStateException("boom"));
    }
    assertFalse(folder.capturesLog());
    log.info("after the run");
    String text = Files.readString(folder.log());
    assertTrue(text.contains("INFO  script - epoch 1/3: loss=0.5"), text);
    assertTrue(text.contains("WARN  script - a warning with an exception"), text);
    assertTrue(text.contains("java.lang.IllegalStateException: boom"), "stack traces are kept: " + text);
    assertFalse(text.contains("after the run"), text);
    assertEquals(appenders - 1, context.getConfiguration().getRootLogger().getAppenders().size(),
        "the appender is removed on close");
    folder.close();
  }
}
