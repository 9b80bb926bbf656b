package dev.regimen.api.tensor;

import static dev.regimen.api.tensor.Draws.assertGradients;
import static dev.regimen.api.tensor.Draws.shape;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Finite-difference checks of sum, mean, max and var over every kind of axis set, with and without keepDims. */
class ReductionGradientTest {
  private final Draws draws = new Draws(23);

  private static final List<List<String>> SHAPES_AND_AXES = List.of(
      List.of("2x3x4", ""),
      List.of("2x3x4", "0"),
      List.of("2x3x4", "1"),
      List.of("2x3x4", "2"),
      List.of("2x3x4", "-1"),
      List.of("2x3x4", "0,2"),
      List.of("2x3x4", "1,2"),
      List.of("2x3x4", "0,1,2"),
      List.of("3x4", "0"),
      List.of("3x4", "-2"),
      List.of("5", "0"),
      List.of("2x1x3", "1"));

  static Stream<Arguments> cases() {
    return SHAPES_AND_AXES.stream()
        .flatMap(c -> Stream.of(true, false).map(keep -> Arguments.of(c.get(0), c.get(1), keep)));
  }

  private static int[] axes(String text) {
    return text.isEmpty() ? new int[0] : Arrays.stream(text.split(",")).mapToInt(Integer::parseInt).toArray();
  }

  @ParameterizedTest(name = "sum of {0} over [{1}], keepDims={2}")
  @MethodSource("cases")
  void sumBroadcastsTheGradientBack(String shape, String axes, boolean keepDims) {
    assertGradients(t -> t.get(0).sum(keepDims, axes(axes)), draws.normal(shape(shape)));
  }

  @ParameterizedTest(name = "mean of {0} over [{1}], keepDims={2}")
  @MethodSource("cases")
  void meanSpreadsTheGradientOverTheReducedElements(String shape, String axes, boolean keepDims) {
    assertGradients(t -> t.get(0).mean(keepDims, axes(axes)), draws.normal(shape(shape)));
  }

  @ParameterizedTest(name = "max of {0} over [{1}], keepDims={2}")
  @MethodSource("cases")
  void maxRoutesTheGradientToTheMaximum(String shape, String axes, boolean keepDims) {
    assertGradients(t -> t.get(0).max(keepDims, axes(axes)), draws.distinct(shape(shape)));
  }

  @ParameterizedTest(name = "var of {0} over [{1}], keepDims={2}")
  @MethodSource("cases")
  void populationVarianceBackPropagates(String shape, String axes, boolean keepDims) {
    assertGradients(t -> t.get(0).var(keepDims, axes(axes)), draws.normal(shape(shape)));
  }

  /** The cases that reduce at least two elements: a single element has no sample variance. */
  static Stream<Arguments> sampleVarianceCases() {
    return cases().filter(a -> !(a.get()[0].equals("2x1x3") && a.get()[1].equals("1")));
  }

  @ParameterizedTest(name = "unbiased var of {0} over [{1}], keepDims={2}")
  @MethodSource("sampleVarianceCases")
  void sampleVarianceBackPropagates(String shape, String axes, boolean keepDims) {
    assertGradients(t -> t.get(0).var(keepDims, true, axes(axes)), draws.normal(shape(shape)));
  }

  @ParameterizedTest(name = "sum() and mean() of {0}")
  @MethodSource("allShapes")
  void sumAndMeanOfEverythingAreRankZeroAndBackPropagate(String shape) {
    Tensor x = draws.normal(shape(shape));
    assertEquals(0, x.sum().rank());
    assertEquals(0, x.mean().rank());
    assertGradients(t -> t.get(0).sum().mul(t.get(0).mean()), x);
  }

  static Stream<String> allShapes() {
    return Stream.of("scalar", "1", "4", "2x3", "2x1x2");
  }
}
