package dev.regimen.plugins.diagnostics;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.nn.BatchStatistics;
import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.nn.Stochastic;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Scheduler;
import dev.regimen.api.train.TrainingControl;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pf4j.Extension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The variance shift of Li, Chen, Hu and Yang ("Understanding the Disharmony between Dropout and
 * Batch Normalization by Variance Shift", CVPR 2019): dropout changes the variance of what follows
 * it between training and evaluation, while batch norm keeps, at evaluation, the variance it
 * accumulated in training. A batch norm after dropout therefore normalizes evaluation inputs with
 * the wrong variance.
 *
 * <p>For one unit x with mean c and variance v before inverted dropout of rate p, y = x m / (1 - p)
 * with m ~ Bernoulli(1 - p), Li et al. derive
 * <pre>
 *   Var_train[y] = (c^2 + v) / (1 - p) - c^2,     Var_eval[y] = v,
 * </pre>
 * so Var_train / Var_eval = 1 + p (c^2 + v) / ((1 - p) v) &gt; 1; with Uout, y = x (1 + r),
 * r ~ U(-beta, beta), Var_train[y] = v + (c^2 + v) beta^2 / 3, a much smaller shift for the usual
 * beta. A weighted sum after the noise (a dense layer) mixes many such units and keeps the shift.
 *
 * <p>What it measures, at the end of the chosen epochs: a fixed probe batch (see {@link Probe}) goes
 * through the model twice, without gradients and without state updates: once in training mode
 * (dropout sampling with a stream seeded from {@code seed} and the epoch; every batch norm with the
 * batch's statistics) and once in evaluation mode (no dropout; running statistics). For every
 * batch-norm layer b ({@link BatchStatistics}) with input x, per channel k (axis 1; statistics over
 * the batch and every later axis, as batch norm takes them):
 * <pre>
 *   var_train/b      = mean_k Var_train[x_k]
 *   var_eval/b       = mean_k Var_eval[x_k]
 *   variance_shift/b = var_train/b / var_eval/b          (1: no shift; &gt; 1: dropout widened training)
 *   running_shift/b  = mean_k max(running_var_k / Var_eval[x_k], Var_eval[x_k] / running_var_k)
 * </pre>
 * {@code running_shift} is the quantity of Li et al.'s Figure 1, the mismatch batch norm actually
 * applies at evaluation: its moving variance against the real variance of its evaluation input
 * (recorded when the layer has a buffer named {@code running_var}; on the probe rather than the
 * whole training set). With option {@code all_layers}, every layer output recorded as a tap gets
 * {@code var_train_out/<layer>}, {@code var_eval_out/<layer>} and {@code variance_shift_out/<layer>}
 * too, which shows where along the model the shift appears.
 *
 * <p>It also warns, once per training, when a dropout-family layer ({@link Stochastic}) comes before
 * a batch norm in the model, naming both and the remedies: move dropout after the last batch norm,
 * use a variance-stable noise, or re-estimate the statistics without dropout after training. {@code
 * dropout.uout} is exempt: it is Li et al.'s remedy, and its (small) shift is measured, not warned
 * about. "Before" means earlier in the model's layer tree, which is the order of computation for
 * sequentials and residuals.
 *
 * <p>Where a batch norm's input comes from is read off the containers (see {@link LayerInputs}):
 * sequentials and residuals, nested in any way. A batch norm behind another container is skipped,
 * with one warning that names it.
 *
 * <p>Options: {@code every}, {@code epochs} (see {@link Diagnostic}); {@code probe}, {@code samples},
 * {@code input_shape}, {@code seed} (see {@link Probe}); {@code all_layers} (false).
 */
public final class VarianceShift extends Diagnostic {
  public static final String NAME = "variance_shift";
  /** The type of Li et al.'s Uout, which the structural warning leaves alone. */
  static final String UOUT = "dropout.uout";

  private static final Logger LOG = LoggerFactory.getLogger(VarianceShift.class);

  private final Probe probe;
  private final boolean allLayers;
  private boolean orderChecked;
  private final Set<String> unlocated = new HashSet<>();

  public VarianceShift(Options options) {
    super(options);
    this.probe = new Probe(options);
    this.allLayers = options.getBoolean("all_layers");
  }

  /** Sets the inputs to measure on, e.g. the training features; the first {@code samples} rows are used. */
  public VarianceShift probe(Tensor inputs) {
    probe.set(inputs);
    return this;
  }

  @Override
  public void onTrainStart(TrainingControl control) {
    probe.defaultTo(control);
    orderChecked = false;
    if (control.model() != null) {
      warnAboutOrder(control.model());
    }
  }

  @Override
  @SuppressWarnings("try") // the scope is used for its effect, not referenced
  public Map<String, Double> measure(Layer model, int epoch) {
    ensureNamed(model);
    if (!orderChecked) {
      warnAboutOrder(model);
    }
    Map<String, Double> out = new LinkedHashMap<>();
    List<Layer> norms = Layers.all(model).stream().filter(BatchStatistics.class::isInstance).toList();
    if (norms.isEmpty() && !allLayers) {
      return out;
    }
    Tensor x = probe.batch(model, LOG);
    if (x == null) {
      return out;
    }
    Map<String, Tensor> train;
    Map<String, Tensor> eval;
    Tensor trainOut;
    Tensor evalOut;
    try (Tensor.GradScope scope = Tensor.noGrad()) {
      Rng rng = new Rng(probe.seed()).fork(NAME).fork(epoch);
      ForwardContext trainCtx = ForwardContext.training(rng).withStateUpdates(false).recordingTaps();
      trainOut = model.forward(x, trainCtx);
      train = trainCtx.taps();
      ForwardContext evalCtx = ForwardContext.evaluation().recordingTaps();
      evalOut = model.forward(x, evalCtx);
      eval = evalCtx.taps();
    }
    LayerInputs inputs = new LayerInputs(model);
    for (Layer norm : norms) {
      Tensor inTrain = inputs.inputOf(norm, x, train);
      Tensor inEval = inputs.inputOf(norm, x, eval);
      if (inTrain == null || inEval == null) {
        warnUnlocated(norm, inputs.unknownContainer(norm));
        continue;
      }
      double[] varTrain = Moments.channelVariances(inTrain);
      double[] varEval = Moments.channelVariances(inEval);
      shift(out, "", norm.name(), varTrain, varEval);
      Tensor running = norm.buffers().get("running_var");
      if (running != null && running.length() == varEval.length) {
        out.put("running_shift/" + norm.name(), runningShift(running.array().toDoubleVector(), varEval));
      }
    }
    if (allLayers) {
      Map<String, Tensor> trainTaps = new LinkedHashMap<>(train);
      Map<String, Tensor> evalTaps = new LinkedHashMap<>(eval);
      if (trainTaps.isEmpty()) {
        trainTaps.put(model.name(), trainOut);
        evalTaps.put(model.name(), evalOut);
      }
      for (Map.Entry<String, Tensor> tap : trainTaps.entrySet()) {
        Tensor other = evalTaps.get(tap.getKey());
        if (other != null) {
          shift(out, "_out", tap.getKey(), Moments.channelVariances(tap.getValue()), Moments.channelVariances(other));
        }
      }
    }
    return out;
  }

  private static void shift(Map<String, Double> out, String suffix, String name, double[] varTrain, double[] varEval) {
    double train = Moments.average(varTrain);
    double eval = Moments.average(varEval);
    out.put("var_train" + suffix + "/" + name, train);
    out.put("var_eval" + suffix + "/" + name, eval);
    out.put("variance_shift" + suffix + "/" + name, eval > 0 ? train / eval : Double.NaN);
  }

  /** Li et al.'s max(moving / real, real / moving), averaged over the channels where both are positive. */
  static double runningShift(double[] running, double[] real) {
    double sum = 0;
    int n = 0;
    for (int k = 0; k < running.length; k++) {
      if (running[k] > 0 && real[k] > 0) {
        sum += Math.max(running[k] / real[k], real[k] / running[k]);
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  /** Warns, once until the next training starts, when noise comes before a batch norm. */
  private void warnAboutOrder(Layer model) {
    orderChecked = true;
    ensureNamed(model);
    List<String> pairs = new ArrayList<>();
    Layer lastNoise = null;
    for (Layer layer : Layers.all(model)) {
      if (layer instanceof Stochastic && !layer.type().equals(UOUT)) {
        lastNoise = layer;
      }
      if (layer instanceof BatchStatistics && lastNoise != null) {
        pairs.add(describe(lastNoise) + " comes before " + describe(layer));
      }
    }
    if (pairs.isEmpty()) {
      return;
    }
    LOG.warn("Dropout before batch norm: {}. In training the dropout noise widens the variance that batch norm"
        + " normalizes with and accumulates into its running statistics; at evaluation dropout is off, so batch norm"
        + " normalizes with a variance that no longer fits (the variance shift of Li et al., CVPR 2019), which can"
        + " cost accuracy. Remedies: (1) move dropout after the last batch norm; (2) use a noise whose variance"
        + " shifts less: dropout.uout (Li et al.) or dropout.gaussian with a small rate; (3) re-estimate the batch-norm"
        + " statistics after training, without dropout (precise BN, dev.regimen.api.nn.PreciseBatchNorm)."
        + " The history's variance_shift/<batch norm> shows the size of the shift.", String.join("; ", pairs));
  }

  private void warnUnlocated(Layer norm, Layer container) {
    if (unlocated.add(norm.name())) {
      LOG.warn("{}: cannot tell where the input of {} comes from{}; its variance shift is not measured", NAME,
          describe(norm), container == null ? "" : ": it passes through " + describe(container)
              + ", whose wiring this diagnostic does not know (it knows sequential and residual)");
    }
  }

  private static String describe(Layer layer) {
    return "'" + layer.name() + "' (" + layer.type() + ")";
  }

  /** Makes {@code variance_shift}. */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Scheduler> {
    public Factory() {
      super(ComponentKind.SCHEDULER, NAME,
          "Variance of every batch norm's input in training vs evaluation mode (Li et al. 2019), and a warning when"
              + " dropout comes before batch norm",
          withScheduleOptions(Probe.withOptions(List.of(
              OptionSpec.of("all_layers", OptionType.BOOLEAN, false,
                  "also record the shift of every layer's output (var_train_out/, var_eval_out/, variance_shift_out/)")))));
    }

    @Override
    public Scheduler create(Options options) {
      return new VarianceShift(options);
    }
  }
}
