package dev.regimen.plugins.curriculum;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentException;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.train.Scheduler;
import dev.regimen.api.train.TrainingControl;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.pf4j.Extension;

/**
 * Curriculum learning (Bengio, Louradour, Collobert and Weston 2009, "Curriculum Learning", ICML):
 * train on easy samples first and add harder ones as training goes on. When training starts every
 * training sample gets a difficulty score ({@link Difficulty}; lower is easier) and the samples are
 * sorted by it, easiest first (ties by row). At the start of epoch t (from 0) the epoch sees the
 * first n_t = ceil(lambda(t) N) of them, where lambda is the pacing function ({@link Pacing}); from
 * epoch {@code epochs} on, lambda = 1 and the trainer goes back to the full data in its own shuffled
 * order. The fraction n_t / N is recorded into the history as {@code curriculum_fraction}.
 *
 * <p>Options:
 * <ul>
 *   <li>{@code score}: where difficulty comes from: {@code loss} (the per-sample loss of a reference
 *       model), {@code given} (option {@code scores}) or {@code scorer} (option {@code scorer}). Left out,
 *       it follows from the other options: {@code given} if {@code scores} is set, {@code scorer} if
 *       {@code scorer} is, else {@code loss}.
 *   <li>{@code reference}: for {@code loss}, a trained model (a layer, from Java or a script). Left out,
 *       the model being trained scores the data as it is when training starts: only meaningful if it
 *       was trained or loaded before (transfer, a resumed run); a freshly initialized model gives
 *       scores that are close to noise, and the curriculum becomes a random subset.
 *   <li>{@code loss}: for {@code loss}, {@code auto} (cross-entropy for class labels, squared error
 *       otherwise), {@code cross_entropy} or {@code squared_error}.
 *   <li>{@code scores}: for {@code given}, one finite number per training row, in dataset order.
 *   <li>{@code scorer}: for {@code scorer}, a function of a training row (see {@link ScriptFunction}):
 *       a Java {@code IntToDoubleFunction} of the row index or {@code ToDoubleFunction<Batch>} of a
 *       one-row batch, or a script function of (index, label).
 *   <li>{@code pacing} ({@code linear}, {@code root} or {@code step}), {@code start} (0.2, in (0, 1]),
 *       {@code epochs} (5, the length of the pacing period), {@code steps} (1, {@code step} only).
 *   <li>{@code order}: within a pacing epoch, {@code shuffled} (default: the chosen samples in a new
 *       random order each epoch, from {@code seed} and the epoch) or {@code easiest_first} (sorted by
 *       score, as Bengio et al.'s schedule presents them).
 *   <li>{@code seed} (0): the stream of the shuffled order.
 * </ul>
 * The scores are part of the scheduler's checkpoint state, so a resumed run keeps its curriculum
 * instead of scoring again with the resumed weights.
 */
public final class Curriculum implements Scheduler {
  public static final String NAME = "curriculum";
  /** The history entry: the fraction of the training rows the epoch sees. */
  public static final String FRACTION = "curriculum_fraction";
  static final List<String> SOURCES = List.of("loss", "given", "scorer");
  static final List<String> ORDERS = List.of("shuffled", "easiest_first");

  private final String source;
  private final Difficulty difficulty;
  private final Pacing pacing;
  private final boolean shuffled;
  private final long seed;
  private double[] scores;
  private int[] easiestFirst;
  private boolean choosing;

  public Curriculum(Options options) {
    this.source = source(options);
    this.difficulty = switch (source) {
      case "given" -> Difficulty.given(givenScores(options));
      case "scorer" -> Difficulty.scorer(options.get("scorer"));
      default -> Difficulty.loss(reference(options), options.getString("loss"));
    };
    String pacingName = options.getString("pacing");
    options.check(!options.has("steps") || pacingName.equals("step"),
        "steps applies to pacing 'step' only. Received: pacing='" + pacingName + "', steps="
            + (options.has("steps") ? options.getInt("steps") : null));
    double start = options.getDouble("start");
    options.check(start > 0, "start must be in (0, 1]: the first epoch needs some data. Received: start=" + start);
    this.pacing = new Pacing(pacingName, start, options.getInt("epochs"),
        options.has("steps") ? options.getInt("steps") : 1);
    this.shuffled = options.getString("order").equals("shuffled");
    this.seed = options.getLong("seed");
  }

  private static String source(Options options) {
    boolean scores = options.has("scores");
    boolean scorer = options.has("scorer");
    options.check(!(scores && scorer), "give either scores or scorer, not both");
    String inferred = scores ? "given" : scorer ? "scorer" : "loss";
    String source = options.has("score") ? options.getString("score") : inferred;
    options.check(!source.equals("given") || scores, "score 'given' needs the option scores: one number per"
        + " training row");
    options.check(!source.equals("scorer") || scorer, "score 'scorer' needs the option scorer: a function of a"
        + " training row");
    options.check(source.equals(inferred), "score '" + source + "' does not use the option "
        + (scores ? "scores" : "scorer") + "; leave score out or make it '" + inferred + "'");
    options.check(source.equals("loss") || !options.has("reference"), "reference applies to score 'loss' only."
        + " Received: score='" + source + "', reference=" + options.get("reference"));
    if (scorer && !ScriptFunction.accepts(options.get("scorer"))) {
      throw new ComponentException("Option 'scorer' of " + options.owner() + " must be a function of a training row"
          + " (a script function, an IntToDoubleFunction or a ToDoubleFunction<Batch>). Received: scorer="
          + describe(options.get("scorer")));
    }
    return source;
  }

  private static double[] givenScores(Options options) {
    double[] scores = options.getDoubleList("scores").stream().mapToDouble(Double::doubleValue).toArray();
    for (int i = 0; i < scores.length; i++) {
      options.check(Double.isFinite(scores[i]), "scores must be finite numbers. Received: scores[" + i + "]="
          + scores[i]);
    }
    options.check(scores.length > 0, "scores must hold one number per training row. Received: scores=[]");
    return scores;
  }

  private static Layer reference(Options options) {
    Object value = options.get("reference");
    if (value == null || value instanceof Layer) {
      return (Layer) value;
    }
    throw new ComponentException("Option 'reference' of " + options.owner() + " must be a trained model (a layer)."
        + " Received: reference=" + describe(value));
  }

  private static String describe(Object value) {
    return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
  }

  /** The pacing function. */
  public Pacing pacing() {
    return pacing;
  }

  /** The difficulty of every training row (null before training starts). */
  public double[] scores() {
    return scores == null ? null : scores.clone();
  }

  @Override
  public void onTrainStart(TrainingControl control) {
    if (scores == null) {
      scores = difficulty.scores(control);
    }
    if (scores.length != control.trainingSize()) {
      throw new IllegalArgumentException("The curriculum has " + scores.length + " difficulty scores but the training"
          + " set has " + control.trainingSize() + " rows: give one score per training row, in dataset order");
    }
    double[] s = scores;
    easiestFirst = IntStream.range(0, s.length).boxed()
        .sorted(Comparator.<Integer>comparingDouble(i -> s[i]).thenComparingInt(i -> i))
        .mapToInt(Integer::intValue).toArray();
    choosing = false;
  }

  @Override
  public void onEpochStart(TrainingControl control) {
    int[] rows = samples(control.epoch());
    if (rows != null) {
      control.setEpochSamples(rows);
      choosing = true;
    } else if (choosing) {
      control.setEpochSamples(null);
      choosing = false;
    }
    control.record(FRACTION, rows == null ? 1.0 : (double) rows.length / easiestFirst.length);
  }

  /**
   * The rows epoch {@code epoch} (from 0) sees, in the order it sees them, or {@code null} for the
   * whole training set in the trainer's shuffled order. Known once training has started.
   */
  public int[] samples(int epoch) {
    if (easiestFirst == null) {
      throw new IllegalStateException("The curriculum has no scores yet: training has not started");
    }
    int n = pacing.count(epoch, easiestFirst.length);
    if (n >= easiestFirst.length) {
      return null;
    }
    int[] rows = Arrays.copyOf(easiestFirst, n);
    if (shuffled) {
      int[] order = new Rng(seed).fork(NAME).fork(epoch).permutation(n);
      int[] out = new int[n];
      for (int i = 0; i < n; i++) {
        out[i] = rows[order[i]];
      }
      return out;
    }
    return rows;
  }

  @Override
  public Map<String, Object> state() {
    Map<String, Object> state = new LinkedHashMap<>();
    if (scores != null) {
      List<Double> list = new ArrayList<>(scores.length);
      for (double s : scores) {
        list.add(s);
      }
      state.put("scores", list);
    }
    return state;
  }

  @Override
  public void loadState(Map<String, Object> state) {
    Object saved = state.get("scores");
    if (saved instanceof List<?> list) {
      scores = list.stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
    }
  }

  @Override
  public String toString() {
    return "scheduler '" + NAME + "' (score=" + source + ", pacing=" + pacing.function() + " from " + pacing.start()
        + " over " + pacing.epochs() + " epochs, " + (shuffled ? "shuffled" : "easiest first") + ")";
  }

  /** Makes {@code curriculum}. */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Scheduler> {
    public Factory() {
      super(ComponentKind.SCHEDULER, NAME,
          "Curriculum learning (Bengio et al. 2009): each epoch of a pacing period sees the easiest fraction of the"
              + " training data by a difficulty score, growing to all of it; records curriculum_fraction",
          List.of(
              OptionSpec.of("score", OptionType.STRING, null,
                  "where difficulty comes from: loss (of a reference model), given (scores) or scorer (a function);"
                      + " default: given if scores is set, scorer if scorer is, else loss")
                  .oneOf(SOURCES.toArray(String[]::new)),
              OptionSpec.of("reference", OptionType.ANY, null,
                  "for score 'loss': a trained model; default: the model being trained, as it is when training"
                      + " starts (meaningful only if it was trained or loaded before)"),
              OptionSpec.of("loss", OptionType.STRING, "auto",
                  "for score 'loss': auto (cross-entropy for class labels, squared error otherwise),"
                      + " cross_entropy or squared_error").oneOf("auto", "cross_entropy", "squared_error"),
              OptionSpec.of("scores", OptionType.DOUBLE_LIST, null,
                  "for score 'given': one difficulty per training row in dataset order, lower is easier"),
              OptionSpec.of("scorer", OptionType.ANY, null,
                  "for score 'scorer': a function of a training row returning its difficulty (script: (index,"
                      + " label) => number)"),
              OptionSpec.of("pacing", OptionType.STRING, "linear",
                  "how the fraction grows: linear, root (Platanios et al. 2019) or step")
                  .oneOf(Pacing.FUNCTIONS.toArray(String[]::new)),
              OptionSpec.of("start", OptionType.DOUBLE, 0.2,
                  "the fraction of the data, easiest first, that the first epoch sees, in (0, 1]").range(0, 1),
              OptionSpec.of("epochs", OptionType.INT, 5,
                  "the length of the pacing period: from this epoch (counted from 0) on, all the data").atLeast(1),
              OptionSpec.of("steps", OptionType.INT, null,
                  "for pacing 'step': the number of equal increments; default 1 (easy subset, then all)").atLeast(1),
              OptionSpec.of("order", OptionType.STRING, "shuffled",
                  "the order within a pacing epoch: shuffled or easiest_first")
                  .oneOf(ORDERS.toArray(String[]::new)),
              OptionSpec.of("seed", OptionType.INT, 0, "the random stream of the shuffled order")));
    }

    @Override
    public Scheduler create(Options options) {
      return new Curriculum(options);
    }
  }
}
