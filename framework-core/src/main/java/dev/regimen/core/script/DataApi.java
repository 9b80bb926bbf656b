package dev.regimen.core.script;

import static dev.regimen.api.component.OptionType.ANY;
import static dev.regimen.api.component.OptionType.BOOLEAN;
import static dev.regimen.api.component.OptionType.DOUBLE;
import static dev.regimen.api.component.OptionType.DOUBLE_LIST;
import static dev.regimen.api.component.OptionType.INT;
import static dev.regimen.api.component.OptionType.STRING;

import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.Options;
import dev.regimen.api.tensor.Rng;
import dev.regimen.core.data.CsvLoader;
import dev.regimen.core.data.CsvOptions;
import dev.regimen.core.data.Dataset;
import dev.regimen.core.data.EmbeddedData;
import dev.regimen.core.data.IdxLoader;
import dev.regimen.core.data.Normalizer;
import dev.regimen.core.data.Synthetic;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;

/**
 * {@code rg.data}: the data loaders. Each returns {@code {train, validation, test}}: a test split
 * (given by the data set, or a fraction {@code test} of the whole set) and a validation split (a
 * fraction {@code validation} of the whole set), both stratified by class for classification and
 * seeded by {@code seed} (the run's seed by default); the rest is {@code train}. {@code normalize: 'zscore' | 'minmax'} fits the
 * normalizer on the training split only and applies it unchanged to validation and test, so nothing
 * leaks from them into training.
 *
 * <p>Paths (IDX folders, CSV files) are relative to the script's folder and must lie in a folder the
 * script may read: its own, a data folder given to the run, or the run folder.
 */
public final class DataApi {
  private static final OptionSpec NORMALIZE = OptionSpec.of("normalize", STRING, null,
      "scale features with statistics of the training split: zscore or minmax (none if null)")
      .oneOf(Normalizer.ZSCORE, Normalizer.MINMAX);
  private static final OptionSpec TEST = OptionSpec.of("test", DOUBLE, 0.0,
      "the fraction of the whole set held out for testing").rangeExclusive(0, 1);
  private static final OptionSpec SEED = OptionSpec.of("seed", INT, null, "the seed of the splits (the run's seed if null)");

  private static OptionSpec validation(double fraction) {
    return OptionSpec.of("validation", DOUBLE, fraction, "the fraction of the whole set used for validation")
        .rangeExclusive(0, 1);
  }

  private final ScriptRuntime runtime;

  DataApi(ScriptRuntime runtime) {
    this.runtime = runtime;
  }

  @HostAccess.Export
  public ScriptData digits() {
    return digits(null);
  }

  /**
   * The 1797 UCI handwritten digits (8x8 pixels in 0..16, 10 classes): options {@code normalize},
   * {@code validation} (0.2), {@code test} (0), {@code images} (false: 64 features; true: [1, 8, 8]
   * for convolutions), {@code seed}.
   */
  @HostAccess.Export
  public ScriptData digits(Value options) {
    Options o = parse("digits", options, List.of(NORMALIZE, validation(0.2), TEST,
        OptionSpec.of("images", BOOLEAN, false, "shape samples as [1, 8, 8] images instead of 64 features"), SEED));
    Dataset all = EmbeddedData.digits();
    if (o.getBoolean("images")) {
      all = all.reshape(1, 8, 8);
    }
    return split("digits", all, null, o.getDouble("test"), o);
  }

  @HostAccess.Export
  public ScriptData diabetes() {
    return diabetes(null);
  }

  /**
   * The diabetes regression set (442 patients, 10 features in raw units, disease progression after a
   * year): options {@code normalize}, {@code validation} (0.2), {@code test} (0), {@code seed}.
   */
  @HostAccess.Export
  public ScriptData diabetes(Value options) {
    Options o = parse("diabetes", options, List.of(NORMALIZE, validation(0.2), TEST, SEED));
    return split("diabetes", EmbeddedData.diabetes(), null, o.getDouble("test"), o);
  }

  @HostAccess.Export
  public ScriptData idx(String dir) {
    return idx(dir, null);
  }

  /**
   * An MNIST-family folder of IDX files (Fashion-MNIST: {@code /usr/share/datasets/fashion-mnist}):
   * options {@code train} ("train") and {@code test} ("t10k", loaded when its files are there, so a folder
   * of training files alone loads) name the splits;
   * {@code flatten} (false: [1, H, W] images; true: H*W features), {@code limit} (at most this many
   * training samples, a seeded choice), {@code normalize}, {@code validation} (0.1), {@code seed}.
   */
  @HostAccess.Export
  public ScriptData idx(String dir, Value options) {
    Map<String, Object> raw = Values.options("rg.data.idx", options, false, false);
    Options o = Options.parse("data 'idx'", List.of(
        OptionSpec.of("train", STRING, "train", "the training split's file prefix"),
        OptionSpec.of("test", STRING, "t10k", "the test split's file prefix (skipped if none of its files is there)"),
        OptionSpec.of("flatten", BOOLEAN, false, "samples as H*W features instead of [1, H, W] images"),
        OptionSpec.of("limit", INT, null, "at most this many training samples").atLeast(1),
        NORMALIZE, validation(0.1), SEED), raw);
    Path folder = runtime.files().checkRead(runtime.files().resolve(dir));
    Dataset train = IdxLoader.load(folder, o.getString("train"));
    // The test split is optional: skipped when none of its files is there, loaded (and checked like the
    // training split) when one is, or when the script names it.
    String testSplit = o.getString("test");
    boolean named = raw.get("test") != null;
    Dataset test = named || IdxLoader.hasSplit(folder, testSplit) ? IdxLoader.load(folder, testSplit) : null;
    if (o.has("limit") && train.size() > o.getInt("limit")) {
      int[] order = new Rng(seed(o)).fork("limit").permutation(train.size());
      int[] rows = Arrays.copyOf(order, o.getInt("limit"));
      Arrays.sort(rows);
      train = train.subset(rows);
    }
    if (o.getBoolean("flatten")) {
      train = flatten(train);
      test = test == null ? null : flatten(test);
    }
    return split("idx", train, test, 0, o);
  }

  @HostAccess.Export
  public ScriptData csv(String path) {
    return csv(path, null);
  }

  /**
   * A CSV file: options {@code target} (a column name, or an index, -1 for the last: the default),
   * {@code header} (true), {@code delimiter} (","; "whitespace" splits on runs of blanks), {@code task}
   * ("classification" or "regression"), {@code classes} (default max label + 1), {@code normalize},
   * {@code validation} (0.2), {@code test} (0), {@code seed}.
   */
  @HostAccess.Export
  public ScriptData csv(String path, Value options) {
    Options o = parse("csv", options, List.of(
        OptionSpec.of("target", ANY, -1, "the target column: its header name, or its index (-1: the last)"),
        OptionSpec.of("header", BOOLEAN, true, "whether the first line holds column names"),
        OptionSpec.of("delimiter", STRING, ",", "the field delimiter, or 'whitespace'"),
        OptionSpec.of("task", STRING, "classification", "classification or regression")
            .oneOf("classification", "regression"),
        OptionSpec.of("classes", INT, null, "the number of classes (default: max label + 1)").atLeast(2),
        NORMALIZE, validation(0.2), TEST, SEED));
    Path file = runtime.files().checkRead(runtime.files().resolve(path));
    String delimiter = o.getString("delimiter");
    CsvOptions csv = CsvOptions.defaults()
        .header(o.getBoolean("header"))
        .delimiter(delimiter.equalsIgnoreCase("whitespace") ? null : delimiter.charAt(0));
    Object target = o.get("target");
    if (target instanceof String s) {
      csv = csv.target(s);
    } else if (target instanceof Integer i) {
      csv = csv.target(i);
    } else {
      throw new ScriptApiException("Option 'target' of data 'csv' is a column name or index. Received: target="
          + Values.describe(target));
    }
    if (o.getString("task").equals("regression")) {
      csv = csv.regression();
    } else {
      csv = o.has("classes") ? csv.classification(o.getInt("classes")) : csv.classification();
    }
    return split("csv", CsvLoader.load(file, csv), null, o.getDouble("test"), o);
  }

  @HostAccess.Export
  public ScriptData synthetic(String name) {
    return synthetic(name, null);
  }

  /**
   * A seeded synthetic set: {@code two_moons}, {@code spirals}, {@code blobs} (classification) or
   * {@code linear} (regression, y = x w + noise). Options: {@code n} (500), {@code noise} (0.1),
   * {@code classes} (3), {@code dims} (blobs: 2), {@code spread} (blobs: 1), {@code weights} (linear:
   * [1, -2, 0, 0.5]), {@code normalize}, {@code validation} (0.2), {@code test} (0), {@code seed}.
   */
  @HostAccess.Export
  public ScriptData synthetic(String name, Value options) {
    Options o = parse("synthetic", options, List.of(
        OptionSpec.of("n", INT, 500, "the number of samples").atLeast(2),
        OptionSpec.of("noise", DOUBLE, 0.1, "the noise's standard deviation").atLeast(0),
        OptionSpec.of("classes", INT, 3, "the number of classes (spirals, blobs)").atLeast(2),
        OptionSpec.of("dims", INT, 2, "the number of features (blobs)").atLeast(1),
        OptionSpec.of("spread", DOUBLE, 1.0, "the clusters' standard deviation (blobs)").atLeast(0),
        OptionSpec.of("weights", DOUBLE_LIST, List.of(1.0, -2.0, 0.0, 0.5), "the true weights (linear)"),
        NORMALIZE, validation(0.2), TEST, SEED));
    Rng rng = new Rng(seed(o)).fork("synthetic");
    Dataset all = switch (name) {
      case "two_moons", "moons" -> Synthetic.twoMoons(o.getInt("n"), o.getDouble("noise"), rng);
      case "spirals" -> Synthetic.spirals(o.getInt("n"), o.getInt("classes"), o.getDouble("noise"), rng);
      case "blobs" -> Synthetic.blobs(o.getInt("n"), o.getInt("classes"), o.getInt("dims"), o.getDouble("spread"), rng);
      case "linear" -> Synthetic.linearRegression(o.getInt("n"),
          o.getDoubleList("weights").stream().mapToDouble(Double::doubleValue).toArray(), o.getDouble("noise"), rng);
      default -> throw new ScriptApiException("Unknown synthetic data set '" + name
          + "'. Known: two_moons, spirals, blobs, linear");
    };
    return split("synthetic '" + name + "'", all, null, o.getDouble("test"), o);
  }

  // ------------------------------------------------------------------ splits

  private Options parse(String loader, Value options, List<OptionSpec> specs) {
    return Options.parse("data '" + loader + "'", specs, Values.options("rg.data." + loader, options, false, false));
  }

  private long seed(Options o) {
    return o.has("seed") ? o.getInt("seed") : runtime.seed();
  }

  private static Dataset flatten(Dataset data) {
    long features = 1;
    for (long d : data.sampleShape()) {
      features *= d;
    }
    return data.reshape(features);
  }

  /** The loader in messages: {@code data 'digits'}, {@code data synthetic 'blobs'}. */
  private static String label(String what) {
    return what.contains("'") ? "data " + what : "data '" + what + "'";
  }

  /** One split, its refusal naming the loader and the option (the fraction as the script gave it). */
  private static Dataset.Split split(String what, String option, double given, Dataset data, double fraction, Rng rng) {
    try {
      return data.split(fraction, rng);
    } catch (IllegalArgumentException e) {
      throw new ScriptApiException(label(what) + ": " + option + "=" + given + ": " + e.getMessage());
    }
  }

  /**
   * Test split (given, or a fraction {@code testFraction} of the whole set: one or the other), then
   * validation (a fraction of the whole set), then the normalizer fitted on what is left for training.
   */
  private ScriptData split(String what, Dataset all, Dataset givenTest, double testFraction, Options o) {
    runtime.checkNotInterrupted();
    double validationFraction = o.getDouble("validation");
    if (validationFraction + testFraction >= 1) {
      throw new ScriptApiException(label(what) + ": validation + test must leave data for training. Received: "
          + "validation=" + validationFraction + ", test=" + testFraction);
    }
    Rng rng = new Rng(seed(o)).fork("split");
    Dataset rest = all;
    Dataset test = givenTest;
    if (testFraction > 0) {
      Dataset.Split s = split(what, "test", testFraction, rest, testFraction, rng.fork("test"));
      rest = s.train();
      test = s.validation();
    }
    Dataset validation = null;
    if (validationFraction > 0) {
      Dataset.Split s = split(what, "validation", validationFraction, rest, validationFraction / (1 - testFraction),
          rng.fork("validation"));
      rest = s.train();
      validation = s.validation();
    }
    Normalizer normalizer = null;
    if (o.has("normalize")) {
      normalizer = Normalizer.of(o.getString("normalize")).fit(rest);
      rest = normalizer.apply(rest);
      validation = validation == null ? null : normalizer.apply(validation);
      test = test == null ? null : normalizer.apply(test);
    }
    List<ScriptDataset> parts = new ArrayList<>();
    Dataset[] sets = {rest, validation, test};
    String[] splits = {"train", "validation", "test"};
    for (int i = 0; i < sets.length; i++) {
      parts.add(sets[i] == null ? null : new ScriptDataset(sets[i], normalizer, what, splits[i]));
    }
    return new ScriptData(parts.get(0), parts.get(1), parts.get(2), normalizer == null ? null : normalizer.kind());
  }
}
