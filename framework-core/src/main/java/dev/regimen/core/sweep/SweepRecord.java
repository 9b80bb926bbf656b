package dev.regimen.core.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regimen.core.checkpoint.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@value #SWEEP_JSON}: what a sweep is and how far it got, rewritten after every run so that an
 * interrupted sweep leaves a true record.
 *
 * <pre>{@code
 * {
 *   "format" : 1,
 *   "script" : "/home/me/scripts/quickstart.js", "script_sha256" : "9f2c...",
 *   "sets" : [ ], "grid" : { "epochs" : [ "1", "2" ] }, "seeds" : [ 1, 2 ],
 *   "plugins_dir" : null, "allow_host_access" : false,
 *   "baseline" : { "epochs" : "1" }, "jobs" : 2, "threads_per_run" : 1,
 *   "started" : "2026-12-07T11:30:00Z", "updated" : "2026-12-07T11:30:40Z", "status" : "finished",
 *   "versions" : { "regimen" : "0.1.0", "java" : "17.0.15 (Eclipse Adoptium, Linux amd64)" },
 *   "plugin_versions" : [ { "id" : "regimen-dropout", "version" : "0.1.0" } ],
 *   "commit" : { "id" : "4be1c0d...", "dirty" : false },
 *   "machine" : { "host" : "lab-1", "os" : "Linux 6.1", "arch" : "amd64", "cpus" : 8, "memory_bytes" : 33554432000 },
 *   "runs" : [ { "config" : { "epochs" : "1" }, "seed" : 1, "status" : "finished",
 *                "folder" : "runs/quickstart-20261207-113001", "wall_seconds" : 8.1, "exit" : 0,
 *                "error" : null, "log" : "logs/epochs-1-seed1.log" }, ... ]
 * }
 * }</pre>
 *
 * <p>{@code status} is {@code running} while the sweep runs (also what a killed sweep leaves),
 * {@code finished}, {@code finished with failures} or {@code interrupted}. Paths of runs and logs are
 * relative to the sweep folder, so it can be moved. {@code commit} is the git commit of the script's
 * folder, or null outside a repository. A sweep run on a cluster ({@code --spark}) also has {@code "cluster" :
 * "Apache Spark 4.1.1 (Scala 2.13.17), master local[2]"}; its {@code jobs} is the runs it handed the cluster at a
 * time.
 *
 * @param spec what it runs
 * @param baseline the baseline keys and values
 * @param jobs runs at a time
 * @param threadsPerRun the native math threads each run got
 * @param started when the sweep first started
 * @param updated when this record was written
 * @param status see above
 * @param environment {@code versions}, {@code plugin_versions}, {@code commit}, {@code machine} (and
 *     {@code cluster}): plain data
 * @param runs every run, in the sweep's order
 */
public record SweepRecord(SweepSpec spec, Map<String, String> baseline, int jobs, int threadsPerRun, Instant started,
    Instant updated, String status, Map<String, Object> environment, List<Entry> runs) {

  public static final String SWEEP_JSON = "sweep.json";
  public static final int FORMAT = 1;
  public static final String RUNNING = "running";
  public static final String FINISHED = "finished";
  public static final String FINISHED_WITH_FAILURES = "finished with failures";
  public static final String INTERRUPTED = "interrupted";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * One run.
   *
   * @param config its configuration
   * @param seed its seed
   * @param status how it ended (or {@code not run} yet)
   * @param folder its run folder relative to the sweep folder, or {@code null}
   * @param wallSeconds how long it took, NaN if unknown
   * @param exit its process's exit code, or {@code null} if it did not run in this sweep's processes
   * @param error why it failed, or {@code null}
   * @param log its console log relative to the sweep folder, or {@code null}
   */
  public record Entry(Grid.Config config, long seed, RunOutcome.Status status, String folder, double wallSeconds,
      Integer exit, String error, String log) {
    public Entry {
      Objects.requireNonNull(config, "config");
      Objects.requireNonNull(status, "status");
    }
  }

  public SweepRecord {
    Objects.requireNonNull(spec, "spec");
    baseline = Collections.unmodifiableMap(new LinkedHashMap<>(baseline));
    environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
    runs = List.copyOf(runs);
  }

  /** Writes {@value #SWEEP_JSON} into the sweep folder, atomically. */
  public void write(Path dir) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("script", spec.script().toString());
    root.put("script_sha256", spec.scriptSha256());
    ArrayNode sets = root.putArray("sets");
    spec.sets().forEach(sets::add);
    ObjectNode grid = root.putObject("grid");
    spec.grid().axes().forEach((k, v) -> {
      ArrayNode values = grid.putArray(k);
      v.forEach(values::add);
    });
    ArrayNode seeds = root.putArray("seeds");
    spec.seeds().forEach(seeds::add);
    root.put("plugins_dir", spec.pluginsDir() == null ? null : spec.pluginsDir().toString());
    root.put("allow_host_access", spec.allowHostAccess());
    root.set("baseline", JSON.valueToTree(baseline));
    root.put("jobs", jobs);
    root.put("threads_per_run", threadsPerRun);
    root.put("started", started.toString());
    root.put("updated", updated.toString());
    root.put("status", status);
    environment.forEach((k, v) -> root.set(k, JSON.valueToTree(v)));
    ArrayNode list = root.putArray("runs");
    for (Entry e : runs) {
      ObjectNode n = list.addObject();
      n.set("config", JSON.valueToTree(e.config().values()));
      n.put("seed", e.seed());
      n.put("status", e.status().id());
      n.put("folder", e.folder());
      if (Double.isNaN(e.wallSeconds())) {
        n.putNull("wall_seconds");
      } else {
        n.put("wall_seconds", Math.round(e.wallSeconds() * 1000) / 1000.0);
      }
      if (e.exit() == null) {
        n.putNull("exit");
      } else {
        n.put("exit", e.exit());
      }
      n.put("error", e.error());
      n.put("log", e.log());
    }
    AtomicFiles.write(dir.resolve(SWEEP_JSON), JSON.writeValueAsBytes(root));
  }

  /** Whether a folder holds a {@value #SWEEP_JSON}. */
  public static boolean isSweep(Path dir) {
    return Files.isRegularFile(dir.resolve(SWEEP_JSON));
  }

  /**
   * Reads {@value #SWEEP_JSON} from a sweep folder.
   *
   * @throws IllegalArgumentException naming the file if it is missing or not one that Regimen wrote
   */
  public static SweepRecord read(Path dir) {
    Path file = dir.resolve(SWEEP_JSON);
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(dir + " is not a sweep folder: it has no " + SWEEP_JSON);
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read " + file + ": " + e.getMessage(), e);
    }
    try {
      if (root == null || !root.isObject() || !root.path("script").isTextual() || !root.path("grid").isObject()) {
        throw new IllegalArgumentException("it has no \"script\" or \"grid\"");
      }
      if (root.path("format").asInt(0) > FORMAT) {
        throw new IllegalArgumentException("it has format " + root.path("format").asInt() + "; this Regimen reads format "
            + FORMAT + " and older");
      }
      List<String> sets = new ArrayList<>();
      root.path("sets").forEach(n -> sets.add(n.asText()));
      Map<String, List<String>> axes = new LinkedHashMap<>();
      root.path("grid").properties().forEach(e -> {
        List<String> values = new ArrayList<>();
        e.getValue().forEach(v -> values.add(v.asText()));
        axes.put(e.getKey(), values);
      });
      List<Long> seeds = new ArrayList<>();
      root.path("seeds").forEach(n -> seeds.add(n.asLong()));
      JsonNode plugins = root.path("plugins_dir");
      SweepSpec spec = new SweepSpec(Path.of(root.path("script").asText()),
          root.path("script_sha256").isTextual() ? root.path("script_sha256").asText() : null, sets, new Grid(axes),
          seeds, plugins.isTextual() ? Path.of(plugins.asText()) : null, root.path("allow_host_access").asBoolean());
      Map<String, String> baseline = new LinkedHashMap<>();
      root.path("baseline").properties().forEach(e -> baseline.put(e.getKey(), e.getValue().asText()));
      Map<String, Object> environment = new LinkedHashMap<>();
      for (String key : List.of("versions", "plugin_versions", "commit", "machine", "cluster")) {
        if (root.has(key)) {
          environment.put(key, JSON.convertValue(root.get(key), Object.class));
        }
      }
      List<Entry> runs = new ArrayList<>();
      for (JsonNode n : root.path("runs")) {
        Map<String, String> config = new LinkedHashMap<>();
        n.path("config").properties().forEach(e -> config.put(e.getKey(), e.getValue().asText()));
        runs.add(new Entry(new Grid.Config(config), n.path("seed").asLong(), RunOutcome.Status.parse(n.path("status")
            .asText()), text(n, "folder"), n.path("wall_seconds").isNumber() ? n.path("wall_seconds").asDouble()
            : Double.NaN, n.path("exit").isInt() ? n.path("exit").asInt() : null, text(n, "error"), text(n, "log")));
      }
      return new SweepRecord(spec, baseline, root.path("jobs").asInt(1), root.path("threads_per_run").asInt(1),
          Instant.parse(root.path("started").asText()), Instant.parse(root.path("updated").asText()),
          root.path("status").asText(RUNNING), environment, runs);
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new IllegalArgumentException(file + " is not a sweep record that Regimen wrote: " + e.getMessage(), e);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isTextual() ? v.asText() : null;
  }
}
