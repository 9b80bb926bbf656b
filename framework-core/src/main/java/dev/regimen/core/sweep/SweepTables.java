package dev.regimen.core.sweep;

import dev.regimen.core.checkpoint.AtomicFiles;
import dev.regimen.core.run.HistoryFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The tables of a sweep or a comparison, computed from the runs of each group (a configuration, or a run
 * folder): only finished runs count; a failed one shows as a smaller {@code n}, and in {@code runs.csv}.
 *
 * <p><b>{@value #SUMMARY_CSV}</b>: one row per group and final metric, columns
 * {@code config,metric,n,mean,std,ci95_low,ci95_high}: the number of finished runs with that metric,
 * the mean, the sample standard deviation and the 95% Student t interval of the mean
 * ({@link Statistics}). A group with no finished run still has its rows, with {@code n} 0.
 *
 * <p><b>{@value #DIFFERENCES_CSV}</b> (sweeps): one row per configuration other than its baseline and
 * metric, columns {@code config,baseline,metric,n,mean,std,ci95_low,ci95_high}: the paired differences
 * {@code config − baseline} over the seeds that finished in both, so {@code mean} is the mean
 * difference and an interval that excludes 0 is an effect that the seeds' spread does not explain.
 *
 * <p><b>{@value #RUNS_CSV}</b>: one row per run, columns {@code config}, each grid key, {@code seed},
 * {@code status}, {@code wall_seconds}, each metric, {@code error}: every number behind the summary.
 *
 * <p>Numbers are written as {@link HistoryFiles#number}: locale independent, shortest exact text; a
 * value that does not exist (the standard deviation of one run) is an empty cell, and a diverged run's
 * NaN stays {@code NaN}, making its group's mean NaN rather than hiding it.
 */
public final class SweepTables {
  public static final String SUMMARY_CSV = "summary.csv";
  public static final String DIFFERENCES_CSV = "differences.csv";
  public static final String RUNS_CSV = "runs.csv";

  /**
   * The runs of one configuration (or one run folder of a comparison).
   *
   * @param label how tables name it
   * @param config its grid values (empty in a comparison of run folders)
   * @param runs its runs, in seed order
   */
  public record Group(String label, Grid.Config config, List<RunOutcome> runs) {
    public Group {
      Objects.requireNonNull(label, "label");
      Objects.requireNonNull(config, "config");
      runs = List.copyOf(runs);
    }

    /** The finished runs' values of a metric, in run order (a run without the metric is left out). */
    public double[] values(String metric) {
      return runs.stream().filter(r -> r.status() == RunOutcome.Status.FINISHED && r.metrics().containsKey(metric))
          .mapToDouble(r -> r.metrics().get(metric)).toArray();
    }
  }

  /** A row of {@value #SUMMARY_CSV}. */
  public record Row(String config, String metric, Statistics.Summary stats) {}

  /** A row of {@value #DIFFERENCES_CSV}: {@code config − baseline}. */
  public record Difference(String config, String baseline, String metric, Statistics.Summary stats) {}

  private final List<Group> groups;
  private final List<String> metrics;
  private final List<Row> summary = new ArrayList<>();
  private final List<Difference> differences = new ArrayList<>();
  private final boolean withDifferences;

  private SweepTables(List<Group> groups, Map<String, String> baseline) {
    this.groups = List.copyOf(groups);
    Set<String> seen = new LinkedHashSet<>();
    for (Group g : groups) {
      for (RunOutcome r : g.runs()) {
        if (r.status() == RunOutcome.Status.FINISHED) {
          seen.addAll(r.metrics().keySet());
        }
      }
    }
    this.metrics = List.copyOf(seen);
    for (Group g : groups) {
      for (String metric : metrics) {
        summary.add(new Row(g.label(), metric, Statistics.summarize(g.values(metric))));
      }
    }
    this.withDifferences = baseline != null;
    if (baseline != null) {
      Map<Grid.Config, Group> byConfig = new LinkedHashMap<>();
      groups.forEach(g -> byConfig.put(g.config(), g));
      for (Group g : groups) {
        Grid.Config base = g.config().with(baseline);
        Group b = byConfig.get(base);
        if (base.equals(g.config()) || b == null) {
          continue;
        }
        for (String metric : metrics) {
          differences.add(new Difference(g.label(), b.label(), metric, paired(g, b, metric)));
        }
      }
    }
  }

  /** The tables of a sweep, with differences against each configuration's baseline (see {@link Grid#baseline}). */
  public static SweepTables of(List<Group> groups, Map<String, String> baseline) {
    return new SweepTables(groups, Objects.requireNonNull(baseline, "baseline"));
  }

  /** The tables of a comparison: no baseline, no differences. */
  public static SweepTables of(List<Group> groups) {
    return new SweepTables(groups, null);
  }

  /** The paired differences of a metric over the seeds that finished in both groups. */
  private static Statistics.Summary paired(Group a, Group b, String metric) {
    Map<Long, Double> base = new LinkedHashMap<>();
    for (RunOutcome r : b.runs()) {
      if (r.status() == RunOutcome.Status.FINISHED && r.metrics().containsKey(metric)) {
        base.put(r.seed(), r.metrics().get(metric));
      }
    }
    List<double[]> pairs = new ArrayList<>();
    for (RunOutcome r : a.runs()) {
      Double other = base.get(r.seed());
      if (r.status() == RunOutcome.Status.FINISHED && r.metrics().containsKey(metric) && other != null) {
        pairs.add(new double[] {r.metrics().get(metric), other});
      }
    }
    return Statistics.paired(pairs.stream().mapToDouble(p -> p[0]).toArray(),
        pairs.stream().mapToDouble(p -> p[1]).toArray());
  }

  public List<Group> groups() {
    return groups;
  }

  /** Every final metric of a finished run, in first-seen order. */
  public List<String> metrics() {
    return metrics;
  }

  public List<Row> summary() {
    return List.copyOf(summary);
  }

  public List<Difference> differences() {
    return List.copyOf(differences);
  }

  /** The summary row of a group and metric. */
  public Statistics.Summary stats(String group, String metric) {
    return summary.stream().filter(r -> r.config().equals(group) && r.metric().equals(metric)).findFirst()
        .map(Row::stats).orElseThrow(() -> new IllegalArgumentException("No row for " + group + " / " + metric));
  }

  /** The text of {@value #SUMMARY_CSV}. */
  public String summaryCsv() {
    StringBuilder out = new StringBuilder("config,metric,n,mean,std,ci95_low,ci95_high\n");
    for (Row r : summary) {
      out.append(HistoryFiles.csvField(r.config())).append(',').append(HistoryFiles.csvField(r.metric()));
      stats(out, r.stats());
    }
    return out.toString();
  }

  /** The text of {@value #DIFFERENCES_CSV}. */
  public String differencesCsv() {
    StringBuilder out = new StringBuilder("config,baseline,metric,n,mean,std,ci95_low,ci95_high\n");
    for (Difference d : differences) {
      out.append(HistoryFiles.csvField(d.config())).append(',').append(HistoryFiles.csvField(d.baseline()))
          .append(',').append(HistoryFiles.csvField(d.metric()));
      stats(out, d.stats());
    }
    return out.toString();
  }

  /** The text of {@value #RUNS_CSV}. */
  public String runsCsv() {
    Set<String> keys = new LinkedHashSet<>();
    groups.forEach(g -> keys.addAll(g.config().values().keySet()));
    StringBuilder out = new StringBuilder("config");
    keys.forEach(k -> out.append(',').append(HistoryFiles.csvField(k)));
    out.append(",seed,status,wall_seconds");
    metrics.forEach(m -> out.append(',').append(HistoryFiles.csvField(m)));
    out.append(",error\n");
    for (Group g : groups) {
      for (RunOutcome r : g.runs()) {
        out.append(HistoryFiles.csvField(g.label()));
        keys.forEach(k -> out.append(',').append(HistoryFiles.csvField(g.config().values().getOrDefault(k, ""))));
        out.append(',').append(r.seed()).append(',').append(r.status().id()).append(',')
            .append(Double.isNaN(r.wallSeconds()) ? "" : HistoryFiles.number(Math.round(r.wallSeconds() * 1000) / 1000.0));
        for (String m : metrics) {
          Double v = r.metrics().get(m);
          out.append(',').append(v == null ? "" : HistoryFiles.number(v));
        }
        out.append(',').append(r.error() == null ? "" : HistoryFiles.csvField(r.error())).append('\n');
      }
    }
    return out.toString();
  }

  private static void stats(StringBuilder out, Statistics.Summary s) {
    out.append(',').append(s.n()).append(',').append(cell(s.n() == 0 ? Double.NaN : s.mean(), s.n() >= 1))
        .append(',').append(cell(s.std(), s.n() >= 2)).append(',').append(cell(s.ciLow(), s.n() >= 2))
        .append(',').append(cell(s.ciHigh(), s.n() >= 2)).append('\n');
  }

  /** A number if it exists ({@code known}), NaN included; else an empty cell. */
  private static String cell(double v, boolean known) {
    return known ? HistoryFiles.number(v) : "";
  }

  /**
   * Writes {@value #SUMMARY_CSV}, {@value #RUNS_CSV} and, for a sweep, {@value #DIFFERENCES_CSV} into
   * {@code dir}, each atomically.
   */
  public void write(Path dir) throws IOException {
    AtomicFiles.write(dir.resolve(SUMMARY_CSV), summaryCsv().getBytes(StandardCharsets.UTF_8));
    AtomicFiles.write(dir.resolve(RUNS_CSV), runsCsv().getBytes(StandardCharsets.UTF_8));
    if (withDifferences) {
      AtomicFiles.write(dir.resolve(DIFFERENCES_CSV), differencesCsv().getBytes(StandardCharsets.UTF_8));
    }
  }
}
