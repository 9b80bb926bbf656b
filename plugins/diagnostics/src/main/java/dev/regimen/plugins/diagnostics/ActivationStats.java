package dev.regimen.plugins.diagnostics;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.train.TrainingControl;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Scheduler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Activation statistics: what every layer outputs on a fixed probe batch (see {@link Probe}). For
 * each layer output a recorded as a tap (each child of a sequential, under its name), over all n
 * elements of the batch:
 * <pre>
 *   act_mean/&lt;layer&gt;  = (1/n) sum a
 *   act_var/&lt;layer&gt;   = (1/n) sum (a - mean)^2
 *   act_zeros/&lt;layer&gt; = (1/n) #{a = 0}
 * </pre>
 * The zero fraction shows dead ReLUs (a unit that outputs 0 for every input, Glorot, Bordes and
 * Bengio 2011, "Deep Sparse Rectifier Neural Networks", AISTATS) and the sparsity of representations;
 * means and variances drifting from layer to layer show saturation or exploding activations (Glorot
 * and Bengio 2010, "Understanding the difficulty of training deep feedforward neural networks").
 * A model that records no taps (a single layer) is measured at its output, under its own name.
 *
 * <p>The pass runs without gradients, in evaluation mode by default; option {@code mode: 'train'}
 * measures a training-mode pass instead (dropout sampling, batch statistics), which leaves batch
 * norm's running statistics alone.
 *
 * <p>Options: {@code every}, {@code epochs} (see {@link Diagnostic}); {@code probe}, {@code samples},
 * {@code input_shape}, {@code seed} (see {@link Probe}); {@code mode} ({@code eval} or {@code train}).
 */
public final class ActivationStats extends Diagnostic {
  public static final String NAME = "activation_stats";

  private static final Logger LOG = LoggerFactory.getLogger(ActivationStats.class);

  private final Probe probe;
  private final boolean trainingMode;

  public ActivationStats(Options options) {
    super(options);
    this.probe = new Probe(options);
    this.trainingMode = options.getString("mode").equals("train");
  }

  /** Sets the inputs to measure on, e.g. the training features; the first {@code samples} rows are used. */
  public ActivationStats probe(Tensor inputs) {
    probe.set(inputs);
    return this;
  }

  @Override
  public void onTrainStart(TrainingControl control) {
    probe.defaultTo(control);
  }

  @Override
  @SuppressWarnings("try") // the scope is used for its effect, not referenced
  public Map<String, Double> measure(Layer model, int epoch) {
    ensureNamed(model);
    Map<String, Double> out = new LinkedHashMap<>();
    Tensor x = probe.batch(model, LOG);
    if (x == null) {
      return out;
    }
    Map<String, Tensor> taps;
    try (Tensor.GradScope scope = Tensor.noGrad()) {
      ForwardContext ctx = trainingMode
          ? ForwardContext.training(new Rng(probe.seed()).fork(NAME).fork(epoch)).withStateUpdates(false)
          : ForwardContext.evaluation();
      ctx = ctx.recordingTaps();
      Tensor y = model.forward(x, ctx);
      taps = ctx.taps().isEmpty() ? Map.of(model.name(), y) : ctx.taps();
    }
    for (Map.Entry<String, Tensor> tap : taps.entrySet()) {
      out.put("act_mean/" + tap.getKey(), Moments.mean(tap.getValue().array()));
      out.put("act_var/" + tap.getKey(), Moments.variance(tap.getValue().array()));
      out.put("act_zeros/" + tap.getKey(), Moments.zeroFraction(tap.getValue().array()));
    }
    return out;
  }

  /** Makes {@code activation_stats}. */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Scheduler> {
    public Factory() {
      super(ComponentKind.SCHEDULER, NAME,
          "Mean, variance and fraction of zeros of every layer's output on a probe batch",
          withScheduleOptions(Probe.withOptions(List.of(
              OptionSpec.of("mode", OptionType.STRING, "eval",
                  "the pass to measure: eval (no dropout, running statistics) or train (without state updates)")
                  .oneOf("eval", "train")))));
    }

    @Override
    public Scheduler create(Options options) {
      return new ActivationStats(options);
    }
  }
}
