package dev.regimen.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotsTest {
  @TempDir Path dir;

  @Test
  void familiesPairEachMetricWithItsValidationTwinAndGroupTags() {
    List<Plots.Family> families = Plots.families(List.of("loss", "accuracy", "val_loss", "val_accuracy", "lr",
        "variance_shift/dense_1", "variance_shift/dense_2", "val_top_5_accuracy", "val_"));
    assertEquals(List.of(
        new Plots.Family("loss", List.of("loss", "val_loss")),
        new Plots.Family("accuracy", List.of("accuracy", "val_accuracy")),
        new Plots.Family("lr", List.of("lr")),
        new Plots.Family("variance_shift", List.of("variance_shift/dense_1", "variance_shift/dense_2")),
        new Plots.Family("top_5_accuracy", List.of("val_top_5_accuracy")),
        new Plots.Family("val_", List.of("val_"))), families);
  }

  @Test
  void writesOneReadablePngPerFamilyOfTheConfiguredSize() throws Exception {
    List<Path> files = new Plots().writeCurves(HistoryFilesTest.handMade(), dir.resolve("plots"), "");
    assertEquals(List.of("loss.png", "accuracy.png", "lr.png", "variance_shift.png"),
        files.stream().map(p -> p.getFileName().toString()).toList());
    for (Path file : files) {
      BufferedImage image = ImageIO.read(file.toFile());
      assertNotNull(image, file + " is a PNG");
      assertEquals(800, image.getWidth());
      assertEquals(500, image.getHeight());
      assertTrue(distinctColours(image) > 20, file + " has a chart on it, not a blank canvas");
    }
    List<Path> prefixed = new Plots(640, 400).writeCurves(HistoryFilesTest.handMade(), dir, "teacher-");
    assertEquals("teacher-loss.png", prefixed.get(0).getFileName().toString());
    BufferedImage small = ImageIO.read(prefixed.get(0).toFile());
    assertEquals(640, small.getWidth());
    assertEquals(400, small.getHeight());
  }

  @Test
  void drawsSweepBandsAndIntervalsAndRefusesMismatchedArrays() {
    Plots plots = new Plots(640, 400);
    Map<String, double[][]> bands = new LinkedHashMap<>();
    bands.put("rate=0", new double[][] {{0.7, 0.8, 0.85}, {0.6, 0.75, Double.NaN}, {0.8, 0.85, Double.NaN}});
    bands.put("rate=0.5", new double[][] {{0.65, 0.82, 0.88}, {0.6, 0.8, 0.86}, {0.7, 0.84, 0.9}});
    BufferedImage band = plots.bands("val_accuracy per epoch", "val_accuracy", bands);
    assertEquals(640, band.getWidth());
    assertTrue(distinctColours(band) > 20, "a chart, not a blank canvas");
    BufferedImage whiskers = plots.intervals("test_accuracy", "test_accuracy", List.of("rate=0", "rate=0.5"),
        new double[] {0.8, Double.NaN}, new double[] {0.7, Double.NaN}, new double[] {0.9, Double.NaN},
        List.of(new double[] {0.78, 0.82}, new double[0]));
    assertEquals(400, whiskers.getHeight());
    assertTrue(distinctColours(whiskers) > 20, "a chart, not a blank canvas");
    assertThrows(IllegalArgumentException.class, () -> plots.intervals("x", "x", List.of("a"), new double[2],
        new double[2], new double[2], List.of(new double[0])));
    assertThrows(IllegalArgumentException.class, () -> plots.bands("x", "x", Map.of("a", new double[][] {{1}, {1}})));
  }

  @Test
  void drawsLongRunsAndSingleEpochsAndConstantSeries() throws Exception {
    Plots plots = new Plots();
    List<Double> longRun = new java.util.ArrayList<>();
    for (int e = 0; e < 300; e++) {
      longRun.add(Math.exp(-e / 50.0) + 0.01 * Math.sin(e));
    }
    Map<String, List<Double>> series = new LinkedHashMap<>();
    series.put("loss", longRun);
    assertEquals(800, plots.curves("Loss", "loss", series).getWidth());
    assertEquals(500, plots.curves("One", "loss", Map.of("loss", List.of(0.5))).getHeight());
    assertEquals(500, plots.curves("Lr", "lr", Map.of("lr", List.of(1e-3, 1e-3, 1e-3))).getHeight());
    assertEquals(500, plots.curves("Empty", "x", Map.of("x", List.of(Double.NaN))).getHeight());
  }

  @Test
  void theEpochWhoseWeightsWereKeptIsMarked() {
    Plots plots = new Plots();
    Map<String, List<Double>> series = Map.of("val_loss", List.of(0.9, 0.5, 0.6, 0.7));
    BufferedImage plain = plots.curves("Loss", "loss", series);
    BufferedImage marked = plots.curves("Loss", "loss", series, 1);
    int changed = 0;
    for (int x = 0; x < plain.getWidth(); x++) {
      for (int y = 0; y < plain.getHeight(); y++) {
        changed += plain.getRGB(x, y) != marked.getRGB(x, y) ? 1 : 0;
      }
    }
    assertTrue(changed > 200, "a line and a label: " + changed + " pixels changed");
  }

  @Test
  void barChartsForPerLayerDiagnostics() throws Exception {
    Map<String, double[]> series = new LinkedHashMap<>();
    series.put("training mode", new double[] {1.0, 0.98, 1.02, 0.5});
    series.put("evaluation mode", new double[] {1.0, 1.31, 1.47, Double.NaN});
    List<String> layers = List.of("dense_1", "batchnorm_1", "dropout_1", "dense_2");
    BufferedImage image = new Plots().barChart("Variance shift", series, layers);
    assertEquals(800, image.getWidth());
    assertEquals(500, image.getHeight());
    Path file = Plots.save(new Plots(900, 450).barChart("Variance shift", "layer", "variance", series, layers),
        dir.resolve("plots/variance_shift.png"));
    BufferedImage back = ImageIO.read(file.toFile());
    assertEquals(900, back.getWidth());
    assertEquals(450, back.getHeight());
    assertTrue(Files.size(file) > 1000);

    assertThrows(IllegalArgumentException.class,
        () -> new Plots().barChart("x", Map.of("a", new double[] {1}), List.of("l1", "l2")));
    assertThrows(IllegalArgumentException.class, () -> new Plots(100, 100));
  }

  @Test
  void tickLabelsAreShortDistinctAndLocaleIndependent() {
    assertEquals("0.02", Plots.tickLabel(0.02));
    assertEquals("0.0205", Plots.tickLabel(0.0205));
    assertEquals("0.3", Plots.tickLabel(0.1 + 0.2), "float noise from tick arithmetic is rounded away");
    assertEquals("0", Plots.tickLabel(1e-17));
    assertEquals("-1.25", Plots.tickLabel(-1.25));
    assertEquals("2.5e-4", Plots.tickLabel(2.5e-4));
    assertEquals("1.5e6", Plots.tickLabel(1.5e6));
    assertEquals("12", Plots.tickLabel(12));
  }

  @Test
  void ticksOfOneAxisShareTheirNumberOfDecimals() {
    assertEquals("0.60", new Plots.TickFormat(0.05, 0.9).format(0.6));
    assertEquals("0.65", new Plots.TickFormat(0.05, 0.9).format(0.65000000001));
    assertEquals("0.00", new Plots.TickFormat(0.05, 0.9).format(-1e-17), "no negative zero");
    assertEquals("0.0008", new Plots.TickFormat(2e-4, 1e-3).format(8e-4));
    assertEquals("0.0010", new Plots.TickFormat(2e-4, 1e-3).format(1e-3));
    assertEquals("8e-5", new Plots.TickFormat(2e-5, 1e-4).format(8e-5), "beyond four decimals: scientific");
    assertEquals("1.0", new Plots.TickFormat(0.25 * 2, 2.5).format(1));
    assertEquals("250", new Plots.TickFormat(50, 300).format(250));
    assertEquals("2.5e6", new Plots.TickFormat(5e5, 3e6).format(2.5e6));
  }

  @Test
  void valueAxesGetNiceTickSteps() {
    assertEquals(0.05, Plots.niceStep(0.047), 1e-15);
    assertEquals(0.1, Plots.niceStep(0.1), 1e-15);
    assertEquals(0.25, Plots.niceStep(0.21), 1e-15);
    assertEquals(2, Plots.niceStep(1.01), 1e-15);
    assertEquals(5e-4, Plots.niceStep(3e-4), 1e-18);
    assertEquals(1, Plots.niceStep(0));
  }

  private static int distinctColours(BufferedImage image) {
    java.util.Set<Integer> colours = new java.util.HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 3) {
      for (int x = 0; x < image.getWidth(); x += 3) {
        colours.add(image.getRGB(x, y));
      }
    }
    return colours.size();
  }
}
