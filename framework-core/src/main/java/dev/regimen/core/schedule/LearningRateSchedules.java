package dev.regimen.core.schedule;

import dev.regimen.api.component.Options;
import dev.regimen.api.train.Scheduler;
import dev.regimen.api.train.TrainingControl;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The built-in learning-rate schedules. Each remembers the optimizer's learning rate at the start of
 * training as the base rate {@code lr0}. When several schedules set the rate, the last one in the
 * trainer's list wins at each event.
 */
public final class LearningRateSchedules {
  private LearningRateSchedules() {}

  /**
   * The shared part of the schedules that scale the initial rate: {@code lr0} captured at the start
   * of training (unless restored from a checkpoint) and saved with the schedule's state.
   */
  abstract static class FromBaseRate implements Scheduler {
    double base = Double.NaN;

    @Override
    public void onTrainStart(TrainingControl control) {
      if (Double.isNaN(base)) {
        base = control.learningRate();
      }
    }

    @Override
    public Map<String, Object> state() {
      return Map.of("base", base);
    }

    @Override
    public void loadState(Map<String, Object> state) {
      base = ((Number) state.get("base")).doubleValue();
    }
  }

  /** A schedule set step by step: the steps taken so far, {@code t}, survive a checkpoint beside the base rate. */
  abstract static class PerStep extends FromBaseRate {
    long t;

    @Override
    public Map<String, Object> state() {
      Map<String, Object> s = new LinkedHashMap<>(super.state());
      s.put("t", t);
      return s;
    }

    @Override
    public void loadState(Map<String, Object> state) {
      super.loadState(state);
      t = ((Number) state.get("t")).longValue();
    }
  }

  /** {@code lr.step}: lr = lr0 * gamma^floor(epoch / step_size), set at the start of each epoch. */
  public static final class Step extends FromBaseRate {
    private final int stepSize;
    private final double gamma;

    public Step(Options options) {
      this.stepSize = options.getInt("step_size");
      this.gamma = options.getDouble("gamma");
    }

    @Override
    public void onEpochStart(TrainingControl control) {
      control.setLearningRate(base * Math.pow(gamma, Math.floor((double) control.epoch() / stepSize)));
    }
  }

  /**
   * {@code lr.cosine}: cosine annealing of Loshchilov &amp; Hutter 2017 without restarts,
   * lr = min_lr + (lr0 - min_lr) (1 + cos(pi e / T)) / 2 for epoch e of T (T defaults to the
   * number of epochs), set at the start of each epoch.
   */
  public static final class Cosine extends FromBaseRate {
    private final int periodOption;
    private final double minLr;

    public Cosine(Options options) {
      this.periodOption = options.getInt("period");
      this.minLr = options.getDouble("min_lr");
    }

    @Override
    public void onEpochStart(TrainingControl control) {
      int period = periodOption > 0 ? periodOption : control.epochs();
      double t = Math.min(control.epoch(), period);
      control.setLearningRate(minLr + (base - minLr) * (1 + Math.cos(Math.PI * t / period)) / 2);
    }
  }

  /**
   * {@code lr.warmup}: linear warm-up over the first {@code steps} batches (Goyal et al. 2017),
   * lr = lr0 (f + (1 - f) min(1, t / steps)) for batch t from 0, with start factor f.
   */
  public static final class Warmup extends PerStep {
    private final int steps;
    private final double startFactor;

    public Warmup(Options options) {
      this.steps = options.getInt("steps");
      this.startFactor = options.getDouble("start_factor");
    }

    @Override
    public void onTrainStart(TrainingControl control) {
      super.onTrainStart(control);
      apply(control);
    }

    @Override
    public void onBatchEnd(TrainingControl control) {
      t++;
      if (t <= steps) {
        apply(control);
      }
    }

    private void apply(TrainingControl control) {
      control.setLearningRate(base * (startFactor + (1 - startFactor) * Math.min(1.0, (double) t / steps)));
    }
  }

  /**
   * {@code lr.onecycle}: the one-cycle policy (Smith and Topin 2019, "Super-Convergence: Very Fast
   * Training of Neural Networks Using Large Learning Rates"), in PyTorch's {@code OneCycleLR} form,
   * set at every step t (from 0) of the T planned steps: the rate rises from max_lr / div_factor to
   * max_lr over the first pct_start T steps, then falls to max_lr / (div_factor final_div_factor) at
   * step T - 1,
   *
   * <pre>
   *   u = pct_start T - 1
   *   lr(t) = anneal(max_lr / div_factor, max_lr, t / u)                      t &lt;= u
   *   lr(t) = anneal(max_lr, max_lr / (div_factor final_div_factor), (t - u) / (T - 1 - u))   otherwise
   *   anneal(a, b, x) = b + (a - b) (1 + cos(pi x)) / 2      (cos), or a + (b - a) x   (linear)
   * </pre>
   *
   * <p>and stays at the last rate after T. max_lr is the optimizer's rate at the start unless {@code
   * max_lr} is given; T is {@code total_steps}, or the epochs times the steps of an epoch. Momentum is
   * not cycled (the optimizers have no common momentum to set).
   */
  public static final class OneCycle extends PerStep {
    private final double maxLrOption;
    private final long totalStepsOption;
    private final double pctStart;
    private final double divFactor;
    private final double finalDivFactor;
    private final boolean cosine;

    public OneCycle(Options options) {
      this.maxLrOption = options.has("max_lr") ? options.getDouble("max_lr") : Double.NaN;
      this.totalStepsOption = options.getLong("total_steps");
      this.pctStart = options.getDouble("pct_start");
      this.divFactor = options.getDouble("div_factor");
      this.finalDivFactor = options.getDouble("final_div_factor");
      this.cosine = options.getString("anneal").equals("cos");
      options.check(divFactor > 0, "div_factor must be > 0. Received: div_factor=" + divFactor);
      options.check(finalDivFactor > 0, "final_div_factor must be > 0. Received: final_div_factor=" + finalDivFactor);
    }

    @Override
    public void onTrainStart(TrainingControl control) {
      super.onTrainStart(control);
      long total = totalSteps(control);
      if (total < 2) {
        throw new IllegalStateException("lr.onecycle needs at least 2 steps to rise and fall; this training plans "
            + total + " (set total_steps, or train for more steps)");
      }
      control.setLearningRate(rate(t, total));
    }

    @Override
    public void onBatchEnd(TrainingControl control) {
      t++;
      control.setLearningRate(rate(t, totalSteps(control)));
    }

    private long totalSteps(TrainingControl control) {
      return totalStepsOption > 0 ? totalStepsOption : (long) control.epochs() * control.stepsPerEpoch();
    }

    /** The rate at step {@code step} (from 0) of {@code total}. */
    double rate(long step, long total) {
      double max = Double.isNaN(maxLrOption) ? base : maxLrOption;
      double initial = max / divFactor;
      double last = initial / finalDivFactor;
      double up = pctStart * total - 1;
      double s = Math.min(step, total - 1);
      if (s <= up) {
        return anneal(initial, max, up <= 0 ? 1 : s / up);
      }
      return anneal(max, last, (s - up) / (total - 1 - up));
    }

    private double anneal(double from, double to, double x) {
      return cosine ? to + (from - to) * (1 + Math.cos(Math.PI * x)) / 2 : from + (to - from) * x;
    }
  }

  /**
   * {@code lr.cosine_restarts}: SGDR, cosine annealing with warm restarts (Loshchilov and Hutter 2017,
   * "SGDR: Stochastic Gradient Descent with Warm Restarts", equation 5): the rate falls by a half cosine
   * from lr0 to min_lr over a cycle of T_i epochs, then restarts at lr0; each cycle is period_mult times
   * as long as the one before (T_0 = {@code period}),
   *
   * <pre>
   *   lr = min_lr + (lr0 - min_lr) (1 + cos(pi T_cur / T_i)) / 2
   * </pre>
   *
   * <p>where T_cur counts the epochs since the last restart, in fractions of an epoch: the rate is set at
   * the start of every epoch and, when the steps of an epoch are known, after every step, as in the paper.
   */
  public static final class CosineRestarts extends FromBaseRate {
    private final int period;
    private final int periodMult;
    private final double minLr;

    public CosineRestarts(Options options) {
      this.period = options.getInt("period");
      this.periodMult = options.getInt("period_mult");
      this.minLr = options.getDouble("min_lr");
    }

    @Override
    public void onEpochStart(TrainingControl control) {
      control.setLearningRate(rate(control.epoch()));
    }

    @Override
    public void onBatchEnd(TrainingControl control) {
      int steps = control.stepsPerEpoch();
      if (steps > 0) {
        control.setLearningRate(rate(control.epoch() + Math.min(1.0, (control.batch() + 1) / (double) steps)));
      }
    }

    /** The rate after {@code epochs} epochs (a fraction within one). */
    double rate(double epochs) {
      double start = 0;
      double length = period;
      while (epochs >= start + length) {
        start += length;
        length *= periodMult;
      }
      return minLr + (base - minLr) * (1 + Math.cos(Math.PI * (epochs - start) / length)) / 2;
    }
  }

  /**
   * {@code lr.plateau}: multiplies the rate by {@code factor} when a monitored metric has not
   * improved by more than {@code min_delta} for {@code patience} epochs, then waits
   * {@code cooldown} epochs; never below {@code min_lr} (Keras' ReduceLROnPlateau).
   */
  public static final class Plateau implements Scheduler {
    private final String monitor;
    private final MetricDirection direction;
    private final double factor;
    private final int patience;
    private final int cooldown;
    private final double minLr;
    private final double minDelta;
    private double best = Double.NaN;
    private int wait;
    private int cooldownLeft;

    public Plateau(Options options) {
      this.monitor = options.getString("monitor");
      this.direction = MetricDirection.resolve(options.getString("mode"), monitor, options.owner());
      this.factor = options.getDouble("factor");
      this.patience = options.getInt("patience");
      this.cooldown = options.getInt("cooldown");
      this.minLr = options.getDouble("min_lr");
      this.minDelta = options.getDouble("min_delta");
    }

    @Override
    public void onEpochEnd(TrainingControl control) {
      OptionalDouble value = control.history().last(monitor);
      if (value.isEmpty()) {
        throw new IllegalStateException("lr.plateau monitors '" + monitor + "', which this training does not record. "
            + "Recorded: " + String.join(", ", control.history().metrics()));
      }
      double v = value.getAsDouble();
      if (cooldownLeft > 0) {
        cooldownLeft--;
        wait = 0;
      }
      if (direction.improves(v, best, minDelta)) {
        best = v;
        wait = 0;
      } else if (cooldownLeft == 0 && ++wait >= patience) {
        control.setLearningRate(Math.max(minLr, control.learningRate() * factor));
        cooldownLeft = cooldown;
        wait = 0;
      }
    }

    @Override
    public Map<String, Object> state() {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("best", best);
      s.put("wait", wait);
      s.put("cooldown_left", cooldownLeft);
      return s;
    }

    @Override
    public void loadState(Map<String, Object> state) {
      best = ((Number) state.get("best")).doubleValue();
      wait = ((Number) state.get("wait")).intValue();
      cooldownLeft = ((Number) state.get("cooldown_left")).intValue();
    }
  }
}
