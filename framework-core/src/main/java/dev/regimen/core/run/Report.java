package dev.regimen.core.run;

import dev.regimen.api.nn.Layer;
import dev.regimen.api.train.History;
import dev.regimen.core.checkpoint.AtomicFiles;
import dev.regimen.core.plugin.ComponentRef;
import dev.regimen.core.plugin.PluginInfo;
import dev.regimen.core.schedule.MetricDirection;
import dev.regimen.core.train.TrainerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@value RunFolder#REPORT_HTML}: one self-contained page that tells what a run did and how it went,
 * readable years later, mailed or attached to an issue. Self-contained means no external resource at
 * all: the CSS is inline, the figures are embedded as base64 {@code data:} URIs, there is no script and
 * no web font; only the links to the run folder's files are relative.
 *
 * <p>The page, top to bottom: the script's name and the run's date, duration and status; per training,
 * the final metrics (those of the weights the model kept, which are an earlier epoch's when early
 * stopping put its best weights back, then the last epoch's, the best value and its epoch, best being
 * the lowest loss or error and the highest accuracy), the evaluations of the trained model (a test
 * set's metrics) and the curves, the kept epoch marked; other figures (diagnostics such as the variance shift); the
 * configuration (general settings such as the seed, the script's parameters, each trainer's options and
 * model summary); the plugins used; the script's source; the files of the run folder.
 *
 * <p>Assembled with a {@link Builder}; the parts that describe live objects ({@link
 * Builder#trainer(String, TrainerConfig)}, {@link Builder#model}) are described when given, so give the
 * trainer options before training to show the initial learning rate rather than the scheduled last one.
 */
public final class Report {
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final String CSS_RESOURCE = "report.css";

  private Report() {}

  /** A report for a run folder: its root, script name and start time. */
  public static Builder builder(RunFolder folder) {
    return new Builder(folder.root(), folder.scriptFile(), folder.started());
  }

  /**
   * A report written into {@code root}.
   *
   * @param scriptName the name shown as the title (a file name such as {@code quickstart.js} reads best)
   */
  public static Builder builder(Path root, String scriptName, Instant started) {
    return new Builder(root, scriptName, started);
  }

  /**
   * A training to show: label, history, planned epochs (0 if unknown), curve files and the epoch whose
   * weights it kept (-1 if unknown: the last one is shown as final).
   */
  private record TrainingPart(String label, History history, int plannedEpochs, List<Path> curves, int keptEpoch) {}

  /** An evaluation of a training's model: on which data, how many samples, the metrics. */
  private record EvaluationPart(String label, String data, int samples, Map<String, Double> metrics) {}

  /** A table of key/value rows under a heading. */
  private record Table(String heading, Map<String, String> rows) {}

  private record ModelPart(String label, ModelSummary summary) {}

  private record PluginRow(String id, String version, String detail) {}

  private record Figure(String caption, Path png) {}

  /** Collects the parts of a report; {@link #write()} renders it. */
  public static final class Builder {
    private final Path root;
    private final String scriptName;
    private final Instant started;
    private Instant finished;
    private String status;
    private String scriptSource;
    private final Map<String, String> settings = new LinkedHashMap<>();
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private final List<Table> trainerTables = new ArrayList<>();
    private final List<ModelPart> models = new ArrayList<>();
    private final List<PluginRow> plugins = new ArrayList<>();
    private final List<TrainingPart> trainings = new ArrayList<>();
    private final List<EvaluationPart> evaluations = new ArrayList<>();
    private final List<Figure> figures = new ArrayList<>();

    private Builder(Path root, String scriptName, Instant started) {
      this.root = Objects.requireNonNull(root, "root");
      this.scriptName = Objects.requireNonNull(scriptName, "scriptName");
      this.started = Objects.requireNonNull(started, "started");
    }

    /** The script's source text, shown escaped in a {@code <pre>}. */
    public Builder script(String source) {
      this.scriptSource = source;
      return this;
    }

    /** When the run ended (default: when the report is rendered). */
    public Builder finished(Instant time) {
      this.finished = time;
      return this;
    }

    /** A word or line on how the run ended: {@code finished}, {@code interrupted}, {@code failed: ...}. */
    public Builder status(String text) {
      this.status = text;
      return this;
    }

    /** A general setting: seed, command line, plugins folder, Regimen and Java versions... */
    public Builder setting(String key, Object value) {
      settings.put(key, String.valueOf(value));
      return this;
    }

    /** The script's parameters ({@code --set key=value}). */
    public Builder parameters(Map<String, ?> values) {
      values.forEach((k, v) -> parameters.put(k, String.valueOf(v)));
      return this;
    }

    /** A trainer's options, described now (see the class comment); {@code label} names its training. */
    public Builder trainer(String label, TrainerConfig config) {
      return trainer(label, trainerOptions(config));
    }

    /** A trainer's options as a script gave them (name to value); {@code label} names its training. */
    public Builder trainer(String label, Map<String, ?> options) {
      Map<String, String> rows = new LinkedHashMap<>();
      options.forEach((k, v) -> rows.put(k, String.valueOf(v)));
      trainerTables.add(new Table(label, rows));
      return this;
    }

    /**
     * An evaluation of the model of training {@code label} (the test set's metrics), shown with that
     * training, or in a section of its own if no training has the label.
     *
     * @param data the split evaluated on, e.g. {@code test}
     */
    public Builder evaluation(String label, String data, int samples, Map<String, Double> metrics) {
      evaluations.add(new EvaluationPart(label, data, samples, new LinkedHashMap<>(metrics)));
      return this;
    }

    /** A model's summary (see {@link ModelSummary}); {@code inputShape} per sample, or {@code null}. */
    public Builder model(String label, Layer model, long[] inputShape) {
      models.add(new ModelPart(label, ModelSummary.of(model, inputShape)));
      return this;
    }

    /** A plugin used by the run; {@code detail} (may be empty) names what of it, e.g. the components used. */
    public Builder plugin(String id, String version, String detail) {
      plugins.add(new PluginRow(id, version, detail == null ? "" : detail));
      return this;
    }

    /** Plugins as the plugin host lists them; the detail is the names of the components they contribute. */
    public Builder plugins(Collection<PluginInfo> infos) {
      for (PluginInfo p : infos) {
        plugin(p.id(), p.version(), p.components().stream().map(ComponentRef::name).collect(Collectors.joining(", ")));
      }
      return this;
    }

    /**
     * Every training of a recorder: its history, curves, and model summary (without output shapes,
     * unless {@link #model} gives the same label with an input shape).
     */
    public Builder recorder(RunRecorder recorder) {
      for (RunRecorder.Training t : recorder.trainings()) {
        trainings.add(new TrainingPart(t.label(), t.history(), t.plannedEpochs(), t.plots(), t.keptEpoch()));
        if (t.model() != null && models.stream().noneMatch(m -> m.label().equals(t.label()))) {
          models.add(new ModelPart(t.label(), ModelSummary.of(t.model(), null)));
        }
      }
      return this;
    }

    /** A training recorded some other way, with its curve files (may be empty). */
    public Builder training(String label, History history, List<Path> curves) {
      return training(label, history, curves, -1);
    }

    /**
     * A training recorded some other way, whose model kept the weights of {@code keptEpoch} (from 0;
     * -1 for the last epoch's).
     */
    public Builder training(String label, History history, List<Path> curves, int keptEpoch) {
      trainings.add(new TrainingPart(label, history, 0, List.copyOf(curves), keptEpoch));
      return this;
    }

    /**
     * A figure (PNG) to show with a caption, e.g. the variance-shift bar chart. PNGs in the run folder's
     * {@code plots/} that are not curves of a training and not given here are shown anyway, captioned
     * by file name.
     */
    public Builder figure(String caption, Path png) {
      figures.add(new Figure(caption, png));
      return this;
    }

    /** Renders the page. */
    public String html() {
      return new Renderer(this).render();
    }

    /** Renders the page and writes it to {@code <root>/report.html} atomically; returns the file. */
    public Path write() throws IOException {
      Path file = root.resolve(RunFolder.REPORT_HTML);
      AtomicFiles.write(file, html().getBytes(StandardCharsets.UTF_8));
      return file;
    }
  }

  /** The options of a trainer as rows; components by their {@code toString} (their name and options). */
  static Map<String, String> trainerOptions(TrainerConfig c) {
    Map<String, String> rows = new LinkedHashMap<>();
    rows.put("epochs", Integer.toString(c.epochs()));
    rows.put("batch size", Integer.toString(c.batchSize()));
    rows.put("seed", Long.toString(c.seed()));
    rows.put("objective", describe(c.objective()));
    rows.put("optimizer", describe(c.optimizer()));
    rows.put("metrics", list(c.metrics()));
    rows.put("regularizers", list(c.regularizers()));
    rows.put("augmenters", list(c.augmenters()));
    // The run recorder is how this report came to be, not part of the experiment.
    rows.put("schedulers", list(c.schedulers().stream().filter(s -> !RunRecorder.isRecorder(s)).toList()));
    if (!c.frozen().isEmpty()) {
      rows.put("frozen layers", String.join(", ", c.frozen().stream().sorted().toList()));
    }
    if (c.monitor() != null) {
      rows.put("monitor", c.monitor());
    }
    if (c.normalizer() != null) {
      rows.put("normalizer", describe(c.normalizer()));
    }
    if (c.checkpointDir() != null) {
      rows.put("checkpoints", c.checkpointDir().toString());
    }
    if (c.resumeFrom() != null) {
      rows.put("resumed from", c.resumeFrom().toString());
    }
    return rows;
  }

  private static String list(List<?> components) {
    return components.isEmpty() ? "none" : components.stream().map(Report::describe).collect(Collectors.joining(", "));
  }

  /** A component's own {@code toString} if it has one, else its class's simple name. */
  static String describe(Object component) {
    try {
      if (component.getClass().getMethod("toString").getDeclaringClass() != Object.class) {
        return component.toString();
      }
    } catch (NoSuchMethodException e) {
      // Every class has toString.
    }
    String simple = component.getClass().getSimpleName();
    return simple.isEmpty() ? component.getClass().getName() : simple;
  }

  /** Escapes text for HTML element content and attribute values. */
  public static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** A value for tables: 4 significant digits, scientific outside [0.001, 1e6), locale independent. */
  public static String shortNumber(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "∞" : "−∞";
    }
    double a = Math.abs(v);
    if (a == 0) {
      return "0";
    }
    if (a < 1e-3 || a >= 1e6) {
      return String.format(Locale.ROOT, "%.3e", v);
    }
    return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
  }

  /** A duration for people: {@code 850 ms}, {@code 12.3 s}, {@code 4 min 05 s}, {@code 2 h 03 min}. */
  public static String duration(Duration d) {
    long ms = Math.max(0, d.toMillis());
    if (ms < 1000) {
      return ms + " ms";
    }
    if (ms < 60_000) {
      return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
    long s = ms / 1000;
    if (s < 3600) {
      return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
  }

  /** Renders a builder's parts into the page. */
  private static final class Renderer {
    private final Builder b;
    private final StringBuilder out = new StringBuilder(64 * 1024);

    Renderer(Builder b) {
      this.b = b;
    }

    String render() {
      Instant end = b.finished != null ? b.finished : Instant.now();
      String date = DATE.format(b.started.atZone(ZoneId.systemDefault()));
      out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
          .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
          .append("<meta name=\"generator\" content=\"Regimen\">\n")
          .append("<title>").append(escape(b.scriptName)).append(" \u2014 ").append(date).append("</title>\n")
          .append("<style>\n").append(css()).append("</style>\n</head>\n<body>\n<main>\n");

      out.append("<header>\n<p class=\"kicker\">Regimen run report</p>\n<h1>").append(escape(b.scriptName))
          .append("</h1>\n<dl class=\"facts\">\n");
      fact("started", date);
      fact("duration", duration(Duration.between(b.started, end)));
      if (b.status != null) {
        fact("status", b.status);
      }
      fact("folder", b.root.getFileName() == null ? b.root.toString() : b.root.getFileName().toString());
      out.append("</dl>\n</header>\n");

      nav();
      for (TrainingPart t : b.trainings) {
        training(t);
      }
      otherEvaluations();
      figures();
      configuration();
      pluginsSection();
      script();
      files();
      out.append("<footer>Written by Regimen on ").append(DATE.format(end.atZone(ZoneId.systemDefault())))
          .append(".</footer>\n</main>\n</body>\n</html>\n");
      return out.toString();
    }

    private void fact(String key, String value) {
      out.append("<div><dt>").append(escape(key)).append("</dt><dd>").append(escape(value)).append("</dd></div>\n");
    }

    private void nav() {
      out.append("<nav>");
      List<String[]> links = new ArrayList<>();
      for (TrainingPart t : b.trainings) {
        links.add(new String[] {"training-" + anchor(t.label()), b.trainings.size() == 1 ? "Results" : t.label()});
      }
      links.add(new String[] {"figures", "Figures"});
      links.add(new String[] {"configuration", "Configuration"});
      links.add(new String[] {"plugins", "Plugins"});
      links.add(new String[] {"script", "Script"});
      links.add(new String[] {"files", "Files"});
      for (String[] l : links) {
        if (l[0].equals("figures") && extraFigures().isEmpty()) {
          continue;
        }
        out.append("<a href=\"#").append(l[0]).append("\">").append(escape(l[1])).append("</a>");
      }
      out.append("</nav>\n");
    }

    private void training(TrainingPart t) {
      String heading = b.trainings.size() == 1 ? "Results" : "Training: " + t.label();
      out.append("<section id=\"training-").append(anchor(t.label())).append("\">\n<h2>").append(escape(heading))
          .append("</h2>\n");
      History h = t.history();
      String epochs = h.epochs() + (t.plannedEpochs() > 0 ? " of " + t.plannedEpochs() : "") + " epochs";
      if (t.plannedEpochs() > h.epochs()) {
        epochs += " (stopped early)";
      }
      out.append("<p class=\"note\">").append(escape(epochs)).append("</p>\n");
      if (h.epochs() == 0) {
        out.append("<p>No epoch finished.</p>\n</section>\n");
        return;
      }
      int last = h.epochs() - 1;
      boolean restored = t.keptEpoch() >= 0 && t.keptEpoch() < last;
      if (restored) {
        out.append("<p class=\"note\">").append(escape("The model holds the weights of epoch " + (t.keptEpoch() + 1)
            + ", which early stopping put back; the first column shows that epoch's metrics.")).append("</p>\n");
      }
      out.append("<table class=\"metrics\">\n<thead><tr><th>metric</th>");
      if (restored) {
        out.append("<th class=\"num\">kept (epoch ").append(t.keptEpoch() + 1).append(")</th>");
      }
      out.append("<th class=\"num\">").append(restored ? "last" : "final").append(" (epoch ").append(last + 1)
          .append(")</th><th class=\"num\">best</th><th class=\"num\">best epoch</th></tr></thead>\n<tbody>\n");
      for (String metric : h.metrics()) {
        out.append("<tr><td>").append(escape(metric)).append("</td>");
        if (restored) {
          Double kept = h.epoch(t.keptEpoch()).get(metric);
          out.append("<td class=\"num\">").append(kept == null ? "" : shortNumber(kept)).append("</td>");
        }
        out.append("<td class=\"num\">");
        out.append(h.last(metric).isPresent() ? shortNumber(h.last(metric).getAsDouble()) : "");
        out.append("</td>");
        int best = bestEpoch(h, metric);
        if (best >= 0) {
          out.append("<td class=\"num\">").append(shortNumber(h.epoch(best).get(metric)))
              .append("</td><td class=\"num\">").append(best + 1).append("</td>");
        } else {
          out.append("<td class=\"num muted\">\u2013</td><td class=\"num muted\">\u2013</td>");
        }
        out.append("</tr>\n");
      }
      out.append("</tbody>\n</table>\n");
      evaluations(b.evaluations.stream().filter(e -> e.label().equals(t.label())).toList(), false);
      if (!t.curves().isEmpty()) {
        out.append("<div class=\"charts\">\n");
        for (Path png : t.curves()) {
          image(png, t.label() + ": " + png.getFileName());
        }
        out.append("</div>\n");
      }
      out.append("</section>\n");
    }

    /** Evaluations not shown with a training (none has their label), in a section of their own. */
    private void otherEvaluations() {
      Set<String> labels = new HashSet<>();
      b.trainings.forEach(t -> labels.add(t.label()));
      List<EvaluationPart> others = b.evaluations.stream().filter(e -> !labels.contains(e.label())).toList();
      if (others.isEmpty()) {
        return;
      }
      out.append("<section id=\"evaluations\">\n<h2>Evaluations</h2>\n");
      evaluations(others, true);
      out.append("</section>\n");
    }

    /** A table of evaluations: the data, its size and each metric; with the trainer's name if asked. */
    private void evaluations(List<EvaluationPart> list, boolean withLabel) {
      if (list.isEmpty()) {
        return;
      }
      List<String> metrics = new ArrayList<>();
      list.forEach(e -> e.metrics().keySet().stream().filter(m -> !metrics.contains(m)).forEach(metrics::add));
      out.append("<h3>Evaluations</h3>\n<table class=\"metrics\">\n<thead><tr>");
      if (withLabel) {
        out.append("<th>training</th>");
      }
      out.append("<th>data</th><th class=\"num\">samples</th>");
      metrics.forEach(m -> out.append("<th class=\"num\">").append(escape(m)).append("</th>"));
      out.append("</tr></thead>\n<tbody>\n");
      for (EvaluationPart e : list) {
        out.append("<tr>");
        if (withLabel) {
          out.append("<td>").append(escape(e.label())).append("</td>");
        }
        out.append("<td>").append(escape(e.data())).append("</td><td class=\"num\">").append(e.samples()).append("</td>");
        for (String m : metrics) {
          Double v = e.metrics().get(m);
          out.append("<td class=\"num\">").append(v == null ? "" : shortNumber(v)).append("</td>");
        }
        out.append("</tr>\n");
      }
      out.append("</tbody>\n</table>\n");
    }

    /** The epoch of the best value, or -1 if the metric has no known direction (lr) or no value. */
    private int bestEpoch(History h, String metric) {
      MetricDirection direction;
      try {
        direction = MetricDirection.resolve("auto", metric, "report");
      } catch (RuntimeException unknown) {
        return -1;
      }
      int best = -1;
      double bestValue = Double.NaN;
      for (int e = 0; e < h.epochs(); e++) {
        Double v = h.epoch(e).get(metric);
        if (v != null && direction.improves(v, bestValue, 0)) {
          best = e;
          bestValue = v;
        }
      }
      return best;
    }

    /** Explicit figures, then PNGs in plots/ that nothing else showed. */
    private List<Figure> extraFigures() {
      Set<Path> curves = new HashSet<>();
      for (TrainingPart t : b.trainings) {
        t.curves().forEach(p -> curves.add(p.toAbsolutePath().normalize()));
      }
      List<Figure> list = new ArrayList<>();
      Set<Path> listed = new HashSet<>();
      for (Figure f : b.figures) {
        if (listed.add(f.png().toAbsolutePath().normalize())) {
          list.add(f);
        }
      }
      Path plots = b.root.resolve(RunFolder.PLOTS);
      if (Files.isDirectory(plots)) {
        try (Stream<Path> files = Files.list(plots)) {
          for (Path p : files.filter(p -> p.getFileName().toString().endsWith(".png")).sorted().toList()) {
            Path key = p.toAbsolutePath().normalize();
            if (!curves.contains(key) && listed.add(key)) {
              list.add(new Figure(p.getFileName().toString(), p));
            }
          }
        } catch (IOException e) {
          // Listing failed: show what was given explicitly.
        }
      }
      return list;
    }

    private void figures() {
      List<Figure> list = extraFigures();
      if (list.isEmpty()) {
        return;
      }
      out.append("<section id=\"figures\">\n<h2>Figures</h2>\n<div class=\"charts\">\n");
      for (Figure f : list) {
        out.append("<figure>");
        image(f.png(), f.caption());
        out.append("<figcaption>").append(escape(f.caption())).append("</figcaption></figure>\n");
      }
      out.append("</div>\n</section>\n");
    }

    private void image(Path png, String alt) {
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(png);
      } catch (IOException e) {
        out.append("<p class=\"muted\">(missing figure ").append(escape(String.valueOf(png.getFileName())))
            .append(")</p>\n");
        return;
      }
      out.append("<img alt=\"").append(escape(alt)).append("\" src=\"data:image/png;base64,")
          .append(Base64.getEncoder().encodeToString(bytes)).append("\">\n");
    }

    private void configuration() {
      out.append("<section id=\"configuration\">\n<h2>Configuration</h2>\n");
      boolean any = false;
      if (!b.settings.isEmpty()) {
        keyValues("Settings", b.settings);
        any = true;
      }
      if (!b.parameters.isEmpty()) {
        keyValues("Parameters", b.parameters);
        any = true;
      }
      for (Table t : b.trainerTables) {
        keyValues(b.trainerTables.size() == 1 && b.trainings.size() <= 1 ? "Trainer" : "Trainer: " + t.heading(),
            t.rows());
        any = true;
      }
      for (ModelPart m : b.models) {
        model(m);
        any = true;
      }
      if (!any) {
        out.append("<p class=\"muted\">No configuration was recorded.</p>\n");
      }
      out.append("</section>\n");
    }

    private void keyValues(String heading, Map<String, String> rows) {
      out.append("<h3>").append(escape(heading)).append("</h3>\n<table class=\"kv\">\n<tbody>\n");
      rows.forEach((k, v) -> out.append("<tr><th>").append(escape(k)).append("</th><td>").append(escape(v))
          .append("</td></tr>\n"));
      out.append("</tbody>\n</table>\n");
    }

    private void model(ModelPart m) {
      ModelSummary s = m.summary();
      String heading = b.models.size() == 1 && b.trainings.size() <= 1 ? "Model" : "Model: " + m.label();
      out.append("<h3>").append(escape(heading)).append("</h3>\n<table class=\"model\">\n<thead><tr><th>layer</th>")
          .append("<th>type</th><th>output shape</th><th>tensors</th><th class=\"num\">parameters</th></tr></thead>\n")
          .append("<tbody>\n");
      for (ModelSummary.Row r : s.rows()) {
        out.append("<tr><td style=\"padding-left:").append(0.6 + 1.2 * r.depth()).append("em\">")
            .append(escape(r.name())).append("</td><td>").append(escape(r.type())).append("</td><td class=\"mono\">")
            .append(escape(r.shapeText())).append("</td><td class=\"mono small\">").append(escape(r.parameterShapes()))
            .append("</td><td class=\"num\">").append(grouped(r.parameters())).append("</td></tr>\n");
      }
      out.append("</tbody>\n<tfoot><tr><td colspan=\"4\">trainable parameters</td><td class=\"num\">")
          .append(grouped(s.trainable())).append("</td></tr>\n");
      if (s.nonTrainable() > 0) {
        out.append("<tr><td colspan=\"4\">non-trainable (buffers)</td><td class=\"num\">")
            .append(grouped(s.nonTrainable())).append("</td></tr>\n");
      }
      out.append("</tfoot>\n</table>\n");
    }

    private void pluginsSection() {
      out.append("<section id=\"plugins\">\n<h2>Plugins</h2>\n");
      if (b.plugins.isEmpty()) {
        out.append("<p class=\"muted\">Built-in components only.</p>\n</section>\n");
        return;
      }
      out.append("<table class=\"plugins\">\n<thead><tr><th>plugin</th><th>version</th><th>components</th></tr>")
          .append("</thead>\n<tbody>\n");
      for (PluginRow p : b.plugins) {
        out.append("<tr><td>").append(escape(p.id())).append("</td><td class=\"mono\">").append(escape(p.version()))
            .append("</td><td>").append(escape(p.detail())).append("</td></tr>\n");
      }
      out.append("</tbody>\n</table>\n</section>\n");
    }

    private void script() {
      out.append("<section id=\"script\">\n<h2>Script</h2>\n");
      if (b.scriptSource == null) {
        out.append("<p class=\"muted\">The script's source was not recorded.</p>\n");
      } else {
        out.append("<pre><code>").append(escape(b.scriptSource)).append("</code></pre>\n");
      }
      out.append("</section>\n");
    }

    private void files() {
      out.append("<section id=\"files\">\n<h2>Files</h2>\n<ul class=\"files\">\n");
      List<Path> list = new ArrayList<>();
      if (Files.isDirectory(b.root)) {
        try (Stream<Path> walk = Files.walk(b.root)) {
          walk.filter(Files::isRegularFile)
              .filter(p -> !hidden(b.root.relativize(p)))
              .filter(p -> !b.root.relativize(p).toString().equals(RunFolder.REPORT_HTML))
              .sorted()
              .forEach(list::add);
        } catch (IOException | UncheckedIOException e) {
          // A file vanished while walking (a checkpoint being replaced): list what was seen.
        }
      }
      for (Path p : list) {
        Path rel = b.root.relativize(p);
        long size;
        try {
          size = Files.size(p);
        } catch (IOException e) {
          continue;
        }
        out.append("<li><a href=\"").append(escape(href(rel))).append("\">").append(escape(slashes(rel)))
            .append("</a> <span class=\"muted\">").append(bytes(size)).append("</span></li>\n");
      }
      if (list.isEmpty()) {
        out.append("<li class=\"muted\">none</li>\n");
      }
      out.append("</ul>\n</section>\n");
    }

    private static boolean hidden(Path relative) {
      for (Path part : relative) {
        if (part.toString().startsWith(".")) {
          return true;
        }
      }
      return false;
    }

    private static String slashes(Path relative) {
      List<String> parts = new ArrayList<>();
      relative.forEach(p -> parts.add(p.toString()));
      return String.join("/", parts);
    }

    private static String href(Path relative) {
      List<String> parts = new ArrayList<>();
      relative.forEach(p -> parts.add(URLEncoder.encode(p.toString(), StandardCharsets.UTF_8).replace("+", "%20")));
      return String.join("/", parts);
    }

    private static String bytes(long n) {
      if (n < 1024) {
        return n + " B";
      }
      if (n < 1024 * 1024) {
        return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
      }
      return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
    }

    private static String grouped(long n) {
      return String.format(Locale.ROOT, "%,d", n).replace(',', '\u2009');
    }

    private static String anchor(String label) {
      return RunRecorder.fileLabel(label);
    }

    private static String css() {
      return styleSheet();
    }
  }

  /** The style sheet of Regimen's report pages, to inline (the sweep and comparison reports use it too). */
  public static String styleSheet() {
    try (InputStream in = Report.class.getResourceAsStream(CSS_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("Missing resource " + CSS_RESOURCE + " beside " + Report.class.getName());
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
