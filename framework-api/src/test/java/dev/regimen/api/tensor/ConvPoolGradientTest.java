package dev.regimen.api.tensor;

import static dev.regimen.api.tensor.Draws.assertGradients;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Finite-difference checks of conv2d (libnd4j conv2d_bp) and both poolings (their _bp ops). */
class ConvPoolGradientTest {
  private final Draws draws = new Draws(53);

  @ParameterizedTest(name = "conv2d x[{0},{1},{2},{3}] w[{4},{1},{5},{6}] stride {7}x{8} pad {9}x{10} dilation {11}x{12} bias {13}")
  @CsvSource({
      // N, C, H, W, outC, kH, kW, sH, sW, pH, pW, dH, dW, bias
      "1, 1, 3, 3, 1, 2, 2, 1, 1, 0, 0, 1, 1, true",
      "1, 1, 3, 3, 1, 2, 2, 1, 1, 0, 0, 1, 1, false",
      "2, 3, 5, 5, 4, 3, 3, 1, 1, 1, 1, 1, 1, true",
      "2, 2, 6, 5, 3, 3, 3, 2, 2, 1, 1, 1, 1, false",
      "1, 2, 7, 7, 2, 3, 3, 1, 1, 2, 2, 2, 2, true",
      "2, 3, 5, 7, 2, 2, 3, 1, 2, 0, 1, 1, 1, true",
      "1, 2, 6, 8, 3, 3, 2, 2, 1, 1, 0, 2, 1, false",
      "1, 2, 4, 4, 2, 1, 1, 2, 2, 0, 0, 1, 1, true"})
  void conv2dBackPropagatesToInputWeightAndBias(long n, long c, long h, long w, long outC, long kH, long kW,
      int sH, int sW, int pH, int pW, int dH, int dW, boolean withBias) {
    Conv2dSpec spec = new Conv2dSpec(sH, sW, pH, pW, dH, dW);
    Tensor x = draws.normal(n, c, h, w);
    Tensor weight = draws.normal(outC, c, kH, kW);
    if (withBias) {
      assertGradients(t -> t.get(0).conv2d(t.get(1), t.get(2), spec), x, weight, draws.normal(outC));
    } else {
      assertGradients(t -> t.get(0).conv2d(t.get(1), null, spec), x, weight);
    }
  }

  @ParameterizedTest(name = "maxPool2d x[{0},{1},{2},{3}] kernel {4}x{5} stride {6}x{7} pad {8}x{9}")
  @CsvSource({
      // N, C, H, W, kH, kW, sH, sW, pH, pW
      "2, 2, 4, 4, 2, 2, 2, 2, 0, 0",
      "1, 2, 5, 5, 3, 3, 2, 2, 1, 1",
      "1, 1, 5, 6, 3, 3, 1, 1, 1, 1",
      "2, 1, 6, 5, 2, 3, 2, 1, 1, 1",
      "1, 2, 4, 5, 3, 2, 1, 2, 0, 1"})
  void maxPoolRoutesTheGradientToEachWindowsMaximum(long n, long c, long h, long w, int kH, int kW,
      int sH, int sW, int pH, int pW) {
    Pool2dSpec spec = new Pool2dSpec(kH, kW, sH, sW, pH, pW, false);
    assertGradients(t -> t.get(0).maxPool2d(spec), draws.distinct(n, c, h, w));
  }

  @ParameterizedTest(name = "avgPool2d x[{0},{1},{2},{3}] kernel {4}x{5} stride {6}x{7} pad {8}x{9} countPadding {10}")
  @CsvSource({
      // N, C, H, W, kH, kW, sH, sW, pH, pW, countPadding
      "2, 2, 4, 4, 2, 2, 2, 2, 0, 0, false",
      "1, 2, 5, 5, 3, 3, 2, 2, 1, 1, false",
      "1, 2, 5, 5, 3, 3, 2, 2, 1, 1, true",
      "1, 1, 5, 6, 3, 3, 1, 1, 1, 1, false",
      "1, 1, 5, 6, 3, 3, 1, 1, 1, 1, true",
      "2, 1, 6, 5, 2, 3, 2, 1, 1, 1, false",
      "2, 1, 6, 5, 2, 3, 2, 1, 1, 1, true",
      "1, 2, 4, 5, 3, 2, 1, 2, 0, 1, true"})
  void avgPoolSpreadsTheGradientOverEachWindow(long n, long c, long h, long w, int kH, int kW,
      int sH, int sW, int pH, int pW, boolean countPadding) {
    Pool2dSpec spec = new Pool2dSpec(kH, kW, sH, sW, pH, pW, countPadding);
    assertGradients(t -> t.get(0).avgPool2d(spec), draws.normal(n, c, h, w));
  }
}
