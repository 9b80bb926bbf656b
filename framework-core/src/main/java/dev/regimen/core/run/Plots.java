package dev.regimen.core.run;

import dev.regimen.api.train.History;
import dev.regimen.core.checkpoint.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.Axis;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.Range;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.jfree.chart.axis.LogAxis;

/**
 * PNG charts for a run folder, drawn with JFreeChart: the training curves, one chart per metric family,
 * bar charts for diagnostics such as the per-layer variance shift, and for sweeps the mean curves with
 * an interval band ({@link #bands}) and the final values with interval whiskers ({@link #intervals}).
 *
 * <p>A <em>family</em> is a metric together with its validation twin ({@code loss} with {@code val_loss},
 * {@code accuracy} with {@code val_accuracy}), so over-fitting shows as two lines parting; {@code lr} and
 * every other metric get a chart of their own, except that TensorBoard-style tags share one:
 * {@code variance_shift/dense_1} and {@code variance_shift/dense_2} are both drawn in the chart
 * {@code variance_shift}. See {@link #families}.
 *
 * <p>Charts are meant to be read, not admired: white background, a light grid, a title, axis labels
 * ({@code epoch} and the metric), a legend below, integer epoch ticks (JFreeChart thins them so their
 * labels never overlap), dots on the points while there are few epochs, and a fixed palette in which
 * training is blue and validation orange in every chart. The default size is {@value #DEFAULT_WIDTH} x
 * {@value #DEFAULT_HEIGHT} pixels.
 *
 * <p>Rendering needs no display: this class sets {@code java.awt.headless=true} unless the property was
 * already set (it must be set before AWT starts, so a GUI that set it to false keeps its choice). It
 * needs fonts, which every JDK with fontconfig and one installed font has.
 */
public final class Plots {
  public static final int DEFAULT_WIDTH = 800;
  public static final int DEFAULT_HEIGHT = 500;

  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  /** Tableau 10: distinct, colour-blind friendlier than AWT's defaults; training blue, validation orange. */
  private static final Color[] PALETTE = {
    new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
    new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf),
  };

  private static final Color GRID = new Color(0xe3e3e3);
  private static final Color TEXT = new Color(0x222222);
  private static final Color AXIS = new Color(0x888888);
  private static final String FONT = Font.SANS_SERIF;
  /** Up to this many epochs, points get a dot as well as a line (a one-epoch run is otherwise invisible). */
  private static final int MAX_EPOCHS_WITH_DOTS = 40;

  /** A metric family: the chart's name and the metrics drawn in it, in first-seen order. */
  public record Family(String name, List<String> metrics) {
    public Family {
      Objects.requireNonNull(name, "name");
      metrics = List.copyOf(metrics);
    }
  }

  private final int width;
  private final int height;

  /** Charts of {@value #DEFAULT_WIDTH} x {@value #DEFAULT_HEIGHT} pixels. */
  public Plots() {
    this(DEFAULT_WIDTH, DEFAULT_HEIGHT);
  }

  /** Charts of the given size in pixels (at least 200 x 150, below which labels cannot fit). */
  public Plots(int width, int height) {
    if (width < 200 || height < 150) {
      throw new IllegalArgumentException(
          "A chart must be at least 200 x 150 pixels. Received: " + width + " x " + height);
    }
    this.width = width;
    this.height = height;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /**
   * Groups metric names into chart families, in first-seen order (see the class comment): the family of
   * {@code val_x} is that of {@code x}; the family of {@code a/b} is {@code a}.
   */
  public static List<Family> families(Collection<String> metrics) {
    Map<String, List<String>> groups = new LinkedHashMap<>();
    for (String metric : metrics) {
      groups.computeIfAbsent(familyOf(metric), k -> new ArrayList<>()).add(metric);
    }
    List<Family> out = new ArrayList<>();
    groups.forEach((name, members) -> out.add(new Family(name, members)));
    return out;
  }

  static String familyOf(String metric) {
    String base = metric.startsWith("val_") && metric.length() > 4 ? metric.substring(4) : metric;
    int slash = base.indexOf('/');
    return slash > 0 ? base.substring(0, slash) : base;
  }

  /**
   * Draws one chart per family of {@code history} and writes them as {@code <dir>/<prefix><family>.png}
   * (atomically, replacing older ones).
   *
   * @param prefix put before each file name and title, e.g. {@code teacher-}; empty for none
   * @return the files written, in family order
   */
  public List<Path> writeCurves(History history, Path dir, String prefix) throws IOException {
    return writeCurves(history, dir, prefix, -1);
  }

  /**
   * As {@link #writeCurves(History, Path, String)}, with the epoch whose weights the model kept (from
   * 0, early stopping's restored epoch) marked by a vertical line when it is not the last one.
   *
   * @param keptEpoch the kept epoch, or -1 for no mark
   */
  public List<Path> writeCurves(History history, Path dir, String prefix, int keptEpoch) throws IOException {
    List<Path> written = new ArrayList<>();
    String titlePrefix = prefix.isEmpty() ? "" : stripDash(prefix) + ": ";
    for (Family family : families(history.metrics())) {
      Map<String, List<Double>> series = new LinkedHashMap<>();
      for (String metric : family.metrics()) {
        series.put(metric, history.series(metric));
      }
      BufferedImage image = curves(titlePrefix + title(family.name()), axisLabel(family.name()), series,
          keptEpoch < history.epochs() - 1 ? keptEpoch : -1);
      Path file = dir.resolve(prefix + fileName(family.name()) + ".png");
      save(image, file);
      written.add(file);
    }
    return written;
  }

  /**
   * A line chart of per-epoch values: the i-th value of each series is drawn at epoch i + 1; NaN and
   * infinite values are left out (the line continues over them).
   */
  public BufferedImage curves(String title, String valueLabel, Map<String, List<Double>> series) {
    return curves(title, valueLabel, series, -1);
  }

  /**
   * As {@link #curves(String, String, Map)}, with a dashed vertical line labelled "weights kept" at
   * epoch {@code markedEpoch} + 1 (from 0; -1 for none): the epoch whose weights early stopping put back.
   */
  public BufferedImage curves(String title, String valueLabel, Map<String, List<Double>> series, int markedEpoch) {
    XYSeriesCollection data = new XYSeriesCollection();
    int epochs = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (Map.Entry<String, List<Double>> s : series.entrySet()) {
      XYSeries xy = new XYSeries(s.getKey(), false, true);
      List<Double> values = s.getValue();
      for (int i = 0; i < values.size(); i++) {
        Double v = values.get(i);
        if (v != null && Double.isFinite(v)) {
          xy.add(i + 1, v);
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
      }
      epochs = Math.max(epochs, values.size());
      data.addSeries(xy);
    }
    JFreeChart chart = ChartFactory.createXYLineChart(title, "epoch", valueLabel, data, PlotOrientation.VERTICAL,
        true, false, false);
    styleChart(chart);
    XYPlot plot = chart.getXYPlot();
    styleXYPlot(plot);
    epochAxis(plot, epochs);
    fitValues(plot, min, max);

    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, epochs <= MAX_EPOCHS_WITH_DOTS);
    for (int i = 0; i < data.getSeriesCount(); i++) {
      renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
      renderer.setSeriesStroke(i, new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
      renderer.setSeriesShape(i, new Ellipse2D.Double(-3.5, -3.5, 7, 7));
    }
    renderer.setDrawOutlines(false);
    renderer.setUseFillPaint(false);
    plot.setRenderer(renderer);
    if (markedEpoch >= 0) {
      markX(plot, markedEpoch + 1, "weights kept");
    }
    return render(chart);
  }

  /** A dashed vertical line at {@code x} with a label at its top: the epoch whose weights were kept, a suggested rate. */
  private static void markX(XYPlot plot, double x, String label) {
    ValueMarker mark = new ValueMarker(x, AXIS, new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
        BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
    mark.setLabel(label);
    mark.setLabelFont(new Font(FONT, Font.PLAIN, 12));
    mark.setLabelPaint(TEXT);
    mark.setLabelBackgroundColor(Color.WHITE);
    mark.setLabelOffset(new RectangleInsets(4, 6, 4, 6));
    mark.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
    mark.setLabelTextAnchor(TextAnchor.TOP_LEFT);
    plot.addDomainMarker(mark);
  }

  /**
   * Per-epoch means with a shaded band around each, one line per series: a sweep's learning curves, the
   * mean over seeds with the interval of the mean. The i-th value of each array is drawn at epoch i + 1;
   * a NaN mean is left out, a NaN band end (fewer than two seeds at that epoch) draws no band there.
   *
   * @param series for each line: {@code {mean[], low[], high[]}}, the three of one length
   */
  public BufferedImage bands(String title, String valueLabel, Map<String, double[][]> series) {
    YIntervalSeriesCollection data = new YIntervalSeriesCollection();
    int epochs = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (Map.Entry<String, double[][]> s : series.entrySet()) {
      double[][] v = s.getValue();
      if (v.length != 3 || v[1].length != v[0].length || v[2].length != v[0].length) {
        throw new IllegalArgumentException("Series '" + s.getKey() + "' needs {mean, low, high} of one length");
      }
      YIntervalSeries xy = new YIntervalSeries(s.getKey(), false, true);
      for (int i = 0; i < v[0].length; i++) {
        double mean = v[0][i];
        if (!Double.isFinite(mean)) {
          continue;
        }
        double low = Double.isFinite(v[1][i]) ? v[1][i] : mean;
        double high = Double.isFinite(v[2][i]) ? v[2][i] : mean;
        xy.add(i + 1, mean, low, high);
        min = Math.min(min, low);
        max = Math.max(max, high);
      }
      epochs = Math.max(epochs, v[0].length);
      data.addSeries(xy);
    }
    JFreeChart chart = ChartFactory.createXYLineChart(title, "epoch", valueLabel, data, PlotOrientation.VERTICAL,
        true, false, false);
    styleChart(chart);
    XYPlot plot = chart.getXYPlot();
    styleXYPlot(plot);
    epochAxis(plot, epochs);
    fitValues(plot, min, max);
    DeviationRenderer renderer = new DeviationRenderer(true, epochs <= MAX_EPOCHS_WITH_DOTS);
    renderer.setAlpha(0.18f);
    for (int i = 0; i < data.getSeriesCount(); i++) {
      Color color = PALETTE[i % PALETTE.length];
      renderer.setSeriesPaint(i, color);
      renderer.setSeriesFillPaint(i, color);
      renderer.setSeriesStroke(i, new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
      renderer.setSeriesShape(i, new Ellipse2D.Double(-3, -3, 6, 6));
    }
    plot.setRenderer(renderer);
    return render(chart);
  }

  /**
   * One value with its interval per category: a dot at the centre and whiskers from low to high, with
   * the single values it summarizes (the seeds) as small grey dots beside it; a sweep's final metric per
   * configuration with its 95% interval. NaN centres draw nothing; NaN ends draw no whisker.
   *
   * @param points for each category the single values (may be empty arrays)
   */
  public BufferedImage intervals(String title, String valueLabel, List<String> categories, double[] centre,
      double[] low, double[] high, List<double[]> points) {
    int n = categories.size();
    if (centre.length != n || low.length != n || high.length != n || points.size() != n) {
      throw new IllegalArgumentException("intervals needs one centre, low, high and list of points per category ("
          + n + ")");
    }
    YIntervalSeries means = new YIntervalSeries("mean, 95% interval", false, true);
    XYSeries singles = new XYSeries("single runs", false, true);
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      if (Double.isFinite(centre[i])) {
        double lo = Double.isFinite(low[i]) ? low[i] : centre[i];
        double hi = Double.isFinite(high[i]) ? high[i] : centre[i];
        means.add(i, centre[i], lo, hi);
        min = Math.min(min, lo);
        max = Math.max(max, hi);
      }
      double[] values = points.get(i);
      for (int k = 0; k < values.length; k++) {
        if (Double.isFinite(values[k])) {
          // Beside the whisker, spread evenly so that equal values stay visible.
          singles.add(i + 0.12 + (values.length == 1 ? 0 : 0.12 * k / (values.length - 1)), values[k]);
          min = Math.min(min, values[k]);
          max = Math.max(max, values[k]);
        }
      }
    }
    YIntervalSeriesCollection intervalData = new YIntervalSeriesCollection();
    intervalData.addSeries(means);
    SymbolAxis x = new SymbolAxis("", categories.toArray(new String[0]));
    x.setGridBandsVisible(false);
    x.setRange(-0.6, n - 0.4);
    int longest = categories.stream().mapToInt(String::length).max().orElse(0);
    if (n * (longest * 7.0 + 12) > width * 0.85) {
      x.setVerticalTickLabels(true);
    }
    NumberAxis y = new NumberAxis(valueLabel);
    XYErrorRenderer whiskers = new XYErrorRenderer();
    whiskers.setDrawXError(false);
    whiskers.setDrawYError(true);
    whiskers.setDefaultLinesVisible(false);
    whiskers.setCapLength(10);
    whiskers.setErrorPaint(PALETTE[0]);
    whiskers.setErrorStroke(new BasicStroke(2f));
    whiskers.setSeriesPaint(0, PALETTE[0]);
    whiskers.setSeriesShape(0, new Ellipse2D.Double(-5, -5, 10, 10));
    XYPlot plot = new XYPlot(intervalData, x, y, whiskers);
    XYSeriesCollection singleData = new XYSeriesCollection(singles);
    XYLineAndShapeRenderer dots = new XYLineAndShapeRenderer(false, true);
    dots.setSeriesPaint(0, AXIS);
    dots.setSeriesShape(0, new Ellipse2D.Double(-2.5, -2.5, 5, 5));
    plot.setDataset(1, singleData);
    plot.setRenderer(1, dots);
    JFreeChart chart = new JFreeChart(title, new Font(FONT, Font.BOLD, 18), plot, true);
    styleChart(chart);
    styleXYPlot(plot);
    plot.setDomainGridlinesVisible(false);
    fitValues(plot, min, max);
    return render(chart);
  }

  /** The look of every XY chart: white, no outline, a light grid, styled axes. */
  private static void styleXYPlot(XYPlot plot) {
    stylePlotArea(plot.getRangeAxis(), plot.getDomainAxis());
    plot.setBackgroundPaint(Color.WHITE);
    plot.setOutlineVisible(false);
    plot.setDomainGridlinePaint(GRID);
    plot.setRangeGridlinePaint(GRID);
    plot.setDomainGridlineStroke(new BasicStroke(1f));
    plot.setRangeGridlineStroke(new BasicStroke(1f));
    plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
  }

  /** An epoch axis from 1 to {@code epochs}, integer ticks, a little room at both ends. */
  private static void epochAxis(XYPlot plot, int epochs) {
    NumberAxis x = (NumberAxis) plot.getDomainAxis();
    x.setStandardTickUnits(NumberAxis.createIntegerTickUnits(Locale.ROOT));
    if (epochs <= 1) {
      x.setRange(new Range(0.5, 1.5));
    } else {
      double pad = (epochs - 1) * 0.03;
      x.setRange(new Range(1 - pad, epochs + pad));
    }
  }

  /** The value axis over {@code [min, max]} with a little room; a constant is drawn mid-height. */
  private void fitValues(XYPlot plot, double min, double max) {
    NumberAxis y = (NumberAxis) plot.getRangeAxis();
    y.setAutoRangeIncludesZero(false);
    y.setNumberFormatOverride(new TickFormat());
    if (min <= max) {
      double span = max - min;
      double magnitude = Math.max(Math.abs(min), Math.abs(max));
      if (span <= 1e-9 * Math.max(magnitude, Double.MIN_NORMAL)) {
        // A constant series (a fixed learning rate): draw it mid-height against zero, instead of zooming
        // into rounding noise.
        valueRange(y, min > 0 ? 0 : min < 0 ? 2 * min : -1, min > 0 ? 2 * max : min < 0 ? 0 : 1);
      } else {
        valueRange(y, min - span * 0.06, max + span * 0.06);
      }
    }
  }

  /**
   * A line chart against a logarithmic x axis (an LR range test's loss against the learning rate):
   * series share the x values; NaN and infinite values are left out; a dashed vertical line labelled
   * {@code markLabel} is drawn at {@code markX} unless it is NaN.
   */
  public BufferedImage logXCurves(String title, String xLabel, String yLabel, double[] x, Map<String, double[]> series,
      double markX, String markLabel) {
    XYSeriesCollection data = new XYSeriesCollection();
    for (Map.Entry<String, double[]> s : series.entrySet()) {
      XYSeries xy = new XYSeries(s.getKey(), false, true);
      for (int i = 0; i < x.length && i < s.getValue().length; i++) {
        double v = s.getValue()[i];
        if (Double.isFinite(v) && x[i] > 0) {
          xy.add(x[i], v);
        }
      }
      data.addSeries(xy);
    }
    JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL,
        true, false, false);
    styleChart(chart);
    XYPlot plot = chart.getXYPlot();
    LogAxis logX = new LogAxis(xLabel);
    logX.setNumberFormatOverride(new TickFormat());
    plot.setDomainAxis(logX);
    styleXYPlot(plot);
    NumberAxis y = (NumberAxis) plot.getRangeAxis();
    y.setAutoRangeIncludesZero(false);
    y.setNumberFormatOverride(new TickFormat());
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    for (int i = 0; i < data.getSeriesCount(); i++) {
      renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
      renderer.setSeriesStroke(i, new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    }
    plot.setRenderer(renderer);
    if (Double.isFinite(markX) && markX > 0) {
      markX(plot, markX, markLabel);
    }
    return render(chart);
  }

  /**
   * A grouped bar chart for diagnostics: one group of bars per category (a layer), one bar per series
   * (training-mode variance, evaluation-mode variance); without axis labels.
   *
   * @param series values by series name; each array has one value per category (NaN for none)
   */
  public BufferedImage barChart(String title, Map<String, double[]> series, List<String> categories) {
    return barChart(title, "", "", series, categories);
  }

  /**
   * A grouped bar chart with axis labels, e.g. {@code barChart("Variance shift", "layer",
   * "variance", Map.of("train", t, "eval", e), layers)}. Long or many category labels are turned 45
   * degrees so they do not run into each other.
   */
  public BufferedImage barChart(String title, String categoryLabel, String valueLabel, Map<String, double[]> series,
      List<String> categories) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (Map.Entry<String, double[]> s : series.entrySet()) {
      double[] values = s.getValue();
      if (values.length != categories.size()) {
        throw new IllegalArgumentException("Series '" + s.getKey() + "' has " + values.length + " values for "
            + categories.size() + " categories " + categories);
      }
      for (int i = 0; i < values.length; i++) {
        data.addValue(Double.isFinite(values[i]) ? values[i] : null, s.getKey(), categories.get(i));
      }
    }
    JFreeChart chart = ChartFactory.createBarChart(title, categoryLabel, valueLabel, data, PlotOrientation.VERTICAL,
        true, false, false);
    styleChart(chart);
    chart.getLegend().setVisible(series.size() > 1 || !series.keySet().iterator().next().isEmpty());
    CategoryPlot plot = chart.getCategoryPlot();
    stylePlotArea(plot.getRangeAxis(), plot.getDomainAxis());
    plot.setBackgroundPaint(Color.WHITE);
    plot.setOutlineVisible(false);
    plot.setRangeGridlinePaint(GRID);
    plot.setRangeGridlineStroke(new BasicStroke(1f));
    plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
    NumberAxis y = (NumberAxis) plot.getRangeAxis();
    y.setNumberFormatOverride(new TickFormat());
    double low = 0;
    double high = 0;
    for (double[] values : series.values()) {
      for (double v : values) {
        if (Double.isFinite(v)) {
          low = Math.min(low, v);
          high = Math.max(high, v);
        }
      }
    }
    if (high > low) {
      // Bars grow from zero: the axis includes it, with room above the highest (and below the lowest) bar.
      double span = high - low;
      valueRange(y, low < 0 ? low - span * 0.06 : 0, high > 0 ? high + span * 0.06 : 0);
    }

    CategoryAxis x = plot.getDomainAxis();
    x.setCategoryMargin(0.25);
    x.setMaximumCategoryLabelLines(2);
    int longest = categories.stream().mapToInt(String::length).max().orElse(0);
    double plotWidth = width * 0.85;
    // About 7 pixels per character at the tick font: rotate before the labels would need more room.
    if (categories.size() * (longest * 7.0 + 12) > plotWidth) {
      x.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
    }

    BarRenderer renderer = (BarRenderer) plot.getRenderer();
    renderer.setBarPainter(new StandardBarPainter());
    renderer.setShadowVisible(false);
    renderer.setDrawBarOutline(false);
    renderer.setItemMargin(0.04);
    for (int i = 0; i < series.size(); i++) {
      renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
    }
    return render(chart);
  }

  /**
   * Sets a value axis to {@code [lower, upper]} with a "nice" tick unit (1, 2, 2.5 or 5 times a power of
   * ten) giving about one tick per 45 pixels of plot height. JFreeChart's own choice is the smallest unit
   * whose labels do not overlap, which fills the axis with twenty ticks.
   */
  private void valueRange(NumberAxis axis, double lower, double upper) {
    axis.setRange(new Range(lower, upper), true, false);
    int ticks = Math.max(3, (height - 150) / 45);
    double step = niceStep((upper - lower) / ticks);
    TickFormat format = new TickFormat(step, Math.max(Math.abs(lower), Math.abs(upper)));
    axis.setNumberFormatOverride(format);
    axis.setTickUnit(new NumberTickUnit(step, format), false, true);
  }

  /** The smallest of 1, 2, 2.5, 5 times a power of ten that is at least {@code raw}. */
  static double niceStep(double raw) {
    if (!(raw > 0) || Double.isInfinite(raw)) {
      return 1;
    }
    double power = Math.pow(10, Math.floor(Math.log10(raw)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * power >= raw * (1 - 1e-9)) {
        return m * power;
      }
    }
    return 10 * power;
  }

  /**
   * Tick labels of a value axis, locale independent. Given the tick step, every label of the axis has the
   * same number of decimals, as many as the step needs ({@code 0.60 0.65 0.70}; {@code 0.0002 0.0004});
   * scientific notation ({@code 2.5e-5}) when that would need more than four decimals or the values reach
   * a million. Without a step (JFreeChart chose the unit), six significant digits ({@link #tickLabel}).
   * JFreeChart's own formats printed {@code 0.02} for several neighbouring ticks of a narrow range.
   */
  static final class TickFormat extends NumberFormat {
    private static final long serialVersionUID = 1L;
    private final double step;
    private final boolean scientific;
    private final int decimals;

    TickFormat() {
      this(Double.NaN, 0);
    }

    TickFormat(double step, double magnitude) {
      this.step = step;
      this.scientific = step < 1e-4 || magnitude >= 1e6;
      BigDecimal stepDigits = step > 0 ? new BigDecimal(step).round(new MathContext(3)).stripTrailingZeros() : null;
      this.decimals = stepDigits == null ? 0 : Math.max(0, stepDigits.scale());
    }

    @Override
    public StringBuffer format(double number, StringBuffer out, FieldPosition pos) {
      if (!(step > 0) || !Double.isFinite(number)) {
        return out.append(tickLabel(number));
      }
      if (Math.abs(number) < step * 1e-6) {
        number = 0;
      }
      if (scientific) {
        return out.append(tickLabel(number));
      }
      return out.append(new BigDecimal(number).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString());
    }

    @Override
    public StringBuffer format(long number, StringBuffer out, FieldPosition pos) {
      return format((double) number, out, pos);
    }

    @Override
    public Number parse(String source, ParsePosition pos) {
      throw new UnsupportedOperationException("tick labels are not parsed");
    }
  }

  /** Six significant digits, trailing zeros dropped, scientific below 1e-3 and from 1e6 on. */
  static String tickLabel(double v) {
    if (!Double.isFinite(v)) {
      return Double.toString(v);
    }
    if (Math.abs(v) < 1e-12) {
      return "0";
    }
    BigDecimal rounded = new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros();
    double a = Math.abs(v);
    if (a < 1e-3 || a >= 1e6) {
      String digits = rounded.unscaledValue().abs().toString();
      int exponent = rounded.precision() - rounded.scale() - 1;
      String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      return (v < 0 ? "-" : "") + mantissa + "e" + exponent;
    }
    return rounded.toPlainString();
  }

  /** Writes an image as PNG, atomically (a reader never sees half a file); creates the folder if needed. */
  public static Path save(BufferedImage image, Path file) throws IOException {
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    if (!ImageIO.write(image, "png", png)) {
      throw new IOException("No PNG writer in this JDK's ImageIO");
    }
    AtomicFiles.write(file, png.toByteArray());
    return file;
  }

  /** The chart title for a family: {@code val_loss} -> {@code Loss}, {@code lr} -> {@code Learning rate}. */
  static String title(String family) {
    if (family.equals("lr")) {
      return "Learning rate";
    }
    String words = family.replace('_', ' ');
    return words.isEmpty() ? words : Character.toUpperCase(words.charAt(0)) + words.substring(1);
  }

  static String axisLabel(String family) {
    return family.equals("lr") ? "learning rate" : family.replace('_', ' ');
  }

  /** A family name as a file name: characters other than letters, digits, {@code . _ -} become {@code _}. */
  static String fileName(String family) {
    String safe = family.replaceAll("[^A-Za-z0-9._-]", "_");
    return safe.isEmpty() ? "metric" : safe;
  }

  private static String stripDash(String prefix) {
    return prefix.endsWith("-") ? prefix.substring(0, prefix.length() - 1) : prefix;
  }

  private static void styleChart(JFreeChart chart) {
    chart.setBackgroundPaint(Color.WHITE);
    chart.setAntiAlias(true);
    chart.setTextAntiAlias(true);
    chart.setPadding(new RectangleInsets(8, 8, 8, 16));
    TextTitle title = chart.getTitle();
    title.setFont(new Font(FONT, Font.BOLD, 18));
    title.setPaint(TEXT);
    title.setMargin(new RectangleInsets(4, 0, 10, 0));
    LegendTitle legend = chart.getLegend();
    if (legend != null) {
      legend.setItemFont(new Font(FONT, Font.PLAIN, 13));
      legend.setItemPaint(TEXT);
      legend.setFrame(BlockBorder.NONE);
      legend.setBackgroundPaint(Color.WHITE);
      legend.setPosition(RectangleEdge.BOTTOM);
      legend.setMargin(new RectangleInsets(8, 0, 0, 0));
    }
  }

  private static void stylePlotArea(Axis valueAxis, Axis domainAxis) {
    styleAxis(valueAxis);
    styleAxis(domainAxis);
  }

  private static void styleAxis(Axis axis) {
    axis.setLabelFont(new Font(FONT, Font.PLAIN, 14));
    axis.setLabelPaint(TEXT);
    axis.setTickLabelFont(new Font(FONT, Font.PLAIN, 12));
    axis.setTickLabelPaint(TEXT);
    axis.setAxisLinePaint(AXIS);
    axis.setTickMarkPaint(AXIS);
  }

  private BufferedImage render(JFreeChart chart) {
    return chart.createBufferedImage(width, height, BufferedImage.TYPE_INT_RGB, null);
  }
}
