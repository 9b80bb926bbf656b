package dev.regimen.core.sweep;

import dev.regimen.core.run.RunFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code regimen compare}: run folders and sweep folders side by side in one report. A run folder is a
 * group of one run, named by its folder; a sweep folder gives one group per configuration, named by it
 * (with the sweep's folder name in front when several folders are compared). The report and tables are
 * a sweep's ({@link SweepReport}, {@link SweepTables}) without differences: the curves of every group
 * overlaid, and the final metrics with intervals where a group has several seeds.
 *
 * <p>Written to {@code <out>/compare-<yyyyMMdd-HHmmss>/}: {@code report.html}, {@code plots/},
 * {@code summary.csv} and {@code runs.csv}.
 */
public final class Comparison {
  private Comparison() {}

  /**
   * The groups of the given folders, in order.
   *
   * @throws IllegalArgumentException naming a path that is neither a run folder nor a sweep folder
   */
  public static List<SweepTables.Group> groups(List<Path> paths) {
    List<SweepTables.Group> groups = new ArrayList<>();
    Set<String> labels = new HashSet<>();
    for (Path path : paths) {
      Path dir = path.toAbsolutePath().normalize();
      if (SweepRecord.isSweep(dir)) {
        SweepRecord record = SweepRecord.read(dir);
        for (Grid.Config config : record.spec().grid().configs()) {
          List<RunOutcome> runs = new ArrayList<>();
          for (SweepRecord.Entry e : record.runs()) {
            if (e.config().equals(config)) {
              runs.add(outcome(dir, e));
            }
          }
          String label = paths.size() == 1 ? config.label() : dir.getFileName() + ": " + config.label();
          groups.add(new SweepTables.Group(unique(label, labels), config, runs));
        }
      } else if (Files.isRegularFile(dir.resolve(RunFolder.RUN_JSON))) {
        groups.add(new SweepTables.Group(unique(dir.getFileName().toString(), labels), new Grid.Config(Map.of()),
            List.of(RunOutcome.read(dir, Double.NaN))));
      } else {
        throw new IllegalArgumentException(path + " is neither a run folder (it has no " + RunFolder.RUN_JSON
            + ") nor a sweep folder (no " + SweepRecord.SWEEP_JSON + ")");
      }
    }
    return groups;
  }

  private static RunOutcome outcome(Path sweep, SweepRecord.Entry e) {
    Path folder = e.folder() == null ? null : sweep.resolve(e.folder());
    if (e.status() == RunOutcome.Status.FINISHED && folder != null && Files.isDirectory(folder)) {
      return RunOutcome.read(folder, e.wallSeconds());
    }
    return RunOutcome.without(e.seed(), e.status(), e.error(), e.wallSeconds(), folder);
  }

  private static String unique(String label, Set<String> taken) {
    String out = label;
    for (int k = 2; !taken.add(out); k++) {
      out = label + " (" + k + ")";
    }
    return out;
  }

  /** Compares the folders into a new {@code compare-<time>} folder under {@code parent}; returns the report. */
  public static Path write(List<Path> paths, Path parent) throws IOException {
    List<SweepTables.Group> groups = groups(paths);
    Path folder = RunFolder.createStamped(parent.toAbsolutePath().normalize(), "compare", LocalDateTime.now());
    SweepTables tables = SweepTables.of(groups);
    tables.write(folder);
    return SweepReport.forComparison(folder, paths, tables, Instant.now()).write();
  }
}
