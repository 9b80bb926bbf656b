package dev.regimen.core.sweep;

import dev.regimen.api.train.History;
import dev.regimen.core.checkpoint.AtomicFiles;
import dev.regimen.core.run.Plots;
import dev.regimen.core.run.Report;
import dev.regimen.core.run.RunFolder;
import dev.regimen.core.run.RunRecorder;
import java.io.IOException;
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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code report.html} of a sweep or a comparison: one self-contained page (inline style sheet,
 * figures embedded, like a run's {@link Report}) with, top to bottom, the failed runs if any, per final
 * metric a table of n, mean, standard deviation and 95% interval per configuration with a chart of the
 * means and their interval whiskers beside each seed's value, the paired differences against the
 * baseline (sweeps), the learning curves as the mean over seeds with the 95% interval as a band, every
 * run with its status, wall time and a link to its own report, and the settings (grid, seeds, versions,
 * plugins, commit, machine).
 *
 * <p>The figures are also written to {@code plots/} beside the page: {@code final-<metric>.png} and
 * {@code curve-<metric>.png}, drawn by {@link Plots#intervals} and {@link Plots#bands}.
 */
public final class SweepReport {
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private final Path folder;
  private final String kicker;
  private final String title;
  private final Map<String, String> facts = new LinkedHashMap<>();
  private final Map<String, String> settings = new LinkedHashMap<>();
  private final SweepTables tables;
  private final boolean differences;
  private final Map<String, List<String>> logs = new LinkedHashMap<>();
  private final List<String> notes = new ArrayList<>();

  private SweepReport(Path folder, String kicker, String title, SweepTables tables, boolean differences) {
    this.folder = folder;
    this.kicker = kicker;
    this.title = title;
    this.tables = tables;
    this.differences = differences;
  }

  /** The report of a sweep, from its record and tables. */
  public static SweepReport forSweep(Path folder, SweepRecord record, SweepTables tables) {
    SweepSpec spec = record.spec();
    SweepReport r = new SweepReport(folder, "Regimen sweep report", spec.script().getFileName().toString(), tables,
        true);
    r.facts.put("started", DATE.format(record.started().atZone(ZoneId.systemDefault())));
    r.facts.put("duration", Report.duration(Duration.between(record.started(), record.updated())));
    r.facts.put("status", record.status());
    r.facts.put("runs", counts(record.runs().stream().map(SweepRecord.Entry::status).toList()));
    r.facts.put("folder", folder.getFileName().toString());
    r.settings.put("script", spec.script().toString());
    r.settings.put("grid", spec.grid().axes().isEmpty() ? "none (the script's defaults)" : spec.grid().toString());
    r.settings.put("seeds", String.join(", ", spec.seeds().stream().map(String::valueOf).toList()));
    r.settings.put("baseline", record.baseline().isEmpty() ? "none" : new Grid.Config(record.baseline()).label());
    if (!spec.sets().isEmpty()) {
      r.settings.put("--set for every run", String.join(" ", spec.sets()));
    }
    r.settings.put("jobs", record.jobs() + " at a time, " + record.threadsPerRun() + " native thread"
        + (record.threadsPerRun() == 1 ? "" : "s") + " each");
    if (spec.pluginsDir() != null) {
      r.settings.put("plugins folder", spec.pluginsDir().toString());
    }
    r.settings.put("sandbox", spec.allowHostAccess() ? "lifted (--allow-host-access)" : "on");
    record.environment().forEach((k, v) -> r.settings.put(k.replace('_', ' '), describe(v)));
    for (SweepRecord.Entry e : record.runs()) {
      r.logs.computeIfAbsent(e.config().label(), k -> new ArrayList<>()).add(e.log());
    }
    if (!record.baseline().isEmpty()) {
      r.notes.add("Differences are each configuration minus its baseline (" + new Grid.Config(record.baseline()).label()
          + ", the other keys unchanged), seed by seed over the seeds that finished in both.");
    }
    return r;
  }

  /**
   * The report of a script's own sweep ({@code rg.sweep}), written into a folder of its run folder.
   *
   * @param title the script's file name and the sweep's name
   * @param started when the sweep started
   * @param ended when its last run ended
   */
  public static SweepReport forScript(Path folder, String title, Grid grid, List<Long> seeds,
      Map<String, String> baseline, SweepTables tables, Instant started, Instant ended) {
    SweepReport r = new SweepReport(folder, "Regimen sweep report (rg.sweep)", title, tables, true);
    r.facts.put("started", DATE.format(started.atZone(ZoneId.systemDefault())));
    r.facts.put("duration", Report.duration(Duration.between(started, ended)));
    r.facts.put("runs", counts(tables.groups().stream().flatMap(g -> g.runs().stream()).map(RunOutcome::status)
        .toList()));
    r.settings.put("grid", grid.axes().isEmpty() ? "none" : grid.toString());
    r.settings.put("seeds", String.join(", ", seeds.stream().map(String::valueOf).toList()));
    r.settings.put("baseline", baseline.isEmpty() ? "none" : new Grid.Config(baseline).label());
    if (!baseline.isEmpty()) {
      r.notes.add("Differences are each configuration minus its baseline (" + new Grid.Config(baseline).label()
          + ", the other keys unchanged), seed by seed over the seeds that finished in both.");
    }
    return r;
  }

  /**
   * The report of a comparison of run and sweep folders.
   *
   * @param sources the folders compared, as given
   */
  public static SweepReport forComparison(Path folder, List<Path> sources, SweepTables tables, Instant created) {
    SweepReport r = new SweepReport(folder, "Regimen comparison", "Comparison of " + sources.size() + " folder"
        + (sources.size() == 1 ? "" : "s"), tables, false);
    r.facts.put("written", DATE.format(created.atZone(ZoneId.systemDefault())));
    r.facts.put("runs", counts(tables.groups().stream().flatMap(g -> g.runs().stream()).map(RunOutcome::status)
        .toList()));
    r.facts.put("folder", folder.getFileName().toString());
    for (int i = 0; i < sources.size(); i++) {
      r.settings.put("folder " + (i + 1), sources.get(i).toString());
    }
    return r;
  }

  private static String counts(List<RunOutcome.Status> statuses) {
    Map<RunOutcome.Status, Integer> n = new LinkedHashMap<>();
    for (RunOutcome.Status s : RunOutcome.Status.values()) {
      n.put(s, 0);
    }
    statuses.forEach(s -> n.merge(s, 1, Integer::sum));
    List<String> parts = new ArrayList<>();
    n.forEach((s, k) -> {
      if (k > 0) {
        parts.add(k + " " + s.id());
      }
    });
    return statuses.size() + " (" + String.join(", ", parts) + ")";
  }

  private static String describe(Object v) {
    if (v == null) {
      return "unknown";
    }
    if (v instanceof Map<?, ?> m) {
      List<String> parts = new ArrayList<>();
      m.forEach((k, x) -> parts.add(k + " " + x));
      return String.join(", ", parts);
    }
    if (v instanceof List<?> l) {
      return l.isEmpty() ? "none" : String.join("; ", l.stream().map(SweepReport::describe).toList());
    }
    return String.valueOf(v);
  }

  /** Draws the figures into {@code plots/} and writes {@code report.html}; returns the page. */
  public Path write() throws IOException {
    Plots plots = new Plots();
    Path dir = folder.resolve(RunFolder.PLOTS);
    Map<String, Path> finals = new LinkedHashMap<>();
    List<String> labels = tables.groups().stream().map(SweepTables.Group::label).toList();
    for (String metric : tables.metrics()) {
      int n = labels.size();
      double[] mean = new double[n];
      double[] low = new double[n];
      double[] high = new double[n];
      List<double[]> points = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Statistics.Summary s = tables.stats(labels.get(i), metric);
        mean[i] = s.mean();
        low[i] = s.ciLow();
        high[i] = s.ciHigh();
        points.add(tables.groups().get(i).values(metric));
      }
      finals.put(metric, Plots.save(plots.intervals(metric + ": mean and 95% interval", metric, labels, mean, low, high,
          points), dir.resolve("final-" + RunRecorder.fileLabel(metric) + ".png")));
    }
    Map<String, Path> curves = new LinkedHashMap<>();
    for (String metric : curveMetrics()) {
      Map<String, double[][]> series = new LinkedHashMap<>();
      for (SweepTables.Group g : tables.groups()) {
        double[][] band = band(g, metric);
        if (band != null) {
          series.put(g.label(), band);
        }
      }
      curves.put(metric, Plots.save(plots.bands(metric + " per epoch: mean and 95% interval", metric, series),
          dir.resolve("curve-" + RunRecorder.fileLabel(metric) + ".png")));
    }
    Path page = folder.resolve(RunFolder.REPORT_HTML);
    AtomicFiles.write(page, html(finals, curves).getBytes(StandardCharsets.UTF_8));
    return page;
  }

  /** The metrics of the finished runs' curves, in first-seen order, without {@code lr}. */
  private List<String> curveMetrics() {
    Set<String> out = new LinkedHashSet<>();
    for (SweepTables.Group g : tables.groups()) {
      for (RunOutcome r : g.runs()) {
        if (r.status() == RunOutcome.Status.FINISHED) {
          r.history().metrics().stream().filter(m -> !m.equals("lr")).forEach(out::add);
        }
      }
    }
    return List.copyOf(out);
  }

  /** Per epoch, the mean and 95% interval over the group's finished runs; null if none has the metric. */
  private static double[][] band(SweepTables.Group g, String metric) {
    List<History> histories = g.runs().stream().filter(r -> r.status() == RunOutcome.Status.FINISHED)
        .map(RunOutcome::history).filter(h -> h.metrics().contains(metric)).toList();
    if (histories.isEmpty()) {
      return null;
    }
    int epochs = histories.stream().mapToInt(History::epochs).max().orElse(0);
    double[][] out = new double[3][epochs];
    for (int e = 0; e < epochs; e++) {
      int epoch = e;
      double[] values = histories.stream().filter(h -> h.epochs() > epoch && h.epoch(epoch).get(metric) != null)
          .mapToDouble(h -> h.epoch(epoch).get(metric)).toArray();
      Statistics.Summary s = Statistics.summarize(values);
      out[0][e] = s.mean();
      out[1][e] = s.ciLow();
      out[2][e] = s.ciHigh();
    }
    return out;
  }

  private String html(Map<String, Path> finals, Map<String, Path> curves) throws IOException {
    StringBuilder out = new StringBuilder(64 * 1024);
    out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<meta name=\"generator\" content=\"Regimen\">\n<title>").append(esc(title)).append("</title>\n<style>\n")
        .append(Report.styleSheet()).append("</style>\n</head>\n<body>\n<main>\n<header>\n<p class=\"kicker\">")
        .append(esc(kicker)).append("</p>\n<h1>").append(esc(title)).append("</h1>\n<dl class=\"facts\">\n");
    facts.forEach((k, v) -> out.append("<div><dt>").append(esc(k)).append("</dt><dd>").append(esc(v))
        .append("</dd></div>\n"));
    out.append("</dl>\n</header>\n<nav><a href=\"#summary\">Summary</a>");
    if (differences && !tables.differences().isEmpty()) {
      out.append("<a href=\"#differences\">Differences</a>");
    }
    if (!curves.isEmpty()) {
      out.append("<a href=\"#curves\">Curves</a>");
    }
    out.append("<a href=\"#runs\">Runs</a><a href=\"#settings\">Settings</a><a href=\"#files\">Files</a></nav>\n");

    failures(out);

    out.append("<section id=\"summary\">\n<h2>Summary</h2>\n<p class=\"note\">Final metrics of the finished runs: n "
        + "runs, their mean, sample standard deviation and the 95% Student t interval of the mean.</p>\n");
    if (tables.metrics().isEmpty()) {
      out.append("<p class=\"muted\">No run finished with a metric.</p>\n");
    }
    for (String metric : tables.metrics()) {
      out.append("<h3>").append(esc(metric)).append("</h3>\n<table class=\"metrics\">\n<thead><tr><th>config</th>")
          .append("<th class=\"num\">n</th><th class=\"num\">mean</th><th class=\"num\">std</th>")
          .append("<th class=\"num\">95% interval</th></tr></thead>\n<tbody>\n");
      for (SweepTables.Row row : tables.summary()) {
        if (row.metric().equals(metric)) {
          Statistics.Summary s = row.stats();
          out.append("<tr><td>").append(esc(row.config())).append("</td><td class=\"num\">").append(s.n())
              .append("</td><td class=\"num\">").append(num(s.mean(), s.n() >= 1)).append("</td><td class=\"num\">")
              .append(num(s.std(), s.n() >= 2)).append("</td><td class=\"num\">").append(interval(s)).append("</td></tr>\n");
        }
      }
      out.append("</tbody>\n</table>\n<div class=\"charts\">\n");
      image(out, finals.get(metric), metric);
      out.append("</div>\n");
    }
    out.append("</section>\n");

    if (differences && !tables.differences().isEmpty()) {
      out.append("<section id=\"differences\">\n<h2>Differences against the baseline</h2>\n");
      notes.forEach(n -> out.append("<p class=\"note\">").append(esc(n)).append("</p>\n"));
      out.append("<p class=\"note\">In bold: an interval that excludes 0, a difference the seeds' spread does not "
          + "explain.</p>\n");
      for (String metric : tables.metrics()) {
        out.append("<h3>").append(esc(metric)).append("</h3>\n<table class=\"metrics\">\n<thead><tr><th>config</th>")
            .append("<th>baseline</th><th class=\"num\">n</th><th class=\"num\">mean difference</th>")
            .append("<th class=\"num\">95% interval</th></tr></thead>\n<tbody>\n");
        for (SweepTables.Difference d : tables.differences()) {
          if (d.metric().equals(metric)) {
            Statistics.Summary s = d.stats();
            String cls = s.excludesZero() ? "num effect" : "num";
            out.append("<tr><td>").append(esc(d.config())).append("</td><td>").append(esc(d.baseline()))
                .append("</td><td class=\"num\">").append(s.n()).append("</td><td class=\"").append(cls).append("\">")
                .append(num(s.mean(), s.n() >= 1)).append("</td><td class=\"").append(cls).append("\">").append(interval(s))
                .append("</td></tr>\n");
          }
        }
        out.append("</tbody>\n</table>\n");
      }
      out.append("</section>\n");
    }

    if (!curves.isEmpty()) {
      out.append("<section id=\"curves\">\n<h2>Learning curves</h2>\n<p class=\"note\">Per epoch, the mean over the "
          + "finished runs of each configuration, and the 95% interval of that mean as a band (none where fewer than "
          + "two runs have the epoch).</p>\n<div class=\"charts\">\n");
      curves.forEach((metric, png) -> image(out, png, metric + " per epoch"));
      out.append("</div>\n</section>\n");
    }

    runs(out);

    out.append("<section id=\"settings\">\n<h2>Settings</h2>\n<table class=\"kv\">\n<tbody>\n");
    settings.forEach((k, v) -> out.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v))
        .append("</td></tr>\n"));
    out.append("</tbody>\n</table>\n</section>\n");

    out.append("<section id=\"files\">\n<h2>Files</h2>\n<ul class=\"files\">\n");
    for (String file : List.of(SweepRecord.SWEEP_JSON, SweepTables.SUMMARY_CSV, SweepTables.DIFFERENCES_CSV,
        SweepTables.RUNS_CSV)) {
      if (Files.exists(folder.resolve(file))) {
        out.append("<li><a href=\"").append(esc(file)).append("\">").append(esc(file)).append("</a></li>\n");
      }
    }
    out.append("</ul>\n</section>\n<footer>Written by Regimen on ")
        .append(DATE.format(Instant.now().atZone(ZoneId.systemDefault()))).append(".</footer>\n</main>\n</body>\n</html>\n");
    return out.toString();
  }

  /** Failed and unfinished runs first, so that none goes unnoticed. */
  private void failures(StringBuilder out) {
    List<String[]> rows = new ArrayList<>();
    int unfinished = 0;
    for (SweepTables.Group g : tables.groups()) {
      for (RunOutcome r : g.runs()) {
        if (r.status() == RunOutcome.Status.FAILED) {
          rows.add(new String[] {g.label(), Long.toString(r.seed()), r.error() == null ? "" : r.error()});
        } else if (r.status() != RunOutcome.Status.FINISHED) {
          unfinished++;
        }
      }
    }
    if (rows.isEmpty() && unfinished == 0) {
      return;
    }
    out.append("<section class=\"alert\" id=\"failures\">\n");
    if (!rows.isEmpty()) {
      out.append("<h2 class=\"failed\">").append(rows.size()).append(rows.size() == 1 ? " run" : " runs")
          .append(" failed</h2>\n<p class=\"note\">They are left out of the summary (its n is smaller); their logs say "
              + "more.</p>\n<table class=\"metrics\">\n<thead><tr><th>config</th><th class=\"num\">seed</th><th>error</th>"
              + "</tr></thead>\n<tbody>\n");
      for (String[] row : rows) {
        out.append("<tr><td>").append(esc(row[0])).append("</td><td class=\"num\">").append(esc(row[1]))
            .append("</td><td>").append(esc(row[2])).append("</td></tr>\n");
      }
      out.append("</tbody>\n</table>\n");
    }
    if (unfinished > 0) {
      out.append("<p class=\"failed\">").append(unfinished).append(unfinished == 1 ? " run" : " runs")
          .append(" did not finish (interrupted or not run); running the same sweep again continues them.</p>\n");
    }
    out.append("</section>\n");
  }

  private void runs(StringBuilder out) {
    out.append("<section id=\"runs\">\n<h2>Runs</h2>\n<table class=\"metrics\">\n<thead><tr><th>config</th>")
        .append("<th class=\"num\">seed</th><th>status</th><th class=\"num\">wall time</th><th>run</th><th>log</th>")
        .append("</tr></thead>\n<tbody>\n");
    for (SweepTables.Group g : tables.groups()) {
      List<String> groupLogs = logs.getOrDefault(g.label(), List.of());
      for (int i = 0; i < g.runs().size(); i++) {
        RunOutcome r = g.runs().get(i);
        out.append("<tr><td>").append(esc(g.label())).append("</td><td class=\"num\">").append(r.seed())
            .append("</td><td").append(r.status() == RunOutcome.Status.FAILED ? " class=\"failed\"" : "").append(">")
            .append(esc(r.status().id())).append("</td><td class=\"num\">")
            .append(Double.isNaN(r.wallSeconds()) ? "" : esc(SweepRunner.duration(r.wallSeconds())))
            .append("</td><td>");
        if (r.folder() != null) {
          Path page = r.folder().resolve(RunFolder.REPORT_HTML);
          String name = r.folder().getFileName().toString();
          if (Files.exists(page)) {
            out.append("<a href=\"").append(esc(href(folder.relativize(page)))).append("\">").append(esc(name))
                .append("</a>");
          } else {
            out.append(esc(name));
          }
        }
        out.append("</td><td>");
        String log = i < groupLogs.size() ? groupLogs.get(i) : null;
        if (log != null) {
          out.append("<a href=\"").append(esc(href(Path.of(log)))).append("\">log</a>");
        }
        out.append("</td></tr>\n");
      }
    }
    out.append("</tbody>\n</table>\n</section>\n");
  }

  private static void image(StringBuilder out, Path png, String alt) {
    if (png == null) {
      return;
    }
    try {
      out.append("<img alt=\"").append(esc(alt)).append("\" src=\"data:image/png;base64,")
          .append(Base64.getEncoder().encodeToString(Files.readAllBytes(png))).append("\">\n");
    } catch (IOException e) {
      out.append("<p class=\"muted\">(missing figure ").append(esc(png.getFileName().toString())).append(")</p>\n");
    }
  }

  private static String interval(Statistics.Summary s) {
    return s.n() < 2 ? "<span class=\"muted\">\u2013</span>"
        : "[" + num(s.ciLow(), true) + ", " + num(s.ciHigh(), true) + "]";
  }

  /** A number if it exists ({@code known}; a diverged run's NaN shows as NaN), else a dash. */
  private static String num(double v, boolean known) {
    return known ? esc(Report.shortNumber(v)) : "<span class=\"muted\">\u2013</span>";
  }

  private static String esc(String text) {
    return Report.escape(text);
  }

  private static String href(Path relative) {
    List<String> parts = new ArrayList<>();
    relative.forEach(p -> parts.add(URLEncoder.encode(p.toString(), StandardCharsets.UTF_8).replace("+", "%20")));
    return String.join("/", parts);
  }
}
