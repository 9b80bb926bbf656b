package dev.regimen.plugins.diagnostics;

import static dev.regimen.plugins.diagnostics.Fixtures.batchnorm;
import static dev.regimen.plugins.diagnostics.Fixtures.blobs;
import static dev.regimen.plugins.diagnostics.Fixtures.dense;
import static dev.regimen.plugins.diagnostics.Fixtures.dropout;
import static dev.regimen.plugins.diagnostics.Fixtures.relu;
import static dev.regimen.plugins.diagnostics.Fixtures.train;
import static dev.regimen.plugins.diagnostics.Fixtures.varianceShift;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentException;
import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.core.layers.AbstractContainer;
import dev.regimen.core.layers.Residual;
import dev.regimen.core.layers.Sequential;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** How the variance-shift diagnostic runs: without side effects, through containers, with its options. */
class VarianceShiftMechanicsTest {

  @Test
  @SuppressWarnings("try")
  void leavesBatchNormRunningStatisticsAndTheModelsOutputsAsTheyWere() {
    Layer model = Sequential.of(dense(16), dropout(0.5), dense(16), batchnorm(), relu(), dense(3));
    train(model, 1);
    Tensor inputs = blobs().features();
    Map<String, INDArray> before = copies(Layers.buffers(model));
    INDArray outputBefore;
    try (Tensor.GradScope scope = Tensor.noGrad()) {
      outputBefore = model.forward(inputs, ForwardContext.evaluation()).array().dup();
    }
    Map<String, Double> measured = varianceShift(Map.of()).probe(inputs).measure(model, 0);
    assertFalse(measured.isEmpty());
    assertEquals(before, copies(Layers.buffers(model)), "running statistics after the diagnostic");
    try (Tensor.GradScope scope = Tensor.noGrad()) {
      assertEquals(outputBefore, model.forward(inputs, ForwardContext.evaluation()).array());
    }
    assertTrue(Tensor.isGradEnabled(), "the no-grad scope is closed again");
  }

  @Test
  @SuppressWarnings("try")
  void findsTheInputsOfBatchNormsInsideNestedSequentialsAndResiduals() {
    // batchnorm_1 is the first layer of a sequential inside a residual: its input is dense_1's output.
    Layer model = Sequential.of(dense(8), new Residual(Sequential.of(batchnorm(), dense(8))), batchnorm(), dense(3));
    Tensor probe = Tensor.of(new Rng(2).normal(DataType.FLOAT, 0, 1, 64, 5));
    Map<String, Double> measured = varianceShift(Map.of()).probe(probe).measure(model, 0);
    Map<String, Tensor> taps;
    try (Tensor.GradScope scope = Tensor.noGrad()) {
      ForwardContext ctx = ForwardContext.evaluation().recordingTaps();
      model.forward(probe, ctx);
      taps = ctx.taps();
    }
    assertEquals(meanUnitVariance(taps.get("dense_1")), measured.get("var_eval/batchnorm_1"), 1e-5);
    assertEquals(meanUnitVariance(taps.get("residual_1")), measured.get("var_eval/batchnorm_2"), 1e-5);
    assertEquals(1.0, measured.get("variance_shift/batchnorm_1"), 1e-9, "no noise and no batch norm before it");
  }

  @Test
  void skipsABatchNormBehindAnUnknownContainerWithOneWarningNamingIt() {
    Layer model = Sequential.of(dense(8), new Wrapper(batchnorm()), batchnorm(), dense(3));
    VarianceShift shift = varianceShift(Map.of("input_shape", 5));
    try (CapturedWarnings log = new CapturedWarnings(VarianceShift.class)) {
      Map<String, Double> first = shift.measure(model, 0);
      shift.measure(model, 1);
      assertFalse(first.containsKey("variance_shift/batchnorm_1"), first.toString());
      assertTrue(first.containsKey("variance_shift/batchnorm_2"), first.toString());
      assertEquals(1, log.messages().size(), log.messages().toString());
      assertTrue(log.messages().get(0).contains("'batchnorm_1' (batchnorm)")
          && log.messages().get(0).contains("'wrapper_1' (wrapper)"), log.messages().get(0));
    }
  }

  @Test
  void allLayersAlsoRecordsTheShiftOfEveryLayerOutput() {
    Layer model = Sequential.of(dense(16), dropout(0.5), dense(16), batchnorm(), relu(), dense(3));
    Map<String, Double> measured =
        varianceShift(Map.of("all_layers", true, "input_shape", 8, "samples", 512)).measure(model, 0);
    assertEquals(1.0, measured.get("variance_shift_out/dense_1"), 1e-9);
    assertTrue(measured.get("variance_shift_out/dropout_1") > 1.5, measured.toString());
    assertEquals(measured.get("variance_shift/batchnorm_1"), measured.get("variance_shift_out/dense_2"), 1e-12,
        "batchnorm_1's input is dense_2's output");
  }

  @Test
  void takesItsProbeFromADatasetAndUsesTheFirstSamplesRows() {
    Layer model = Sequential.of(dense(16), batchnorm(), relu(), dense(3));
    Map<String, Double> fromDataset = varianceShift(Map.of("probe", blobs(), "samples", 100)).measure(model, 0);
    Tensor first100 = blobs().features().slice(0, 0, 100);
    Map<String, Double> fromRows = varianceShift(Map.of()).probe(first100).measure(model, 0);
    assertEquals(fromRows, fromDataset);
  }

  @Test
  void drawsAStandardNormalProbeFromInputShapeAndItsSeed() {
    Layer model = Sequential.of(dense(16), dropout(0.5), dense(16), batchnorm(), dense(3));
    Map<String, Double> a = varianceShift(Map.of("input_shape", 8, "seed", 1)).measure(model, 0);
    Map<String, Double> b = varianceShift(Map.of("input_shape", 8, "seed", 1)).measure(model, 0);
    Map<String, Double> c = varianceShift(Map.of("input_shape", 8, "seed", 2)).measure(model, 0);
    assertEquals(a, b, "same seed, same numbers");
    assertNotEquals(a, c);
  }

  @Test
  void rejectsAProbeThatIsNotData() {
    ComponentException e = assertThrows(ComponentException.class, () -> varianceShift(Map.of("probe", "train")));
    assertEquals("Option 'probe' of scheduler 'variance_shift' must be a Tensor, an INDArray or a dataset."
        + " Received: probe=train", e.getMessage());
  }

  @Test
  void runningShiftIsLiEtAlsSymmetricRatioAveragedOverChannels() {
    assertEquals((2 + 2 + 1) / 3.0, VarianceShift.runningShift(new double[] {2, 1, 3}, new double[] {1, 2, 3}), 1e-12);
    assertTrue(Double.isNaN(VarianceShift.runningShift(new double[] {0}, new double[] {1})));
  }

  private static double meanUnitVariance(Tensor t) {
    INDArray x = t.array().castTo(DataType.DOUBLE);
    return x.var(false, 0).meanNumber().doubleValue();
  }

  private static Map<String, INDArray> copies(Map<String, Tensor> buffers) {
    Map<String, INDArray> out = new LinkedHashMap<>();
    buffers.forEach((name, t) -> out.put(name, t.array().dup()));
    return out;
  }

  /** A container whose wiring the diagnostic cannot know: y = child(x). */
  private static final class Wrapper extends AbstractContainer {
    private final Layer child;

    Wrapper(Layer child) {
      super("wrapper");
      this.child = child;
    }

    @Override
    public List<Layer> children() {
      return List.of(child);
    }

    @Override
    public long[] outputShape(long[] inputShape) {
      return child.outputShape(inputShape);
    }

    @Override
    protected void onBuild(long[] inputShape, Rng rng) {
      child.build(inputShape, rng.fork(streamKey(child, 0)));
    }

    @Override
    protected Tensor call(Tensor input, ForwardContext ctx) {
      return child.forward(input, ctx);
    }
  }
}
