package dev.regimen.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Regularizer;
import dev.regimen.core.checkpoint.CheckpointStore;
import dev.regimen.core.data.Dataset;
import dev.regimen.core.data.EmbeddedData;
import dev.regimen.core.layers.LayerFactories;
import dev.regimen.core.layers.Sequential;
import dev.regimen.core.losses.SoftmaxCrossEntropy;
import dev.regimen.core.optim.Adam;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Transfer learning end to end: a source model trained on the digits, its layers copied into new
 * models by name and by position, then fine-tuned with the copied layer frozen and unfrozen.
 */
class TransferTest {
  private static final long[] INPUT = {64};

  @TempDir
  static Path source;

  private static Dataset train;
  private static Path checkpoint;
  private static Path renamedCheckpoint;

  @BeforeAll
  static void trainSourceModels() {
    Dataset digits = EmbeddedData.digits();
    train = Dataset.classification(digits.features().array().div(16.0), digits.targets().array(), 10);
    new Trainer(base().epochs(1).checkpointDir(source.resolve("plain")).build()).fit(mlp(32), train, null);
    checkpoint = source.resolve("plain").resolve(Trainer.LAST);

    // The same kind of network with names of its own: enc_a, enc_b, classifier.
    Layer renamed = Sequential.of(named(dense(32), "enc_a"), LayerFactories.create("relu"),
        named(dense(16), "enc_b"), LayerFactories.create("relu"), named(dense(10), "classifier"));
    new Trainer(base().epochs(1).checkpointDir(source.resolve("renamed")).build()).fit(renamed, train, null);
    renamedCheckpoint = source.resolve("renamed").resolve(Trainer.LAST);
  }

  private static TrainerConfig.Builder base() {
    return TrainerConfig.builder()
        .objective(new SoftmaxCrossEntropy())
        .optimizer(new Adam(2e-3))
        .batchSize(64)
        .seed(3)
        .progress(false);
  }

  private static Layer dense(int units) {
    return LayerFactories.create("dense", Map.of("units", units));
  }

  private static Layer named(Layer layer, String name) {
    layer.assignName(name);
    return layer;
  }

  /** dense_1 (hidden units), relu_1, dense_2 (10 classes). */
  private static Layer mlp(int hidden) {
    return Sequential.of(dense(hidden), LayerFactories.create("relu"), dense(10));
  }

  private static Layer built(Layer model, long seed) {
    return Layers.build(model, INPUT, new Rng(seed));
  }

  /** Copies of every parameter and buffer, by model-wide name. */
  private static Map<String, INDArray> snapshot(Layer model) {
    Map<String, INDArray> out = new LinkedHashMap<>();
    TrainingCheckpoints.modelArrays(model).forEach((name, array) -> out.put(name, array.dup()));
    return out;
  }

  private static INDArray array(Layer model, String name) {
    return TrainingCheckpoints.modelArrays(model).get(name);
  }

  /** Bit-for-bit equality (INDArray.equals allows a small tolerance). */
  private static void assertBitwise(INDArray expected, INDArray actual, String what) {
    assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
    assertArrayEquals(expected.ravel().toFloatVector(), actual.ravel().toFloatVector(), 0.0f, what);
  }

  private static Map<String, INDArray> saved(Path dir) {
    return CheckpointStore.load(dir).modelArrays();
  }

  @Test
  void initializeByNameCopiesExactlyTheNamedLayersAndNothingElse() {
    Layer model = built(mlp(32), 99);
    Map<String, INDArray> before = snapshot(model);

    Map<String, String> copies = Transfer.initialize(model, checkpoint, "dense_1");

    assertEquals(Map.of("dense_1.weight", "dense_1.weight", "dense_1.bias", "dense_1.bias"), copies);
    Map<String, INDArray> saved = saved(checkpoint);
    for (String name : List.of("dense_1.weight", "dense_1.bias")) {
      assertBitwise(saved.get(name), array(model, name), name + " comes from the checkpoint");
    }
    for (String name : List.of("dense_2.weight", "dense_2.bias")) {
      assertBitwise(before.get(name), array(model, name), name + " is untouched");
      assertNotEquals(saved.get(name), array(model, name), name + " is not the checkpoint's");
    }
  }

  @Test
  void namingAContainerCopiesEveryLayerInsideIt() {
    Layer model = built(mlp(32), 99);
    Map<String, String> copies = Transfer.initialize(model, checkpoint, "sequential_1");
    assertEquals(List.of("dense_1.weight", "dense_1.bias", "dense_2.weight", "dense_2.bias"),
        List.copyOf(copies.keySet()));
    assertBitwise(saved(checkpoint).get("dense_2.weight"), array(model, "dense_2.weight"), "dense_2.weight");
  }

  @Test
  void unknownNamesAreReportedWithTheLayersOfBothModels() {
    Layer model = built(Sequential.of(dense(32), LayerFactories.create("relu"), dense(10), dense(3)), 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Transfer.initialize(model, checkpoint, "dense_3", "dense_9"));
    String m = e.getMessage();
    assertTrue(m.contains("the checkpoint has no layer 'dense_3'"), m);
    assertTrue(m.contains("the model has no layer 'dense_9'") && m.contains("the checkpoint has no layer 'dense_9'"), m);
    assertTrue(m.contains("Model layers: sequential_1, dense_1, relu_1, dense_2, dense_3"), m);
    assertTrue(m.contains("Checkpoint layers: sequential_1, dense_1, relu_1, dense_2"), m);
  }

  @Test
  void aShapeMismatchByNameNamesTheArrayAndBothShapesAndCopiesNothing() {
    Layer model = built(mlp(20), 7);
    Map<String, INDArray> before = snapshot(model);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Transfer.initialize(model, checkpoint, "dense_1", "dense_2"));
    assertTrue(e.getMessage().contains("array 'dense_1.weight' has shape [64, 20] in the model and [64, 32] in the "
        + "checkpoint"), e.getMessage());
    assertTrue(e.getMessage().contains("array 'dense_2.weight' has shape [20, 10] in the model and [32, 10]"),
        e.getMessage());
    before.forEach((name, array) -> assertBitwise(array, array(model, name), name + " is untouched"));
  }

  @Test
  void anUnbuiltModelIsRefusedWithTheReason() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Transfer.initialize(mlp(32), checkpoint, "dense_1"));
    assertTrue(e.getMessage().contains("needs a built model") && e.getMessage().contains("Layers.build"),
        e.getMessage());
    assertThrows(IllegalStateException.class, () -> Transfer.initializeFirst(mlp(32), checkpoint, 1));
  }

  @Test
  void initializeFirstMapsLayersByPositionAcrossDifferentNamesAndNesting() {
    // sequential_1 [ sequential_2 [dense_1, relu_1], dense_2, relu_2, dense_3 (a new 3-class head) ]
    Layer model = built(Sequential.of(Sequential.of(dense(32), LayerFactories.create("relu")), dense(16),
        LayerFactories.create("relu"), dense(3)), 5);
    Map<String, INDArray> before = snapshot(model);

    Map<String, String> copies = Transfer.initializeFirst(model, renamedCheckpoint, 2);

    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("dense_1.weight", "enc_a.weight");
    expected.put("dense_1.bias", "enc_a.bias");
    expected.put("dense_2.weight", "enc_b.weight");
    expected.put("dense_2.bias", "enc_b.bias");
    assertEquals(expected, copies);
    Map<String, INDArray> saved = saved(renamedCheckpoint);
    copies.forEach((to, from) -> assertBitwise(saved.get(from), array(model, to), to + " <- " + from));
    assertBitwise(before.get("dense_3.weight"), array(model, "dense_3.weight"), "the new head is untouched");
  }

  @Test
  void initializeFirstNamesBothLayersAndShapesOnAMismatch() {
    Layer model = built(Sequential.of(dense(32), LayerFactories.create("relu"), dense(16),
        LayerFactories.create("relu"), dense(3)), 5);
    Map<String, INDArray> before = snapshot(model);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Transfer.initializeFirst(model, renamedCheckpoint, 3));
    assertTrue(e.getMessage().contains("model 'dense_3' (dense) and checkpoint 'classifier' (dense)"), e.getMessage());
    assertTrue(e.getMessage().contains("model array 'dense_3.weight' has shape [16, 3] but checkpoint array "
        + "'classifier.weight' has [16, 10]"), e.getMessage());
    before.forEach((name, array) -> assertBitwise(array, array(model, name), name + " is untouched"));

    IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
        () -> Transfer.initializeFirst(model, renamedCheckpoint, 4));
    assertTrue(tooMany.getMessage().contains("the model has 3 layers with parameters [dense_1 (dense), dense_2 (dense), "
        + "dense_3 (dense)] and the checkpoint 3 [enc_a (dense), enc_b (dense), classifier (dense)]"),
        tooMany.getMessage());
  }

  /**
   * Records which parameters it is shown, adds a small L2 penalty, and shrinks every weight it is
   * given after each step, as decoupled weight decay does.
   */
  private static final class RecordingRegularizer implements Regularizer {
    final Set<String> penalized = new LinkedHashSet<>();
    final Set<String> stepped = new LinkedHashSet<>();

    @Override
    public Tensor penalty(List<Parameter> parameters) {
      Tensor sum = null;
      for (Parameter p : parameters) {
        penalized.add(p.name());
        if (p.weight()) {
          Tensor square = p.value().mul(p.value()).sum().mul(1e-4);
          sum = sum == null ? square : sum.add(square);
        }
      }
      return sum;
    }

    @Override
    public void afterStep(List<Parameter> parameters, Context ctx) {
      for (Parameter p : parameters) {
        stepped.add(p.name());
        if (p.weight()) {
          p.value().array().muli(0.99);
        }
      }
    }

    void clear() {
      penalized.clear();
      stepped.clear();
    }
  }

  @Test
  void fineTuningWithTheFirstLayerFrozenLeavesItBitIdenticalAndUnregularizedUntilUnfrozen() {
    Layer model = built(mlp(32), 11);
    Transfer.initialize(model, checkpoint, "dense_1");
    Map<String, INDArray> before = snapshot(model);
    RecordingRegularizer regularizer = new RecordingRegularizer();
    TrainerConfig.Builder builder = base().epochs(2).regularizer(regularizer).freeze("dense_1");

    new Trainer(builder.build()).fit(model, train, null);

    for (String name : List.of("dense_1.weight", "dense_1.bias")) {
      assertBitwise(before.get(name), array(model, name), name + " is frozen: bit for bit unchanged");
    }
    assertNotEquals(before.get("dense_2.weight"), array(model, "dense_2.weight"), "the head trains");
    // DL4J #4250 applied L2 to frozen layers; here a frozen parameter is never seen by a regularizer.
    assertEquals(Set.of("dense_2.weight", "dense_2.bias"), regularizer.penalized);
    assertEquals(Set.of("dense_2.weight", "dense_2.bias"), regularizer.stepped);

    regularizer.clear();
    builder.unfreeze("dense_1").optimizer(new Adam(1e-3)).epochs(1);
    assertTrue(builder.build().frozen().isEmpty());
    new Trainer(builder.build()).fit(model, train, null);

    assertNotEquals(before.get("dense_1.weight"), array(model, "dense_1.weight"), "unfrozen, dense_1 trains again");
    assertTrue(regularizer.penalized.contains("dense_1.weight"), regularizer.penalized.toString());
    assertTrue(regularizer.stepped.contains("dense_1.weight"), regularizer.stepped.toString());
  }

  @Test
  void unfreezeRemovesOnlyTheNamedLayersAndIgnoresOthers() {
    TrainerConfig.Builder builder = base().freeze("dense_1", "dense_2").unfreeze("dense_2", "not_frozen");
    assertEquals(Set.of("dense_1"), builder.build().frozen());
    assertFalse(builder.unfreeze("dense_1").build().frozen().contains("dense_1"));
  }
}
