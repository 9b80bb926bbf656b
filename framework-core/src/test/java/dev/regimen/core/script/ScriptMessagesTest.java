package dev.regimen.core.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a script author reads when a call goes wrong: the wrong number or kind of arguments, a value
 * echoed as the script wrote it, a sandbox refusal in the author's words (never GraalVM's embedding
 * API), and the loaders' refusals of data they cannot use.
 */
@Timeout(180)
class ScriptMessagesTest {
  @TempDir
  Path dir;

  private ScriptException failure(String name, String source) {
    return assertThrows(ScriptException.class, () -> Scripts.run(Scripts.write(dir, name, source)));
  }

  @Test
  void aCallWithTheWrongNumberOfArgumentsShowsTheCall() {
    assertEquals("rg.layer(name[, options]) takes 1 or 2 arguments; got none",
        failure("none.js", "rg.layer();\n").message());
    assertEquals("trainer.fit(model, train[, validation]) takes 2 or 3 arguments; got 1",
        failure("fit.js", "rg.trainer({ epochs: 1 }).fit(rg.data.digits().train);\n").message());
    assertEquals("rg.data.idx(dir[, options]) takes 1 or 2 arguments; got none",
        failure("idx.js", "rg.data.idx();\n").message());
    ScriptException extra = failure("extra.js", "rg.layer('dense', { units: 3 }, 7);\n");
    assertEquals("rg.layer takes one options object after its arguments. Received: 2 more arguments", extra.message());
  }

  @Test
  void anArgumentOfTheWrongKindIsEchoedWithWhatWasExpected() {
    assertEquals("rg.layer(name[, options]): 5 (a number) where a string was expected",
        failure("number.js", "rg.layer(5);\n").message());
    assertEquals("dataset.head(n): 2.5 (a number) where a whole number was expected",
        failure("head.js", "rg.data.digits().train.head(2.5);\n").message());
    ScriptException string = failure("string.js", "rg.trainer({ epochs: 1 }).fit('model', rg.data.digits().train);\n");
    assertEquals("trainer.fit takes a model as the model (first argument) (rg.sequential([...]) or rg.layer(...)). "
        + "Received: 'model'", string.message());
    ScriptException item = failure("item.js", "rg.sequential([rg.layer('dense', { units: 3 }), 'relu']);\n");
    assertEquals("Option 'layers' of layer 'sequential' must be a list of layers; item 2 of 2 is 'relu' (a name: "
        + "make the layer with rg.layer('relu')), not a layer", item.message());
  }

  @Test
  void pythonCallsWithTheWrongArgumentsGetTheSameMessages() {
    ScriptException e = failure("calls.py", """
        import regimen as rg
        messages = []
        for call in (lambda: rg.layer(), lambda: rg.layer(5), lambda: rg.layer(units=3),
                     lambda: rg.trainer(epochs=1).fit(rg.data.digits().train)):
            try:
                call()
            except rg.RegimenError as error:
                messages.append(str(error))
        raise rg.RegimenError(" | ".join(messages))
        """);
    assertEquals("rg.layer(name[, options]) takes 1 or 2 arguments; got none"
        + " | rg.layer(name[, options]): argument 1 (name) is 5 (a number) where a string was expected"
        + " | rg.layer(name[, options]): argument 1 (name) is {units=3} (an object) where a string was expected"
        + " | trainer.fit(model, train[, validation]) takes 2 or 3 arguments; got 1", e.message());
  }

  @Test
  void aFileOutsideTheAllowedFoldersIsRefusedInTheAuthorsWords(@TempDir Path elsewhere) throws IOException {
    Path secret = Files.writeString(elsewhere.resolve("data.csv"), "a,label\n1,0\n2,1\n");
    Path data = Files.createDirectories(dir.resolve("datasets"));
    Path run = Files.createDirectories(dir.resolve("run"));
    String expected = "Reading " + secret + " is not allowed: a script may read files only in its own folder (" + dir
        + "), the data folder (" + data + ") and its run folder (" + run + "); run with --allow-host-access to let it "
        + "read any file";
    RunOptions options = Scripts.options().dataDir(data).runDir(run).build();

    ScriptException js = assertThrows(ScriptException.class, () -> Scripts.RUNNER.run(
        Scripts.write(dir, "outside.js", "rg.data.csv('" + secret + "');\n"), options));
    assertEquals(expected, js.message());
    assertInstanceOf(SandboxException.class, js.regimenError());

    ScriptException py = assertThrows(ScriptException.class, () -> Scripts.RUNNER.run(
        Scripts.write(dir, "outside.py", "import regimen as rg\nopen('" + secret + "').read()\n"), options));
    assertEquals(2, py.line());
    assertEquals(expected, py.message(), "GraalPy's PermissionError, worded as the sandbox's refusal");
  }

  @Test
  void processesThreadsAndJavaClassesAreRefusedWithoutGraalVmsEmbeddingApi() {
    ScriptException process = failure("process.py", "import os\nos.system('true')\n");
    assertEquals("A script cannot start processes (os.system, subprocess and the like) in the sandbox; run with "
        + "--allow-host-access to allow it", process.message());
    ScriptException thread = failure("thread.py", "import threading\nthreading.Thread(target=print).start()\n");
    assertEquals("A script cannot start threads in the sandbox; run with --allow-host-access to allow it",
        thread.message());
    ScriptException java = failure("java.py", "import java\njava.type('java.lang.System')\n");
    assertEquals("A script cannot use Java classes in the sandbox, only the Regimen API (rg); run with "
        + "--allow-host-access to allow it", java.message());
    for (ScriptException e : new ScriptException[] {process, thread, java}) {
      assertFalse(e.getMessage().contains("Context.Builder"), e.getMessage());
    }
  }

  @Test
  void anIdxFolderWithTrainingFilesAloneLoadsAndAHalfTestSplitNamesTheMissingFile() {
    Path folder = dir.resolve("mnist");
    writeIdx(folder.resolve("train-images-idx3-ubyte"), 40, 2, 2);
    writeIdx(folder.resolve("train-labels-idx1-ubyte"), 40);
    ScriptResult alone = Scripts.run(Scripts.write(dir, "alone.js", """
        const data = rg.data.idx('mnist', { validation: 0.5 });
        console.log(data.train.size(), data.validation.size(), data.test === null || data.test === undefined);
        """));
    assertEquals("20 20 true", alone.output().strip());

    writeIdx(folder.resolve("t10k-images-idx3-ubyte"), 10, 2, 2);
    ScriptException half = failure("half.js", "rg.data.idx('mnist');\n");
    assertTrue(half.message().startsWith("No IDX labels for split 't10k' in " + folder + "; looked for "
        + "t10k-labels-idx1-ubyte, "), half.message());
  }

  @Test
  void aValidationSplitThatLeavesNothingNamesTheLoaderAndTheOption() {
    ScriptException e = failure("tiny.js", "rg.data.synthetic('blobs', { n: 6, classes: 3, validation: 0.1 });\n");
    assertTrue(e.message().startsWith("data synthetic 'blobs': validation=0.1: A fraction of 0.1 held out of 6 rows "
        + "leaves no row to hold out"), e.message());
  }

  /**
   * An IDX file of unsigned bytes with the given sizes: pixel or label {@code i} is {@code i % 10},
   * so labels cover the ten classes evenly.
   */
  private static void writeIdx(Path file, int... dims) {
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
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, b.array());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
