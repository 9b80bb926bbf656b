package dev.regimen.core.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentException;
import dev.regimen.api.host.HostServices;
import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Samples;
import dev.regimen.api.train.TrainingOutcome;
import dev.regimen.api.train.TrainingSetup;
import dev.regimen.core.data.Dataset;
import dev.regimen.core.data.Synthetic;
import dev.regimen.core.layers.LayerFactories;
import dev.regimen.core.layers.Sequential;
import dev.regimen.core.losses.SoftmaxCrossEntropy;
import dev.regimen.core.optim.Adam;
import dev.regimen.core.train.Trainer;
import dev.regimen.core.train.TrainerConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The host's services as a plugin reaches them, through the API: training a sub-model, saving and loading a model. */
class CoreHostServicesTest {
  private static final Dataset BLOBS = Synthetic.blobs(240, 3, 4, 1.0, new Rng(5));
  private static final HostServices HOST = HostServices.get();

  @Test
  void theApiFindsTheCoresServicesThroughTheServiceRegistration() {
    assertInstanceOf(CoreHostServices.class, HOST);
    assertEquals(List.of("weights.safetensors", "state.json"), HOST.checkpointFiles());
    assertEquals("dense", HOST.builtInLayer("dense").name());
    assertThrows(ComponentException.class, () -> HOST.builtInLayer("batchnorm"), "a plugin layer is not built in");
  }

  @Test
  void aSetupFromTheHostTrainsTheUnfrozenPartOfAModelAndItsLossFalls() {
    Layer model = mlp();
    TrainingSetup setup = HOST.newTraining().objective(new SoftmaxCrossEntropy()).optimizer(new Adam(1e-2))
        .epochs(6).batchSize(16).seed(3).progress(false).freeze("dense_1");
    Layers.assignNames(model);
    Layers.build(model, BLOBS.sampleShape(), new Rng(3).fork("init"));
    INDArray frozen = model.children().get(0).parameters().get("weight").array().dup();
    INDArray head = model.children().get(2).parameters().get("weight").array().dup();

    TrainingOutcome outcome = setup.fit(model, BLOBS, null);

    List<Double> loss = outcome.history().series("loss");
    assertEquals(6, outcome.epochsRun());
    assertTrue(loss.get(5) < 0.7 * loss.get(0), "loss by epoch: " + loss);
    assertEquals(frozen, model.children().get(0).parameters().get("weight").array(), "dense_1 is frozen");
    assertNotEquals(head, model.children().get(2).parameters().get("weight").array(), "dense_2 is trained");
  }

  @Test
  void fittingASetupIsFittingTheTrainerWithItsConfig() {
    TrainerConfig.Builder setup = TrainerConfig.builder().objective(new SoftmaxCrossEntropy()).optimizer(new Adam(1e-2))
        .epochs(3).seed(9).progress(false);
    List<Double> viaApi = ((TrainingSetup) setup).fit(mlp(), BLOBS, null).history().series("loss");
    List<Double> direct = new Trainer(setup.optimizer(new Adam(1e-2)).build()).fit(mlp(), BLOBS, null).history()
        .series("loss");
    assertEquals(direct, viaApi, "bit for bit the same run");
  }

  @Test
  void dataThatAreNotTheHostsAreRefusedNamingTheType() {
    Samples foreign = new Samples() {
      @Override
      public Tensor features() {
        return BLOBS.features();
      }

      @Override
      public Tensor targets() {
        return BLOBS.targets();
      }

      @Override
      public int size() {
        return BLOBS.size();
      }

      @Override
      public long[] sampleShape() {
        return BLOBS.sampleShape();
      }

      @Override
      public Samples subset(int[] indices) {
        return BLOBS.subset(indices);
      }
    };
    TrainingSetup setup = HOST.newTraining().objective(new SoftmaxCrossEntropy()).optimizer(new Adam(1e-2));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> setup.fit(mlp(), foreign, null));
    assertTrue(e.getMessage().contains(Dataset.class.getName()), e.getMessage());
  }

  @Test
  void aModelLoadedFromACheckpointTheTrainerWroteGivesTheSameOutputs(@TempDir Path runs) {
    Layer trained = mlp();
    new Trainer(TrainerConfig.builder().objective(new SoftmaxCrossEntropy()).optimizer(new Adam(1e-2)).epochs(2)
        .seed(4).progress(false).checkpointDir(runs).build()).fit(trained, BLOBS, null);
    Path checkpoint = runs.resolve(Trainer.LAST);
    assertTrue(HOST.isCheckpoint(checkpoint));
    assertFalse(HOST.isCheckpoint(runs), "the folder above holds no checkpoint itself");

    Layer loaded = HOST.modelFromCheckpoint(checkpoint, HOST::builtInLayer);
    assertFalse(loaded.isBuilt(), "unbuilt until its input shape is known");
    assertEquals(Layers.all(trained).stream().map(Layer::name).toList(),
        Layers.all(loaded).stream().map(Layer::name).toList());
    Layers.build(loaded, BLOBS.sampleShape(), new Rng(0));
    HOST.restoreWeights(loaded, checkpoint);

    try (Tensor.GradScope ignored = Tensor.noGrad()) {
      INDArray expected = trained.forward(BLOBS.features(), ForwardContext.evaluation()).array();
      INDArray actual = loaded.forward(BLOBS.features(), ForwardContext.evaluation()).array();
      assertEquals(0.0, expected.sub(actual).amaxNumber().doubleValue(), "the same weights give the same logits");
    }
  }

  @Test
  void aSavedModelComesBackWithItsNamesConfigAndOutputs(@TempDir Path dir) {
    Layer saved = Layers.build(mlp(), BLOBS.sampleShape(), new Rng(6));
    HOST.saveModel(saved, dir.resolve("model"));
    assertTrue(HOST.isCheckpoint(dir.resolve("model")));

    Layer loaded = HOST.modelFromCheckpoint(dir.resolve("model"), HOST::builtInLayer);
    assertEquals(saved.config(), loaded.config(), "config with names and options");
    Layers.build(loaded, BLOBS.sampleShape(), new Rng(7));
    HOST.restoreWeights(loaded, dir.resolve("model"));

    try (Tensor.GradScope ignored = Tensor.noGrad()) {
      INDArray expected = saved.forward(BLOBS.features(), ForwardContext.evaluation()).array();
      INDArray actual = loaded.forward(BLOBS.features(), ForwardContext.evaluation()).array();
      assertEquals(0.0, expected.sub(actual).amaxNumber().doubleValue(), "the restored weights give the same logits");
    }
  }

  @Test
  void savingAnUnbuiltModelIsRefused(@TempDir Path dir) {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> HOST.saveModel(mlp(), dir));
    assertTrue(e.getMessage().contains("built model"), e.getMessage());
  }

  @Test
  void restoringIntoAnUnbuiltModelIsRefused(@TempDir Path runs) {
    new Trainer(TrainerConfig.builder().objective(new SoftmaxCrossEntropy()).optimizer(new Adam(1e-2)).epochs(1)
        .progress(false).checkpointDir(runs).build()).fit(mlp(), BLOBS, null);
    Layer loaded = HOST.modelFromCheckpoint(runs.resolve(Trainer.LAST), HOST::builtInLayer);
    assertThrows(IllegalStateException.class, () -> HOST.restoreWeights(loaded, runs.resolve(Trainer.LAST)));
  }

  /** dense(8) relu dense(3), unbuilt. */
  private static Layer mlp() {
    return Sequential.of(LayerFactories.create("dense", Map.of("units", 8)), LayerFactories.create("relu"),
        LayerFactories.create("dense", Map.of("units", 3)));
  }
}
