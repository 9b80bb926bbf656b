package dev.regimen.core.schedule;

import dev.regimen.api.component.Options;
import dev.regimen.api.train.Scheduler;
import dev.regimen.api.train.TrainingControl;
import dev.regimen.core.checkpoint.AtomicFiles;
import dev.regimen.core.run.Plots;
import dev.regimen.core.run.RunFolder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code lr_finder}: the learning-rate range test (Smith 2017, "Cyclical Learning Rates for Training
 * Neural Networks", section 3.3; in fastai's form). The rate grows geometrically from {@code min_lr}
 * to {@code max_lr} over {@code steps} training steps, one step per rate,
 *
 * <pre>
 *   lr_t = min_lr (max_lr / min_lr)^(t / (steps - 1))       t = 0 .. steps - 1
 *   s_t  = beta s_{t-1} + (1 - beta) loss_t;  smoothed_t = s_t / (1 - beta^(t+1))
 * </pre>
 *
 * <p>and each step's loss is smoothed (an exponential average with bias correction, {@code beta} =
 * {@code smoothing}). The test stops training when it has taken its steps or when the smoothed loss
 * exceeds {@code diverge} times its minimum. It suggests the rate where the smoothed loss falls
 * fastest against log lr (the steepest descent before the minimum, by central differences; see {@link
 * #suggestion()}), and also records a tenth of the rate at the minimum, Smith's rule of thumb: in the
 * history as {@code lr_finder/suggested_lr} and {@code lr_finder/min_loss_lr_div10}. With an output
 * folder ({@link TrainingControl#outputDir()}, the run folder under the CLI) it writes {@code
 * <name>.csv} (lr, loss, smoothed loss per step) there, and the curve with the suggestion marked to
 * {@code plots/<name>_curve.png} (not {@code plots/<name>.png}, where the run recorder draws the
 * recorded suggestions).
 *
 * <p>It changes the weights it trains; with {@code restore} (the default) it puts back the weights the
 * training started with when it ends, so the same model can then be trained with the suggested rate
 * (the optimizer's state is not put back: train with a fresh optimizer). The steps may span several
 * epochs; the trainer's epochs bound them. The test's last rate wins over other schedules.
 */
public final class LrFinder implements Scheduler {
  private static final Logger LOG = LogManager.getLogger(LrFinder.class);

  private final double minLr;
  private final double maxLr;
  private final int steps;
  private final double beta;
  private final double diverge;
  private final boolean restore;
  private final String name;
  private final List<Double> rates = new ArrayList<>();
  private final List<Double> losses = new ArrayList<>();
  private final List<Double> smoothed = new ArrayList<>();
  private double average;
  private double best = Double.POSITIVE_INFINITY;
  private boolean done;
  private Map<String, INDArray> start;

  public LrFinder(Options options) {
    this.minLr = options.getDouble("min_lr");
    this.maxLr = options.getDouble("max_lr");
    this.steps = options.getInt("steps");
    this.beta = options.getDouble("smoothing");
    this.diverge = options.getDouble("diverge");
    this.restore = options.getBoolean("restore");
    this.name = options.getString("name");
    options.check(minLr > 0, "min_lr must be > 0 (the rates grow geometrically from it). Received: min_lr=" + minLr);
    options.check(maxLr > minLr, "max_lr must be above min_lr. Received: min_lr=" + minLr + ", max_lr=" + maxLr);
    options.check(diverge > 1, "diverge must be > 1 (a factor over the lowest loss). Received: diverge=" + diverge);
    options.check(name.matches("[A-Za-z0-9._-]+"), "name must be a file name of letters, digits, '.', '_' and '-'."
        + " Received: name='" + name + "'");
  }

  /** The rate of step t (from 0). */
  double rate(int t) {
    return minLr * Math.pow(maxLr / minLr, (double) t / (steps - 1));
  }

  /** The rates tried, one per step taken. */
  public List<Double> rates() {
    return List.copyOf(rates);
  }

  /** Each step's training loss. */
  public List<Double> losses() {
    return List.copyOf(losses);
  }

  /** Each step's smoothed loss. */
  public List<Double> smoothed() {
    return List.copyOf(smoothed);
  }

  @Override
  public void onTrainStart(TrainingControl control) {
    if (restore && start == null) {
      start = control.snapshotWeights();
    }
    if (!done) {
      control.setLearningRate(rate(rates.size()));
    }
  }

  @Override
  public void onEpochStart(TrainingControl control) {
    if (!done) {
      control.setLearningRate(rate(rates.size()));
    }
  }

  @Override
  public void onBatchEnd(TrainingControl control) {
    if (done) {
      return;
    }
    int t = rates.size();
    double loss = control.batchLoss();
    rates.add(rate(t));
    losses.add(loss);
    average = beta * average + (1 - beta) * loss;
    double s = average / (1 - Math.pow(beta, t + 1));
    smoothed.add(s);
    best = Math.min(best, s);
    if (t + 1 >= steps) {
      finish(control, "lr_finder: the range test took its " + steps + " steps");
    } else if (!Double.isFinite(s) || s > diverge * best) {
      finish(control, String.format(Locale.ROOT, "lr_finder: the loss diverged at lr=%.3g (smoothed %.4g, over %s"
          + " times the lowest %.4g)", rate(t), s, diverge, best));
    } else {
      control.setLearningRate(rate(t + 1));
    }
  }

  private void finish(TrainingControl control, String reason) {
    done = true;
    control.requestStop(reason);
  }

  @Override
  public void onEpochEnd(TrainingControl control) {
    if (smoothed.isEmpty()) {
      return;
    }
    control.record("lr_finder/suggested_lr", suggestion());
    control.record("lr_finder/min_loss_lr_div10", rates.get(argMin()) / 10);
  }

  @Override
  public void onTrainEnd(TrainingControl control) {
    if (smoothed.isEmpty()) {
      return;
    }
    LOG.info("lr_finder: {} steps from lr={} to lr={}; suggested lr={} (steepest descent), lowest loss at lr={}",
        rates.size(), rates.get(0), rates.get(rates.size() - 1), suggestion(), rates.get(argMin()));
    if (control.outputDir() != null) {
      write(control.outputDir());
    }
    if (start != null) {
      control.restoreWeights(start);
    }
  }

  /** The index of the lowest smoothed loss. */
  int argMin() {
    int best = 0;
    for (int i = 1; i < smoothed.size(); i++) {
      if (smoothed.get(i) < smoothed.get(best)) {
        best = i;
      }
    }
    return best;
  }

  /**
   * The rate where the smoothed loss falls fastest against log lr, up to its minimum and after the
   * first tenth of the steps (at most 10, as fastai skips), where the smoothing has seen too few losses
   * and batch-to-batch noise looks like descent; a tenth of the rate at the minimum when no point is
   * left.
   */
  public double suggestion() {
    int min = argMin();
    int best = -1;
    double steepest = 0;
    for (int i = Math.max(1, Math.min(10, rates.size() / 10)); i < min; i++) {
      double slope = (smoothed.get(i + 1) - smoothed.get(i - 1)) / Math.log(rates.get(i + 1) / rates.get(i - 1));
      if (slope < steepest) {
        steepest = slope;
        best = i;
      }
    }
    return best < 0 ? rates.get(min) / 10 : rates.get(best);
  }

  private void write(Path dir) {
    try {
      StringBuilder csv = new StringBuilder("lr,loss,smoothed_loss\n");
      for (int i = 0; i < rates.size(); i++) {
        csv.append(rates.get(i)).append(',').append(losses.get(i)).append(',').append(smoothed.get(i)).append('\n');
      }
      AtomicFiles.write(dir.resolve(name + ".csv"), csv.toString().getBytes(StandardCharsets.UTF_8));
      double[] x = rates.stream().mapToDouble(Double::doubleValue).toArray();
      Map<String, double[]> series = new LinkedHashMap<>();
      series.put("loss", losses.stream().mapToDouble(Double::doubleValue).toArray());
      series.put("smoothed loss", smoothed.stream().mapToDouble(Double::doubleValue).toArray());
      Plots.save(new Plots().logXCurves("Learning-rate range test", "learning rate", "loss", x, series, suggestion(),
          "suggested"), dir.resolve(RunFolder.PLOTS).resolve(name + "_curve.png"));
    } catch (IOException | RuntimeException e) {
      LOG.warn("lr_finder could not write its curve into {}: {}", dir, e.toString());
    }
  }

  @Override
  public Map<String, Object> state() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("rates", List.copyOf(rates));
    s.put("losses", List.copyOf(losses));
    s.put("smoothed", List.copyOf(smoothed));
    s.put("average", average);
    s.put("done", done);
    return s;
  }

  @Override
  public void loadState(Map<String, Object> state) {
    rates.clear();
    losses.clear();
    smoothed.clear();
    ((List<?>) state.get("rates")).forEach(v -> rates.add(((Number) v).doubleValue()));
    ((List<?>) state.get("losses")).forEach(v -> losses.add(((Number) v).doubleValue()));
    ((List<?>) state.get("smoothed")).forEach(v -> smoothed.add(((Number) v).doubleValue()));
    average = ((Number) state.get("average")).doubleValue();
    done = (Boolean) state.get("done");
    best = smoothed.stream().mapToDouble(Double::doubleValue).min().orElse(Double.POSITIVE_INFINITY);
  }

  /** The weights the training started with, so that a resumed test still puts them back. */
  @Override
  public Map<String, INDArray> arrayState() {
    return start == null ? Map.of() : start;
  }

  @Override
  public void loadArrayState(Map<String, INDArray> arrays) {
    if (!arrays.isEmpty()) {
      start = new LinkedHashMap<>(arrays);
    }
  }
}
