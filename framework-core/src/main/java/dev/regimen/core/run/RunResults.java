package dev.regimen.core.run;

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
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@value RunFolder#RESULTS_JSON}: what a run ended with, as data, so that a sweep or a comparison can
 * read its results without parsing the report: the parameters the script read, each training's final
 * metrics (those of the weights it kept) and each evaluation's metrics. Written when the script ends
 * (not when it failed; {@value RunFolder#RUN_JSON} tells that).
 *
 * <pre>{@code
 * {
 *   "format" : 1,
 *   "params" : { "epochs" : 2, "smoke" : false },
 *   "trainings" : [ { "name" : "train-1", "epochs" : 2, "kept_epoch" : 1,
 *                     "final" : { "loss" : 0.41, "accuracy" : 0.88, "val_loss" : 0.39, ... } } ],
 *   "evaluations" : [ { "trainer" : "train-1", "data" : "test", "samples" : 359,
 *                       "metrics" : { "loss" : 0.40, "accuracy" : 0.87 } } ],
 *   "metrics" : { "loss" : 0.41, ..., "test_loss" : 0.40, "test_accuracy" : 0.87 }
 * }
 * }</pre>
 *
 * <p>{@code metrics} is {@link #metrics()}, the flat list a sweep summarizes. A number that is not finite
 * (a diverged loss) is written as the string {@code "NaN"}, {@code "Infinity"} or {@code "-Infinity"}.
 *
 * @param params every parameter the script asked for with the value it got
 * @param trainings every training in order
 * @param evaluations every evaluation in order
 */
public record RunResults(Map<String, Object> params, List<Training> trainings, List<Evaluation> evaluations) {
  /** The layout written now. */
  public static final int FORMAT = 1;

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * One training.
   *
   * @param name the trainer's name
   * @param epochs the epochs it ran
   * @param keptEpoch the epoch (from 0) whose weights the model kept, -1 if none
   * @param finalMetrics that epoch's metrics
   */
  public record Training(String name, int epochs, int keptEpoch, Map<String, Double> finalMetrics) {
    public Training {
      Objects.requireNonNull(name, "name");
      finalMetrics = Collections.unmodifiableMap(new LinkedHashMap<>(finalMetrics));
    }
  }

  /**
   * One evaluation of a trainer's model.
   *
   * @param trainer the trainer's name
   * @param data the split ({@code test}, {@code validation}, ...) or {@code data}
   * @param samples how many samples
   * @param metrics the loss and every metric
   */
  public record Evaluation(String trainer, String data, int samples, Map<String, Double> metrics) {
    public Evaluation {
      Objects.requireNonNull(trainer, "trainer");
      Objects.requireNonNull(data, "data");
      metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }
  }

  public RunResults {
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    trainings = List.copyOf(trainings);
    evaluations = List.copyOf(evaluations);
  }

  /**
   * The run's results as one flat map, the numbers a sweep compares: the first training's final
   * metrics by their names ({@code loss}, {@code val_accuracy}; not {@code lr}, a setting rather than a
   * result), each evaluation's as {@code <data>_<metric>} ({@code test_accuracy}), and those of any other
   * trainer with its name and a slash in front ({@code student/test_accuracy}). A later evaluation of
   * the same trainer and data replaces an earlier one.
   */
  public Map<String, Double> metrics() {
    Map<String, Double> out = new LinkedHashMap<>();
    String primary = !trainings.isEmpty() ? trainings.get(0).name()
        : !evaluations.isEmpty() ? evaluations.get(0).trainer() : null;
    for (int i = 0; i < trainings.size(); i++) {
      Training t = trainings.get(i);
      String prefix = i == 0 ? "" : t.name() + "/";
      t.finalMetrics().forEach((k, v) -> {
        if (!k.equals("lr")) {
          out.put(prefix + k, v);
        }
      });
    }
    for (Evaluation e : evaluations) {
      String prefix = e.trainer().equals(primary) ? "" : e.trainer() + "/";
      e.metrics().forEach((k, v) -> out.put(prefix + e.data() + "_" + k, v));
    }
    return out;
  }

  /** Writes {@value RunFolder#RESULTS_JSON} into a run folder, atomically. */
  public void write(Path runDir) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.set("params", JSON.valueToTree(params));
    ArrayNode list = root.putArray("trainings");
    for (Training t : trainings) {
      ObjectNode n = list.addObject();
      n.put("name", t.name());
      n.put("epochs", t.epochs());
      n.put("kept_epoch", t.keptEpoch());
      n.set("final", numbers(t.finalMetrics()));
    }
    list = root.putArray("evaluations");
    for (Evaluation e : evaluations) {
      ObjectNode n = list.addObject();
      n.put("trainer", e.trainer());
      n.put("data", e.data());
      n.put("samples", e.samples());
      n.set("metrics", numbers(e.metrics()));
    }
    root.set("metrics", numbers(metrics()));
    AtomicFiles.write(runDir.resolve(RunFolder.RESULTS_JSON), JSON.writeValueAsBytes(root));
  }

  /**
   * Reads {@value RunFolder#RESULTS_JSON} from a run folder; empty if it has none (a failed run, or one
   * written before the file existed).
   *
   * @throws IllegalArgumentException naming the file if it is not one that Regimen wrote
   */
  public static Optional<RunResults> read(Path runDir) {
    Path file = runDir.resolve(RunFolder.RESULTS_JSON);
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read " + file + ": " + e.getMessage(), e);
    }
    if (root == null || !root.isObject() || !root.path("trainings").isArray()) {
      throw new IllegalArgumentException(file + " is not a results file that Regimen wrote: it has no \"trainings\"");
    }
    if (root.path("format").asInt(0) > FORMAT) {
      throw new IllegalArgumentException(file + " has format " + root.path("format").asInt() + "; this Regimen reads "
          + "format " + FORMAT + " and older");
    }
    Map<String, Object> params = new LinkedHashMap<>();
    root.path("params").properties().forEach(e -> params.put(e.getKey(), JSON.convertValue(e.getValue(), Object.class)));
    List<Training> trainings = new ArrayList<>();
    for (JsonNode t : root.path("trainings")) {
      trainings.add(new Training(t.path("name").asText(), t.path("epochs").asInt(), t.path("kept_epoch").asInt(-1),
          numbers(t.path("final"))));
    }
    List<Evaluation> evaluations = new ArrayList<>();
    for (JsonNode e : root.path("evaluations")) {
      evaluations.add(new Evaluation(e.path("trainer").asText(), e.path("data").asText(), e.path("samples").asInt(),
          numbers(e.path("metrics"))));
    }
    return Optional.of(new RunResults(params, trainings, evaluations));
  }

  private static ObjectNode numbers(Map<String, Double> values) {
    ObjectNode out = JSON.createObjectNode();
    values.forEach((k, v) -> {
      if (v == null) {
        out.putNull(k);
      } else if (Double.isFinite(v)) {
        out.put(k, v);
      } else {
        out.put(k, HistoryFiles.number(v));
      }
    });
    return out;
  }

  private static Map<String, Double> numbers(JsonNode node) {
    Map<String, Double> out = new LinkedHashMap<>();
    node.properties().forEach(e -> {
      JsonNode v = e.getValue();
      if (v.isNumber()) {
        out.put(e.getKey(), v.doubleValue());
      } else if (v.isTextual()) {
        out.put(e.getKey(), switch (v.asText()) {
          case "Infinity" -> Double.POSITIVE_INFINITY;
          case "-Infinity" -> Double.NEGATIVE_INFINITY;
          default -> Double.NaN;
        });
      }
    });
    return out;
  }
}
