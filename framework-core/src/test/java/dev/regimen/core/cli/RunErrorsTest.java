package dev.regimen.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code regimen run} with scripts that go wrong, as a user sees it on the console: one line that
 * names the file or value and the problem (never a Java exception's class), exit 1, and a run folder
 * only where something ran.
 */
class RunErrorsTest {
  @TempDir
  Path dir;

  private Cli.Outcome run(Path script) {
    return Cli.execute("run", script.toString(), "--out", dir.resolve("runs").toString(), "--no-progress");
  }

  private static void assertNoJavaInternals(String err) {
    for (String internal : List.of("internal error", "Exception", "java.lang", "Context.Builder")) {
      assertFalse(err.contains(internal), "'" + internal + "' in: " + err);
    }
  }

  @Test
  void anIdxFolderWithTrainingFilesAloneTrains() throws IOException {
    writeIdx(dir.resolve("mnist/train-images-idx3-ubyte"), 40, 2, 2);
    writeIdx(dir.resolve("mnist/train-labels-idx1-ubyte"), 40);
    Path script = Files.writeString(dir.resolve("idx.js"), String.join("\n",
        "const data = rg.data.idx('mnist', { flatten: true, validation: 0.5 });",
        "rg.trainer({ epochs: 1 }).fit(rg.layer('dense', { units: 10 }), data.train, data.validation);"));
    Cli.Outcome o = run(script);
    assertEquals(0, o.exit(), o.err());
    assertTrue(o.out().contains("Final metrics (train-1): loss="), o.out());
  }

  @Test
  void anIdxFileWithoutImagesSaysSoAndLeavesNoRunFolder() throws IOException {
    Path images = writeIdx(dir.resolve("empty/train-images-idx3-ubyte"), 0, 28, 28);
    writeIdx(dir.resolve("empty/train-labels-idx1-ubyte"), 0);
    Cli.Outcome o = run(Files.writeString(dir.resolve("empty.js"), "rg.data.idx('empty');\n"));
    assertEquals(1, o.exit());
    assertEquals("error: empty.js:1: " + images + " holds no images: its header gives the shape [0, 28, 28]",
        o.err().strip());
    assertEquals("No run folder was kept: the script failed before it trained or wrote anything.", o.out().strip());
    assertFalse(Files.exists(dir.resolve("runs")), "the runs folder this run made is gone too");
  }

  @Test
  void softmaxCrossEntropyOnOneRealValuedColumnIsRefusedAndTheRunFolderNamed() throws IOException {
    Path script = Files.writeString(dir.resolve("regression.js"), String.join("\n",
        "const data = rg.data.synthetic('linear', { n: 64 });",
        "rg.trainer({ loss: 'softmax_cross_entropy', epochs: 2 })",
        "  .fit(rg.layer('dense', { units: 1 }), data.train, data.validation);"));
    Cli.Outcome o = run(script);
    assertEquals(1, o.exit(), "it used to train with loss 0.0000 and exit 0");
    assertTrue(o.err().startsWith("error: regression.js:2: softmax_cross_entropy: the model's output has 1 column "
        + "(scores of shape [32, 1]): softmax over one class is always 1"), o.err());
    assertNoJavaInternals(o.err());
    // A training started, so its folder stays, and the console says where it is.
    Path folder = Cli.onlyRunFolder(dir.resolve("runs"));
    assertTrue(o.out().contains("Run folder: " + folder), o.out());
  }

  @Test
  void readingOutsideTheScriptsFoldersNamesThePathTheRuleAndTheFlag(@TempDir Path elsewhere) throws IOException {
    Path secret = Files.writeString(elsewhere.resolve("secret.csv"), "a,label\n1,0\n2,1\n");
    Path script = Files.writeString(Files.createDirectories(dir.resolve("scripts")).resolve("read.js"),
        "rg.data.csv('" + secret + "', { validation: 0 });\n");
    Cli.Outcome o = run(script);
    assertEquals(1, o.exit());
    String err = o.err().strip();
    assertTrue(err.startsWith("error: read.js:1: Reading " + secret + " is not allowed: a script may read files only "
        + "in its own folder (" + dir.resolve("scripts") + "), "), err);
    assertTrue(err.endsWith("; run with --allow-host-access to let it read any file"), err);
    assertNoJavaInternals(err);
    assertFalse(Files.exists(dir.resolve("runs")));

    Cli.Outcome allowed = Cli.execute("run", script.toString(), "--out", dir.resolve("runs").toString(),
        "--allow-host-access");
    assertEquals(0, allowed.exit(), allowed.err());
  }

  @Test
  void aPythonScriptCannotStartProcesses() throws IOException {
    Cli.Outcome o = run(Files.writeString(dir.resolve("shell.py"), "import os\nos.system('ls')\n"));
    assertEquals(1, o.exit());
    assertEquals("error: shell.py: A script cannot start processes (os.system, subprocess and the like) in the "
        + "sandbox; run with --allow-host-access to allow it", o.err().strip());
  }

  @Test
  void aScriptThatFailsBeforeAnythingRanLeavesNoRunFolderButAnExistingParentStays() throws IOException {
    Path runs = Files.createDirectories(dir.resolve("runs"));
    Files.writeString(runs.resolve("notes.txt"), "mine\n");
    Cli.Outcome o = run(Files.writeString(dir.resolve("typo.js"), "console.log('starting');\nrg.layer('dnse');\n"));
    assertEquals(1, o.exit());
    assertTrue(o.err().startsWith("error: typo.js:2: Unknown layer 'dnse'"), o.err());
    assertTrue(o.out().contains("No run folder was kept"), o.out());
    assertEquals(List.of(runs.resolve("notes.txt")), Cli.runFolders(runs));
  }

  @Test
  void aScriptThatWroteIntoItsRunFolderKeepsIt() throws IOException {
    // JavaScript has no file API; Python writes a file the usual way.
    Path py = Files.writeString(dir.resolve("writes.py"), String.join("\n",
        "import regimen as rg",
        "with open(rg.run_dir() + '/notes.txt', 'w') as f:",
        "    f.write('kept')",
        "raise ValueError('after writing')"));
    Cli.Outcome o = run(py);
    assertEquals(1, o.exit());
    assertTrue(o.err().contains("after writing"), o.err());
    Path folder = Cli.onlyRunFolder(dir.resolve("runs"));
    assertEquals("kept", Files.readString(folder.resolve("notes.txt")));
    assertTrue(o.out().contains("Run folder: " + folder), o.out());
  }

  /**
   * An IDX file of unsigned bytes with the given sizes: value {@code i} is {@code i % 10}, so labels
   * cover the ten classes evenly.
   */
  private static Path writeIdx(Path file, int... dims) throws IOException {
    int count = 1;
    for (int d : dims) {
      count *= d;
    }
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + count);
    b.put((byte) 0).put((byte) 0).put((byte) 0x08).put((byte) dims.length);
    for (int d : dims) {
      b.putInt(d);
    }
    for (int i = 0; i < count; i++) {
      b.put((byte) (i % 10));
    }
    Files.createDirectories(file.getParent());
    return Files.write(file, b.array());
  }
}
