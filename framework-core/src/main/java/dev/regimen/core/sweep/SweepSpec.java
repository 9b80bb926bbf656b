package dev.regimen.core.sweep;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a sweep runs: the script (and its SHA-256, so that an edited script is a new sweep), the
 * {@code --set} values every run gets, the grid, the seeds, the plugins folder and the sandbox. Two
 * invocations with equal specs are the same sweep: the second continues the first's folder. The
 * baseline and {@code --jobs} are not part of it, since they change how the runs are summarized or
 * scheduled, not what they compute.
 *
 * @param script the script's absolute path
 * @param scriptSha256 the SHA-256 of its bytes
 * @param sets {@code --set KEY=VALUE} for every run, as given
 * @param grid the grid
 * @param seeds the seeds, in the order given
 * @param pluginsDir {@code --plugins}, or {@code null} for the distribution's
 * @param allowHostAccess {@code --allow-host-access}
 */
public record SweepSpec(Path script, String scriptSha256, List<String> sets, Grid grid, List<Long> seeds,
    Path pluginsDir, boolean allowHostAccess) {

  public SweepSpec {
    Objects.requireNonNull(script, "script");
    sets = List.copyOf(sets);
    Objects.requireNonNull(grid, "grid");
    seeds = List.copyOf(seeds);
    if (seeds.isEmpty()) {
      throw new IllegalArgumentException("A sweep needs at least one seed");
    }
  }

  /** One run of the sweep: a configuration and a seed. */
  public record Point(Grid.Config config, long seed) {
    /** A name for files: {@code epochs-1-seed2}. */
    public String id() {
      return (config.values().isEmpty() ? "" : config.fileLabel() + "-") + "seed" + seed;
    }

    /** As progress lines show it: {@code epochs=1 seed=2}. */
    public String label() {
      return (config.values().isEmpty() ? "" : config.label() + " ") + "seed=" + seed;
    }
  }

  /**
   * Every run, seed by seed: all configurations with the first seed, then with the second..., so that a
   * sweep stopped halfway has whole seeds to compare.
   */
  public List<Point> points() {
    List<Point> out = new ArrayList<>();
    for (long seed : seeds) {
      for (Grid.Config config : grid.configs()) {
        out.add(new Point(config, seed));
      }
    }
    return out;
  }

  /** The {@code --set} values of a point's run: those of every run, then the configuration's. */
  public List<String> sets(Point point) {
    List<String> out = new ArrayList<>(sets);
    out.addAll(point.config().sets());
    return out;
  }

  /** The command line (after {@code regimen}) of a point's run, into run folders under {@code runsDir}. */
  public List<String> runArguments(Point point, Path runsDir) {
    List<String> args = new ArrayList<>(List.of("run", script.toString()));
    for (String set : sets(point)) {
      args.add("--set");
      args.add(set);
    }
    args.addAll(List.of("--seed", Long.toString(point.seed()), "--out", runsDir.toString(), "--no-progress"));
    if (pluginsDir != null) {
      args.addAll(List.of("--plugins", pluginsDir.toString()));
    }
    if (allowHostAccess) {
      args.add("--allow-host-access");
    }
    return args;
  }
}
