package dev.regimen.api.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;

/** Convolution and pooling outputs against numbers worked out by hand. */
class ConvPoolValuesTest {

  private static final double[] ONE_TO_NINE = {1, 2, 3, 4, 5, 6, 7, 8, 9};

  /** A 4x4 map with its maxima in different places of each 2x2 block. */
  private static final double[] MAP = {
      1, 5, 2, 0,
      3, 4, 8, 7,
      9, 2, 1, 1,
      0, 6, 3, 5};

  private static double[] values(Tensor t) {
    return t.array().castTo(DataType.DOUBLE).dup('c').data().asDouble();
  }

  @ParameterizedTest(name = "in {0}")
  @ValueSource(strings = {"FLOAT", "DOUBLE"})
  void conv2dIsACrossCorrelationWithAnOutInHeightWidthKernel(DataType type) {
    Tensor x = Tensor.of(ONE_TO_NINE, 1, 1, 3, 3).cast(type);
    // [[1, 2], [3, 4]]: transposed it would give 35 at the top left, flipped (a true convolution) 23.
    Tensor w = Tensor.of(new double[] {1, 2, 3, 4}, 1, 1, 2, 2).cast(type);
    Tensor b = Tensor.of(new double[] {0.5}, 1).cast(type);
    Tensor y = x.conv2d(w, b, Conv2dSpec.defaults());
    assertArrayEquals(new long[] {1, 1, 2, 2}, y.shape());
    // 1*1 + 2*2 + 4*3 + 5*4 = 37, and so on, plus the bias.
    assertArrayEquals(new double[] {37.5, 47.5, 67.5, 77.5}, values(y), 1e-5);
  }

  @Test
  void conv2dReadsWeightsAsOutChannelsThenInChannels() {
    // Channel 0 is [[1, 2], [3, 4]], channel 1 is [[5, 6], [7, 8]].
    Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, 1, 2, 2, 2);
    // w[o][i] holds 1..16 in order: output 0 sees 1..8, output 1 sees 9..16.
    double[] w = new double[16];
    for (int i = 0; i < w.length; i++) {
      w[i] = i + 1;
    }
    Tensor y = x.conv2d(Tensor.of(w, 2, 2, 2, 2), Tensor.of(new double[] {0.5, -1}, 2), Conv2dSpec.defaults());
    assertArrayEquals(new long[] {1, 2, 1, 1}, y.shape());
    // out0 = (1 + 4 + 9 + 16) + (25 + 36 + 49 + 64) = 204; out1 = (9 + 20 + 33 + 48) + (65 + 84 + 105 + 128) = 492.
    // Read as [inC, outC, kH, kW], out0 would be 30 + 278 = 308.
    assertArrayEquals(new double[] {204.5, 491}, values(y), 1e-9);
  }

  @Test
  void conv2dHonoursStridePaddingAndDilation() {
    Tensor x = Tensor.of(ONE_TO_NINE, 1, 1, 3, 3);
    Tensor w = Tensor.of(new double[] {1, 2, 3, 4}, 1, 1, 2, 2);
    // Padding 1, stride 2: windows at rows/cols -1 and 1 over the zero-padded 5x5.
    Tensor padded = x.conv2d(w, null, Conv2dSpec.of(2, 1, 1));
    // Top left sees only x[0][0] under the kernel's 4: 4. Top right: x[0][1]*3 + x[0][2]*4 = 6 + 12 = 18.
    // Bottom left: x[1][0]*2 + x[2][0]*4 = 8 + 28 = 36. Bottom right: 5 + 12 + 24 + 36 = 77.
    assertArrayEquals(new double[] {4, 18, 36, 77}, values(padded), 1e-9);
    // Dilation 2: the kernel taps the corners of the 3x3: 1*1 + 2*3 + 3*7 + 4*9 = 64.
    Tensor dilated = x.conv2d(w, null, Conv2dSpec.of(1, 0, 2));
    assertArrayEquals(new long[] {1, 1, 1, 1}, dilated.shape());
    assertArrayEquals(new double[] {64}, values(dilated), 1e-9);
  }

  @Test
  void maxPoolTakesEachWindowsMaximum() {
    Tensor x = Tensor.of(MAP, 1, 1, 4, 4);
    assertArrayEquals(new double[] {5, 8, 9, 5}, values(x.maxPool2d(Pool2dSpec.of(2, 2, 0))), 0);
    assertArrayEquals(new double[] {9, 8, 9, 8}, values(x.maxPool2d(Pool2dSpec.of(3, 1, 0))), 0);
  }

  @Test
  void maxPoolIgnoresPaddingEvenWhenEveryInputIsNegative() {
    Tensor x = Tensor.of(MAP, 1, 1, 4, 4).neg().sub(1);
    // Windows of 2 at stride 2 with padding 1 over rows and columns {-1, 0}, {1, 2}, {3, 4}.
    double[] expected = {-2, -3, -1, -4, -2, -2, -1, -4, -6};
    assertArrayEquals(expected, values(x.maxPool2d(Pool2dSpec.of(2, 2, 1))), 0);
  }

  @Test
  void avgPoolTakesEachWindowsMean() {
    Tensor x = Tensor.of(MAP, 1, 1, 4, 4);
    assertArrayEquals(new double[] {3.25, 4.25, 4.25, 2.5}, values(x.avgPool2d(Pool2dSpec.of(2, 2, 0))), 1e-6);
  }

  @Test
  void avgPoolCountsPaddingInTheDivisorOnlyWhenAsked() {
    Tensor ones = Tensor.ones(DataType.DOUBLE, 1, 1, 4, 4);
    // Without countPadding a border window averages its real inputs only: all ones.
    double[] excluded = values(ones.avgPool2d(new Pool2dSpec(3, 3, 1, 1, 1, 1, false)));
    assertArrayEquals(new double[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, excluded, 1e-12);
    // With it, padded zeros count: corners see 4 of 9 inputs, edges 6 of 9, the centre 9 of 9.
    double c = 4.0 / 9;
    double e = 6.0 / 9;
    double[] included = values(ones.avgPool2d(new Pool2dSpec(3, 3, 1, 1, 1, 1, true)));
    assertArrayEquals(new double[] {c, e, e, c, e, 1, 1, e, e, 1, 1, e, c, e, e, c}, included, 1e-12);
  }

  @Test
  void poolingKeepsBatchAndChannelsApart() {
    double[] two = new double[32];
    for (int i = 0; i < 16; i++) {
      two[i] = MAP[i];
      two[16 + i] = -MAP[i];
    }
    Tensor x = Tensor.of(two, 2, 1, 4, 4);
    Tensor asChannels = Tensor.of(two, 1, 2, 4, 4);
    double[] expected = {5, 8, 9, 5, -1, 0, 0, -1};
    assertArrayEquals(expected, values(x.maxPool2d(Pool2dSpec.of(2, 2, 0))), 0);
    assertArrayEquals(expected, values(asChannels.maxPool2d(Pool2dSpec.of(2, 2, 0))), 0);
  }
}
