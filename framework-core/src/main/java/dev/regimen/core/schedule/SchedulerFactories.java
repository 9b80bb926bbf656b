package dev.regimen.core.schedule;

import static dev.regimen.api.component.OptionType.ANY;
import static dev.regimen.api.component.OptionType.BOOLEAN;
import static dev.regimen.api.component.OptionType.DOUBLE;
import static dev.regimen.api.component.OptionType.DOUBLE_LIST;
import static dev.regimen.api.component.OptionType.INT;
import static dev.regimen.api.component.OptionType.STRING;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.Options;
import dev.regimen.api.train.Scheduler;
import java.util.List;
import java.util.function.Function;

/** The factories of the built-in schedulers. */
public final class SchedulerFactories {
  private SchedulerFactories() {}

  private static final OptionSpec MODE =
      OptionSpec.of("mode", STRING, "auto", "min, max, or auto (inferred from the metric's name)").oneOf("auto", "min", "max");

  public static List<ComponentFactory<Scheduler>> all() {
    return List.of(
        factory("early_stopping", "Stops when a monitored metric stops improving; restores the best weights",
            List.of(
                OptionSpec.of("monitor", STRING, "val_loss", "the metric to watch, e.g. val_loss or val_accuracy"),
                MODE,
                OptionSpec.of("patience", INT, 5, "epochs without improvement before stopping").atLeast(1),
                OptionSpec.of("min_delta", DOUBLE, 0.0, "the smallest change that counts as an improvement").atLeast(0),
                OptionSpec.of("restore_best", BOOLEAN, true, "put back the best epoch's weights when training ends")),
            EarlyStopping::new),
        factory("lr.step", "Multiplies the learning rate by gamma every step_size epochs",
            List.of(
                OptionSpec.of("step_size", INT, 10, "epochs between decays").atLeast(1),
                OptionSpec.of("gamma", DOUBLE, 0.1, "the decay factor").range(0, 1)),
            LearningRateSchedules.Step::new),
        factory("lr.cosine", "Cosine annealing from the initial rate down to min_lr",
            List.of(
                OptionSpec.of("period", INT, 0, "epochs of one half cosine; 0 means the number of epochs").atLeast(0),
                OptionSpec.of("min_lr", DOUBLE, 0.0, "the rate at the end of the period").atLeast(0)),
            LearningRateSchedules.Cosine::new),
        factory("lr.warmup", "Linear learning-rate warm-up over the first batches",
            List.of(
                OptionSpec.of("steps", INT, 100, "batches of warm-up").atLeast(1),
                OptionSpec.of("start_factor", DOUBLE, 0.1, "the fraction of the rate at the first batch").range(0, 1)),
            LearningRateSchedules.Warmup::new),
        factory("lr.onecycle", "One-cycle policy (Smith & Topin 2019): the rate rises to max_lr, then anneals far"
                + " below the start, per step",
            List.of(
                OptionSpec.of("max_lr", DOUBLE, null, "the peak rate; absent: the optimizer's rate").atLeast(0),
                OptionSpec.of("total_steps", INT, 0, "steps of the cycle; 0 means epochs times the steps of an epoch")
                    .atLeast(0),
                OptionSpec.of("pct_start", DOUBLE, 0.3, "the fraction of the cycle spent rising").rangeExclusive(0, 1),
                OptionSpec.of("div_factor", DOUBLE, 25.0, "the first rate is max_lr / div_factor").atLeast(0),
                OptionSpec.of("final_div_factor", DOUBLE, 1e4, "the last rate is the first / final_div_factor")
                    .atLeast(0),
                OptionSpec.of("anneal", STRING, "cos", "the shape of both phases").oneOf("cos", "linear")),
            LearningRateSchedules.OneCycle::new),
        factory("lr.cosine_restarts", "Cosine annealing with warm restarts (SGDR, Loshchilov & Hutter 2017)",
            List.of(
                OptionSpec.of("period", INT, 10, "epochs of the first cycle, T_0").atLeast(1),
                OptionSpec.of("period_mult", INT, 1, "each cycle is this many times as long as the one before")
                    .atLeast(1),
                OptionSpec.of("min_lr", DOUBLE, 0.0, "the rate at the end of each cycle").atLeast(0)),
            LearningRateSchedules.CosineRestarts::new),
        factory("lr_finder", "Learning-rate range test (Smith 2017): geometric rates from min_lr to max_lr, one per step;"
                + " suggests a rate, writes its curve",
            List.of(
                OptionSpec.of("min_lr", DOUBLE, 1e-7, "the first rate").atLeast(0),
                OptionSpec.of("max_lr", DOUBLE, 10.0, "the last rate").atLeast(0),
                OptionSpec.of("steps", INT, 100, "training steps, one per rate").atLeast(2),
                OptionSpec.of("smoothing", DOUBLE, 0.98, "beta of the loss's exponential smoothing")
                    .rangeExclusive(0, 1),
                OptionSpec.of("diverge", DOUBLE, 4.0, "stop once the smoothed loss exceeds this times its lowest")
                    .atLeast(1),
                OptionSpec.of("restore", BOOLEAN, true, "put back the starting weights when the test ends"),
                OptionSpec.of("name", STRING, "lr_finder", "the base name of the curve's files, <name>.csv and"
                    + " plots/<name>_curve.png")),
            LrFinder::new),
        factory("schedule", "Any numeric option of a component follows a schedule over the epochs (a dropout rate,"
                + " FGSM's eps, ...); its value is recorded each epoch",
            List.of(
                OptionSpec.required("target", ANY, "the component: a layer, augmenter, regularizer, objective ... whose"
                    + " options can change"),
                OptionSpec.required("option", STRING, "the option to move, e.g. rate or eps"),
                OptionSpec.of("values", DOUBLE_LIST, null, "one value per epoch, the last held; or start and end"),
                OptionSpec.of("start", DOUBLE, null, "the value of the first epoch of a ramp"),
                OptionSpec.of("end", DOUBLE, null, "the value at the end of the ramp, held after it"),
                OptionSpec.of("shape", STRING, "linear", "the ramp's shape").oneOf("linear", "cosine", "exponential"),
                OptionSpec.of("epochs", INT, 0, "epochs of the ramp; 0 means the run's").atLeast(0),
                OptionSpec.of("metric", STRING, null, "the history's name for the value; absent: <layer>/<option> or"
                    + " <option>")),
            OptionSchedule::new),
        factory("lr.plateau", "Reduces the learning rate when a monitored metric stops improving",
            List.of(
                OptionSpec.of("monitor", STRING, "val_loss", "the metric to watch"),
                MODE,
                OptionSpec.of("factor", DOUBLE, 0.1, "the multiplier applied to the rate").rangeExclusive(0, 1),
                OptionSpec.of("patience", INT, 10, "epochs without improvement before reducing").atLeast(1),
                OptionSpec.of("cooldown", INT, 0, "epochs to wait after a reduction").atLeast(0),
                OptionSpec.of("min_lr", DOUBLE, 0.0, "the rate never goes below this").atLeast(0),
                OptionSpec.of("min_delta", DOUBLE, 1e-4, "the smallest change that counts as an improvement").atLeast(0)),
            LearningRateSchedules.Plateau::new));
  }

  private static ComponentFactory<Scheduler> factory(String name, String description, List<OptionSpec> options,
      Function<Options, Scheduler> make) {
    return new AbstractComponentFactory<>(ComponentKind.SCHEDULER, name, description, options) {
      @Override
      public Scheduler create(Options o) {
        return make.apply(o);
      }
    };
  }
}
