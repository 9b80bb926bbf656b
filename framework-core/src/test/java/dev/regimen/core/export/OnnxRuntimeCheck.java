package dev.regimen.core.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.tensor.Rng;
import dev.regimen.core.data.Normalizer;
import dev.regimen.core.train.Evaluation;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs an exported ONNX model in onnxruntime (its Java package, a test dependency) and compares its
 * output with Regimen's, for this module's tests and the plugin families' (through the test-jar).
 * Tolerance: |onnx - regimen| <= {@value #ABSOLUTE} + {@value #RELATIVE} |regimen|, float32 rounding
 * of two different kernels.
 */
public final class OnnxRuntimeCheck {
  public static final double ABSOLUTE = 1e-5;
  public static final double RELATIVE = 1e-4;

  private OnnxRuntimeCheck() {}

  /** The output of an ONNX model for float32 features [N, ...], as an array of the output's shape. */
  public static INDArray run(byte[] model, INDArray features) {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      try (OrtSession session = env.createSession(model, options);
          OnnxTensor input = OnnxTensor.createTensor(env,
              FloatBuffer.wrap(features.castTo(DataType.FLOAT).dup('c').data().asFloat()), features.shape());
          OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT, input))) {
        OnnxTensor output = (OnnxTensor) result.get(OnnxExport.OUTPUT).orElseThrow();
        FloatBuffer values = output.getFloatBuffer();
        float[] data = new float[values.remaining()];
        values.get(data);
        return Nd4j.create(data, output.getInfo().getShape(), 'c');
      }
    } catch (OrtException e) {
      throw new AssertionError("onnxruntime could not run the exported model: " + e.getMessage(), e);
    }
  }

  /** Asserts that two outputs have one shape and agree within the tolerance, naming the worst element. */
  public static void assertClose(INDArray expected, INDArray actual, String what) {
    assertArrayEquals(expected.shape(), actual.shape(), what + ": shapes");
    float[] e = expected.castTo(DataType.FLOAT).dup('c').data().asFloat();
    float[] a = actual.castTo(DataType.FLOAT).dup('c').data().asFloat();
    int worst = -1;
    double worstExcess = 0;
    for (int i = 0; i < e.length; i++) {
      double excess = Math.abs(a[i] - e[i]) - (ABSOLUTE + RELATIVE * Math.abs(e[i]));
      if (!(excess <= worstExcess)) {
        worstExcess = excess;
        worst = i;
      }
    }
    if (worst >= 0) {
      throw new AssertionError(what + ": element " + worst + " is " + a[worst] + " in onnxruntime and " + e[worst]
          + " in Regimen (tolerance " + ABSOLUTE + " + " + RELATIVE + " |x|)");
    }
  }

  /**
   * Builds {@code model} for {@code sampleShape} with seeded weights, exports it, runs both on seeded
   * normal features [batch, ...sampleShape] and asserts that they agree; returns Regimen's output.
   */
  public static INDArray assertSameOutputs(Layer model, long[] sampleShape, int batch, long seed) {
    Layers.build(model, sampleShape, new Rng(seed));
    long[] shape = new long[sampleShape.length + 1];
    shape[0] = batch;
    System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
    INDArray features = new Rng(seed + 1).normal(DataType.FLOAT, 0, 1, shape);
    return assertSameOutputs(model, sampleShape, null, features);
  }

  /**
   * Gives a built model's parameters seeded normal values and its buffers seeded values in [0.5, 1.5]
   * (positive, as a running variance must be), so that a comparison does not run on the ones and zeros a
   * layer starts with.
   */
  public static void randomize(Layer model, long seed) {
    Rng rng = new Rng(seed);
    for (Layer layer : Layers.all(model)) {
      layer.parameters().forEach((name, p) -> p.array().assign(
          rng.fork(layer.name() + "." + name).normal(p.dataType(), 0, 1, p.shape())));
      layer.buffers().forEach((name, b) -> b.array().assign(
          rng.fork(layer.name() + "." + name).uniform(b.dataType(), 0.5, 1.5, b.shape())));
    }
  }

  /** Exports a built model (with a normalizer, or null) and compares onnxruntime's output on raw features. */
  public static INDArray assertSameOutputs(Layer model, long[] sampleShape, Normalizer normalizer, INDArray raw) {
    INDArray expected = Evaluation.predict(model, normalizer == null ? raw : normalizer.apply(raw), 256);
    INDArray actual = run(OnnxExport.toBytes(model, sampleShape, normalizer, Map.of()), raw);
    assertClose(expected, actual, model.type() + " on " + Arrays.toString(raw.shape()));
    return expected;
  }
}
