package dev.regimen.api.component;

import java.util.Set;

/**
 * A component some of whose numeric options may change while training runs, so that a schedule can
 * move them as learning-rate schedules move the learning rate ("schedule anything": a dropout rate,
 * FGSM's epsilon, a distillation temperature, mixup's alpha, a weight decay). The built-in {@code
 * schedule} scheduler drives it and records the value of each epoch in the history.
 *
 * <p>A value is checked as the component's factory checks it when it is made ({@link Options#with}),
 * so a schedule cannot take a rate out of its range; {@link AdjustableOptions} does the bookkeeping, and
 * {@link WithOptions} is an Adjustable that delegates to it.
 */
public interface Adjustable {

  /** The options that may change, by their names as the factory declares them. */
  Set<String> adjustableOptions();

  /** The current value of one of {@link #adjustableOptions()}. */
  double option(String name);

  /**
   * Sets one of {@link #adjustableOptions()}; takes effect from the next batch.
   *
   * @throws ComponentException for an option that cannot change, or a value its factory refuses (echoed)
   */
  void adjust(String name, double value);

  /**
   * An Adjustable whose changeable options an {@link AdjustableOptions} keeps: the three methods
   * delegate to it. A component that checks a value further overrides {@link #adjust} and calls
   * {@code adjustable().set} after its check.
   */
  interface WithOptions extends Adjustable {
    /** The bookkeeping of the options that may change. */
    AdjustableOptions adjustable();

    @Override
    default Set<String> adjustableOptions() {
      return adjustable().names();
    }

    @Override
    default double option(String name) {
      return adjustable().get(name);
    }

    @Override
    default void adjust(String name, double value) {
      adjustable().set(name, value);
    }
  }
}
