package dev.regimen.core.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentException;
import dev.regimen.api.train.History;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Python scripts through {@code import regimen as rg}: keyword arguments, plain dicts and lists,
 * callbacks and script functions, errors at the script's line, the sandbox. Few tests, since the
 * first Python context takes seconds to start (later ones about a second).
 */
@Timeout(180)
class PythonScriptsTest {
  @TempDir
  Path dir;

  @Test
  void trainsATinyMlpOnDigitsWithKeywordArgumentsCallbacksAndScriptFunctions() {
    Path script = Scripts.write(dir, "digits.py", """
        import regimen as rg

        epochs = rg.param("epochs", 2)
        lr = rg.param("lr", 0.02)
        data = rg.data.digits(normalize="zscore", validation=0.2)
        model = rg.sequential([rg.layer("dense", units=32), rg.layer("relu"), rg.layer("dense", units=10)])
        seen = []
        augmented = [0]

        def mean_top_score(outputs, targets):
            assert isinstance(outputs, list) and isinstance(outputs[0], list) and isinstance(targets[0], int)
            return sum(max(row) for row in outputs) / len(outputs)

        def jitter(batch):
            augmented[0] += 1
            return {"inputs": [[x * 1.0 for x in row] for row in batch["inputs"]]}

        trainer = rg.trainer(loss="softmax_cross_entropy", optimizer=rg.optimizer("adam", lr=lr), epochs=epochs,
                             batch_size=128, metrics=["accuracy", rg.metric(mean_top_score)],
                             augmenters=[rg.augmenter(jitter)],
                             on_epoch_end=lambda e: seen.append((e["epoch"], e["metrics"]["val_accuracy"])))
        history = trainer.fit(model, data.train, data.validation)
        print(type(history).__name__, type(history["loss"]).__name__, len(history["loss"]), type(epochs).__name__,
              type(lr).__name__)
        print("epochs seen", [s[0] for s in seen], "augmented", augmented[0])
        print(sorted(trainer.evaluate(model, data.validation).keys()))
        """);
    ScriptResult result = Scripts.RUNNER.run(script, Scripts.options().set("epochs=3").build());

    History history = result.lastTraining().history();
    assertEquals(3, history.epochs());
    List<Double> loss = history.series("loss");
    assertTrue(loss.get(2) < loss.get(0), "training loss falls: " + loss);
    assertTrue(history.last("val_accuracy").getAsDouble() > 0.8, history.series("val_accuracy").toString());
    assertTrue(history.metrics().contains("val_mean_top_score"), history.metrics().toString());
    List<String> lines = result.output().lines().toList();
    assertEquals("dict list 3 int float", lines.get(0));
    assertEquals("epochs seen [1, 2, 3] augmented 36", lines.get(1), "12 batches of 128 in 1438 samples, 3 epochs");
    assertEquals("['accuracy', 'loss', 'mean_top_score']", lines.get(2));
    assertEquals(3, result.params().get("epochs"));
  }

  @Test
  void theScriptStartsWithNoStandardLibraryModuleImportedForItAndImportsThemAsUsual() {
    Path script = Scripts.write(dir, "imports.py", """
        import sys
        print(sorted(name for name in ("os", "traceback", "re", "types", "enum") if name in sys.modules))
        import os, traceback, types
        print(os.path.basename(__file__), type(sys.modules["regimen"]) is types.ModuleType, __name__)
        print(traceback.extract_stack()[-1].filename == __file__, traceback.extract_stack()[-1].lineno)
        """);
    List<String> lines = Scripts.run(script).output().lines().toList();
    assertEquals("[]", lines.get(0), "the bootstrap leaves the standard library to the script (GraalPy starts slower with it)");
    assertEquals("imports.py True __main__", lines.get(1));
    assertEquals("True 5", lines.get(2));
  }

  @Test
  void errorsPointAtTheScriptsLineWithRegimensMessage() {
    Path typo = Scripts.write(dir, "typo.py", """
        import regimen as rg

        layers = [rg.layer("dense", units=4), rg.layer("dnse", units=2)]
        """);
    ScriptException e = assertThrows(ScriptException.class, () -> Scripts.run(typo));
    assertEquals(typo, e.file());
    assertEquals(3, e.line());
    assertTrue(e.message().startsWith("Unknown layer 'dnse'. Did you mean: dense"), e.message());
    assertInstanceOf(ComponentException.class, e.regimenError());

    Path own = Scripts.write(dir, "own.py", """
        def f():
            return undefined_name

        f()
        """);
    e = assertThrows(ScriptException.class, () -> Scripts.run(own));
    assertEquals(2, e.line());
    assertEquals("NameError", e.errorType());
    assertTrue(e.message().contains("undefined_name"), e.message());
  }

  @Test
  void javaAndFilesOutsideTheAllowedFoldersAreRefused(@TempDir Path elsewhere) {
    Path outside = Scripts.write(elsewhere, "secret.txt", "secret\n");
    Path csv = Scripts.write(elsewhere, "data.csv", "a,b,label\n1,2,0\n3,4,1\n");
    Scripts.write(dir, "inside.txt", "inside\n");
    Path script = Scripts.write(dir, "sandbox.py", """
        import regimen as rg
        results = []
        try:
            import java
            results.append("java %%s" %% (java.type("java.lang.Runtime").getRuntime().availableProcessors() > 0))
        except Exception:
            results.append("java refused")
        try:
            import polyglot
            results.append("eval %%s" %% polyglot.eval(language="js", string="1 + 1"))
        except Exception:
            results.append("eval refused")
        try:
            results.append(open("%s").read().strip())
        except OSError:
            results.append("outside refused")
        results.append(open("inside.txt").read().strip())
        try:
            results.append("csv %%d" %% rg.data.csv("%s", validation=0).train.size())
        except rg.RegimenError as e:
            results.append("csv refused" if "not allowed" in str(e) else str(e))
        print(", ".join(results))
        """.formatted(outside, csv));
    assertEquals("java refused, eval refused, outside refused, inside, csv refused", Scripts.run(script).output().strip());
    // Lifting the sandbox is the same for both languages and tested with JavaScript, whose engine starts fast.
  }
}
