package dev.regimen.core.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentException;
import dev.regimen.api.train.History;
import dev.regimen.api.train.Scheduler;
import dev.regimen.api.train.TrainingControl;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** JavaScript scripts through {@code rg}: training, parameters, callbacks, script functions, errors. */
@Timeout(120)
class JavaScriptScriptsTest {
  @TempDir
  Path dir;

  @Test
  void trainsATinyMlpOnDigitsAndTheHistoryShowsLearning() {
    Path script = Scripts.write(dir, "digits.js", """
        const data = rg.data.digits({ normalize: 'zscore', validation: 0.2 });
        const model = rg.sequential([
          rg.layer('dense', { units: 32 }),
          rg.layer('relu'),
          rg.layer('dense', { units: 10 }),
        ]);
        const history = rg.trainer({
          loss: 'softmax_cross_entropy',
          optimizer: rg.optimizer('adam', { lr: 1e-2 }),
          epochs: 3, batchSize: 64,
        }).fit(model, data.train, data.validation);
        console.log('final', history.val_accuracy[history.val_accuracy.length - 1].toFixed(3),
            JSON.stringify(Object.keys(history)));
        """);
    ScriptResult result = Scripts.run(script);

    TrainingRecord training = result.lastTraining();
    History history = training.history();
    assertEquals(3, history.epochs());
    List<Double> loss = history.series("loss");
    assertTrue(loss.get(2) < loss.get(0), "training loss falls: " + loss);
    assertTrue(history.last("val_accuracy").getAsDouble() > 0.8, "validation accuracy: " + history.series("val_accuracy"));
    assertTrue(result.output().contains("final 0."), result.output());
    assertTrue(result.output().contains("\"val_accuracy\""), result.output());
    assertEquals("train-1", training.name());
    assertEquals(Map.of("name", "adam", "lr", 0.01), Map.of("name", ((Map<?, ?>) training.config().get("optimizer")).get("name"),
        "lr", ((Map<?, ?>) training.config().get("optimizer")).get("lr")));
    assertEquals(64, training.config().get("batch_size"));
    assertEquals(training.finalMetrics(), history.epoch(2));
  }

  @Test
  void paramsTakeTheirDefaultsAndSetOverridesConvertedByTheDefaultsType() {
    Path script = Scripts.write(dir, "params.js", """
        const epochs = rg.param('epochs', 2);
        const lr = rg.param('lr', 0.5);
        const label = rg.param('label', 'plain');
        const verbose = rg.param('verbose', false);
        const absent = rg.param('absent');
        console.log(typeof epochs, epochs + 1, typeof lr, lr, label, verbose === true, absent === null,
            rg.param('smoke'));
        """);
    ScriptResult result = Scripts.RUNNER.run(script, Scripts.options()
        .set("epochs=3").set("verbose=yes").set("lr=0.25").set("unused=7").build());

    assertEquals("number 4 number 0.25 plain true true false", result.output().lines().findFirst().orElseThrow());
    assertEquals(Map.of("epochs", 3, "lr", 0.25, "label", "plain", "verbose", true), Map.of(
        "epochs", result.params().get("epochs"), "lr", result.params().get("lr"),
        "label", result.params().get("label"), "verbose", result.params().get("verbose")));
    assertTrue(result.params().containsKey("absent"));
    assertEquals(1, result.warnings().size(), result.warnings().toString());
    assertTrue(result.warnings().get(0).contains("--set unused=7 was not used"), result.warnings().get(0));
    assertTrue(result.output().contains("warning: --set unused=7"), result.output());
  }

  @Test
  void aParamThatDoesNotParseAsItsDefaultsTypeIsAnErrorThatEchoesIt() {
    Path script = Scripts.write(dir, "bad-param.js", "const e = rg.param('epochs', 2);\n");
    ScriptException e = assertThrows(ScriptException.class, () -> Scripts.RUNNER.run(script,
        Scripts.options().set("epochs=many").build()));
    assertEquals(1, e.line());
    assertTrue(e.message().contains("Received: epochs=many"), e.message());
  }

  @Test
  void callbacksSeeEveryEpochAndBatchAndReturningFalseStopsTraining() {
    Path script = Scripts.write(dir, "callbacks.js", """
        const data = rg.data.synthetic('blobs', { n: 120, classes: 3, validation: 0.25 });
        const model = rg.sequential([rg.layer('dense', { units: 3 })]);
        const seen = [];
        let batches = 0;
        let started = 0, ended = 0;
        rg.trainer({
          epochs: 10, batchSize: 30,
          onTrainStart: e => { started = e.epochs; },
          onBatchEnd: e => { batches++; if (!(e.loss > 0)) throw new Error('no loss'); },
          onEpochEnd: e => { seen.push(e.epoch + ':' + (e.metrics.val_accuracy >= 0)); return e.epoch < 3; },
          onTrainEnd: e => { ended = e.history.loss.length; },
        }).fit(model, data.train, data.validation);
        console.log(seen.join(','), batches, started, ended);
        """);
    ScriptResult result = Scripts.run(script);

    assertEquals("1:true,2:true,3:true 9 10 3", result.output().strip());
    assertTrue(result.lastTraining().stopReason().contains("onEpochEnd returned false"));
  }

  @Test
  void aCustomMetricAndACustomAugmenterWrittenAsFunctionsTakePartInTraining() {
    Path script = Scripts.write(dir, "functions.js", """
        const data = rg.data.synthetic('blobs', { n: 90, classes: 3, validation: 0.2 });
        let augmented = 0;
        function meanTopScore(outputs, targets) {
          if (outputs.length !== targets.length) throw new Error('rows differ');
          let s = 0;
          for (const row of outputs) s += Math.max(...row);
          return s / outputs.length;
        }
        const noise = rg.augmenter(batch => {
          augmented++;
          return { inputs: batch.inputs.map(row => row.map(x => x + 0.01)) };
        }, { name: 'jitter' });
        rg.trainer({
          epochs: 2, batchSize: 24,
          metrics: ['accuracy', rg.metric(meanTopScore), rg.metric((o, t) => t.length, { name: 'rows', higherIsBetter: false })],
          augmenters: [noise],
        }).fit(rg.sequential([rg.layer('dense', { units: 3 })]), data.train, data.validation);
        console.log('augmented', augmented);
        """);
    ScriptResult result = Scripts.run(script);

    History history = result.lastTraining().history();
    assertTrue(history.metrics().containsAll(List.of("accuracy", "meanTopScore", "rows", "val_meanTopScore", "val_rows")),
        history.metrics().toString());
    assertTrue(history.last("rows").getAsDouble() > 1, "batch-size weighted mean of the rows per batch");
    assertEquals("augmented 6", result.output().strip(), "3 batches a epoch, 2 epochs");
    assertEquals(List.of(Map.of("name", "jitter", "function", true)), result.lastTraining().config().get("augmenters"));
  }

  @Test
  void anUnknownComponentIsReportedAtItsLineWithCloseNames() {
    Path script = Scripts.write(dir, "typo.js", """
        // a model with a typo
        const layers = [rg.layer('dense', { units: 4 })];
        layers.push(rg.layer('dnse', { units: 2 }));
        """);
    ScriptException e = assertThrows(ScriptException.class, () -> Scripts.run(script));

    assertEquals(script, e.file());
    assertEquals(3, e.line());
    assertTrue(e.message().startsWith("Unknown layer 'dnse'. Did you mean: dense"), e.message());
    assertInstanceOf(ComponentException.class, e.regimenError());
    assertTrue(e.getMessage().startsWith("typo.js:3: Unknown layer 'dnse'"), e.getMessage());
  }

  @Test
  void aBadOptionValueIsEchoedAndAnUnknownOptionListsTheKnownOnes() {
    Path bad = Scripts.write(dir, "bad.js", "rg.layer('dense', { units: -3 });\n");
    ScriptException e = assertThrows(ScriptException.class, () -> Scripts.run(bad));
    assertTrue(e.message().contains("Received: units=-3"), e.message());

    Path unknown = Scripts.write(dir, "unknown.js", "\nrg.optimizer('adam', { learningRate: 0.1 });\n");
    e = assertThrows(ScriptException.class, () -> Scripts.run(unknown));
    assertEquals(2, e.line());
    assertTrue(e.message().contains("Unknown option 'learningRate'") && e.message().contains("Known options: lr"),
        e.message());

    Path trainer = Scripts.write(dir, "trainer.js", "rg.trainer({ epochz: 3 });\n");
    e = assertThrows(ScriptException.class, () -> Scripts.run(trainer));
    assertTrue(e.message().contains("Unknown option 'epochz' for rg.trainer"), e.message());

    Path extra = Scripts.write(dir, "extra.js", "rg.optimizer('adam', { lr: 0.1 }, { lr: 0.2 });\n");
    e = assertThrows(ScriptException.class, () -> Scripts.run(extra));
    assertTrue(e.message().contains("rg.optimizer takes one options object after its arguments. Received: 2"),
        e.message());
  }

  @Test
  void everyCallTakesItsOptionsObjectOrNone() {
    Path script = Scripts.write(dir, "optional.js", String.join("\n",
        "const a = rg.layer('relu'); const b = rg.layer('dense', { units: 2 });",
        "rg.sequential([a, b]); rg.sequential([a, b], { name: 'body' });",
        "rg.optimizer('sgd'); rg.optimizer('sgd', { lr: 0.5 }); rg.loss('mse'); rg.loss('huber', { delta: 2 });",
        "rg.trainer(); rg.trainer({ epochs: 1 }); rg.component('optimizer', 'adam');",
        "rg.component('optimizer', 'adam', { lr: 0.1 });", ""));
    Scripts.run(script);
  }

  @Test
  void aScriptsOwnErrorIsReportedWithFileLineAndTheLanguagesMessage() {
    Path script = Scripts.write(dir, "oops.js", """
        const a = 1;
        function f() {
          return undefinedThing + a;
        }
        f();
        """);
    ScriptException e = assertThrows(ScriptException.class, () -> Scripts.run(script));
    assertEquals(3, e.line());
    assertEquals("ReferenceError", e.errorType());
    assertTrue(e.message().contains("undefinedThing is not defined"), e.message());

    Path syntax = Scripts.write(dir, "syntax.js", "const x = ;\n");
    e = assertThrows(ScriptException.class, () -> Scripts.run(syntax));
    assertEquals("SyntaxError", e.errorType());
    assertEquals(1, e.line());
  }

  @Test
  void anErrorInsideACallbackPointsAtTheCallbackLine() {
    Path script = Scripts.write(dir, "callback-error.js", """
        const data = rg.data.synthetic('blobs', { n: 40, validation: 0 });
        rg.trainer({
          epochs: 1,
          onEpochEnd: e => { throw new Error('bad epoch ' + e.epoch); },
        }).fit(rg.layer('dense', { units: 3 }), data.train);
        """);
    ScriptException e = assertThrows(ScriptException.class, () -> Scripts.run(script));
    assertEquals(4, e.line());
    assertTrue(e.message().contains("bad epoch 1"), e.message());
  }

  @Test
  void javaIsOutOfReach() {
    Path script = Scripts.write(dir, "java.js", "const R = Java.type('java.lang.Runtime');\n");
    ScriptException e = assertThrows(ScriptException.class, () -> Scripts.run(script));
    assertTrue(e.message().contains("Java is not defined"), e.message());

    Path members = Scripts.write(dir, "members.js", """
        const d = rg.data.digits().train;
        console.log(typeof rg.getClass, typeof d.dataset, typeof rg.data.runtime, d.size());
        """);
    assertEquals("undefined undefined undefined 1438", Scripts.run(members).output().strip());
  }

  @Test
  void filesOutsideTheAllowedFoldersAreRefusedAndInsideAllowed(@TempDir Path elsewhere) {
    Scripts.write(dir, "lib/helper.js", "var helperValue = 41;\n");
    Path outside = Scripts.write(elsewhere, "secret.js", "var secret = 1;\n");
    Path csvOutside = Scripts.write(elsewhere, "data.csv", "a,b,label\n1,2,0\n3,4,1\n");
    Path script = Scripts.write(dir, "files.js", """
        load('lib/helper.js');
        console.log('inside', helperValue + 1);
        let refused = [];
        try { load('%s'); } catch (e) { refused.push('load'); }
        try { rg.data.csv('%s'); } catch (e) { refused.push(e.message.includes('not allowed') ? 'csv' : e.message); }
        console.log('refused', refused.join(','));
        """.formatted(outside, csvOutside));
    assertEquals("inside 42\nrefused load,csv", Scripts.run(script).output().strip());

    ScriptResult withData = Scripts.RUNNER.run(Scripts.write(dir, "data.js",
        "console.log(rg.data.csv('%s', { validation: 0 }).train.size());".formatted(csvOutside)),
        Scripts.options().dataDir(elsewhere).build());
    assertEquals("2", withData.output().strip(), "a data folder given to the run is readable");
  }

  @Test
  void allowHostAccessLiftsTheSandbox(@TempDir Path elsewhere) {
    Path outside = Scripts.write(elsewhere, "secret.js", "var secret = 7;\n");
    Path script = Scripts.write(dir, "trusted.js", """
        const cores = Java.type('java.lang.Runtime').getRuntime().availableProcessors();
        load('%s');
        console.log(cores > 0, secret);
        """.formatted(outside));
    assertThrows(ScriptException.class, () -> Scripts.run(script));
    ScriptResult result = Scripts.RUNNER.run(script, Scripts.options().allowHostAccess(true).build());
    assertEquals("true 7", result.output().strip());
  }

  @Test
  void smokeModeTrainsOneEpochOnAtMost256Samples() {
    Path script = Scripts.write(dir, "smoke.js", """
        const data = rg.data.digits({ validation: 0.5 });
        const epochs = rg.param('smoke') ? 1 : 50;
        rg.trainer({ epochs: 50 }).fit(rg.layer('dense', { units: 10 }), data.train, data.validation);
        console.log(rg.smoke(), epochs);
        """);
    ScriptResult result = Scripts.RUNNER.run(script, Scripts.options().smoke(true).build());
    TrainingRecord training = result.lastTraining();
    assertEquals(1, training.history().epochs());
    assertEquals(256, training.config().get("train_samples"));
    assertEquals(256, training.config().get("validation_samples"));
    assertEquals("true 1", result.output().strip());
  }

  @Test
  void checkpointsGoToTheRunFolderAndExtraSchedulersSeeEveryTraining() {
    int[] epochsSeen = {0};
    Scheduler recorder = new Scheduler() {
      @Override
      public void onEpochEnd(TrainingControl control) {
        epochsSeen[0]++;
      }
    };
    Path runDir = dir.resolve("run");
    Path script = Scripts.write(dir, "checkpoint.js", """
        const data = rg.data.synthetic('two_moons', { n: 64 });
        const model = rg.sequential([rg.layer('dense', { units: 8, name: 'hidden' }), rg.layer('tanh'),
                                     rg.layer('dense', { units: 2 })]);
        rg.trainer({ name: 'first', epochs: 2, checkpoint: true }).fit(model, data.train, data.validation);
        const fresh = rg.sequential([rg.layer('dense', { units: 8, name: 'hidden' }), rg.layer('tanh'),
                                     rg.layer('dense', { units: 2 })]);
        const copied = rg.transfer(fresh, 'first/best', { layers: ['hidden'], data: data.train });
        const history = rg.trainer({ epochs: 1, freeze: ['hidden'] }).fit(fresh, data.train);
        console.log(Object.keys(copied).join(','), history.loss.length, model.layers().join(' '));
        """);
    ScriptResult result = Scripts.RUNNER.run(script, Scripts.options().runDir(runDir).extraScheduler(recorder).build());

    assertTrue(Files.isDirectory(runDir.resolve("checkpoints/first/last")));
    assertTrue(Files.isDirectory(runDir.resolve("checkpoints/first/best")));
    assertEquals("hidden.weight,hidden.bias 1 sequential_1 (sequential) hidden (dense) tanh_1 (tanh) dense_1 (dense)",
        result.output().strip());
    assertEquals(3, epochsSeen[0]);
    assertEquals(List.of("hidden"), result.trainings().get(1).config().get("freeze"));
  }

  @Test
  void predictGivesOutputsAndClassesAndMonteCarloGivesMeanAndVariance() {
    Path script = Scripts.write(dir, "predict.js", """
        const data = rg.data.synthetic('blobs', { n: 60, classes: 3, validation: 0 });
        const model = rg.layer('dense', { units: 3 });
        const trainer = rg.trainer({ epochs: 1 });
        trainer.fit(model, data.train);
        const p = rg.predict(model, data.train.head(5));
        const mc = rg.predict(model, [[0, 1], [1, 0]], { mcSamples: 3 });
        const metrics = trainer.evaluate(model, data.train);
        console.log(p.outputs.length, p.outputs[0].length, p.classes.length, mc.mean.length,
            Math.max(...mc.variance.flat()) < 1e-9, Object.keys(metrics).join(','));
        """);
    assertEquals("5 3 5 2 true loss,accuracy", Scripts.run(script).output().strip());
  }

  @Test
  void listingsShowComponentsAndPlugins() {
    Path script = Scripts.write(dir, "listing.js", """
        const optimizers = rg.components('optimizer').map(c => c.name);
        const adam = rg.components('optimizer').find(c => c.name === 'adam');
        console.log(optimizers.includes('adam'), adam.origin, adam.options.map(o => o.name).includes('lr'),
            rg.plugins().length, rg.components().length > 20);
        """);
    assertEquals("true built-in true 0 true", Scripts.run(script).output().strip());
  }

  @Test
  void interruptStopsTrainingAtABatchBoundaryAndSavesTheLastCheckpoint() {
    Path runDir = dir.resolve("run");
    Scheduler interruptAfterFirstEpoch = new Scheduler() {
      @Override
      public void onEpochEnd(TrainingControl control) {
        Scripts.RUNNER.interrupt();
      }
    };
    Path script = Scripts.write(dir, "long.js", """
        const data = rg.data.synthetic('spirals', { n: 300 });
        rg.trainer({ epochs: 1000, batchSize: 10, checkpoint: true })
          .fit(rg.sequential([rg.layer('dense', { units: 16 }), rg.layer('relu'), rg.layer('dense', { units: 3 })]),
               data.train, data.validation);
        console.log('not reached');
        """);
    ScriptResult result = Scripts.RUNNER.run(script, Scripts.options().runDir(runDir)
        .extraScheduler(interruptAfterFirstEpoch).build());

    assertTrue(result.interrupted());
    assertFalse(result.output().contains("not reached"));
    TrainingRecord training = result.lastTraining();
    assertTrue(training.interrupted());
    assertTrue(training.history().epochs() < 5, "stopped early: " + training.history().epochs());
    assertTrue(Files.isDirectory(runDir.resolve("checkpoints/train-1/last")));
  }

  @Test
  void interruptStopsAScriptThatNeverReturnsToRegimen() {
    Path script = Scripts.write(dir, "loop.js", "console.log('looping');\nlet i = 0;\nwhile (true) { i++; }\n");
    StringBuilder seen = new StringBuilder();
    OutputStream out = new OutputStream() {
      @Override
      public void write(int b) {
        seen.append((char) b);
        if (seen.toString().endsWith("looping")) {
          Scripts.RUNNER.interrupt();
        }
      }
    };
    ScriptResult result = Scripts.RUNNER.run(script, Scripts.options().out(out).build());
    assertTrue(result.interrupted());
    assertTrue(result.trainings().isEmpty());
  }

  @Test
  void onlyJavaScriptAndPythonFilesRun() {
    Path script = Scripts.write(dir, "model.rb", "puts 1\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Scripts.run(script));
    assertTrue(e.getMessage().contains("JavaScript (.js) or Python (.py)"), e.getMessage());
  }

  @Test
  void aDistributedTrainerWithoutItsEngineNamesTheOptionAndTheAddOn() {
    Path script = Scripts.write(dir, "spark.js",
        "rg.trainer({ distributed: { engine: 'spark', master: 'local[2]', workers: 2 } });\n");
    ScriptException e = assertThrows(ScriptException.class, () -> Scripts.run(script));
    assertTrue(e.message().startsWith("Option 'distributed.engine' of rg.trainer asks for engine 'spark', but no"
        + " distributed engine is installed; install the Spark add-on"), e.message());

    Path bad = Scripts.write(dir, "sync.js", "rg.trainer({ distributed: { engine: 'spark', sync: 'allreduce' } });\n");
    e = assertThrows(ScriptException.class, () -> Scripts.run(bad));
    assertTrue(e.message().contains("distributed.sync must be 'gradients' or 'average'. Received: 'allreduce'"),
        e.message());
  }
}
