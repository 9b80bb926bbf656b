package dev.regimen.api.train;

import dev.regimen.api.nn.Layer;

/**
 * A training run being set up, and the way to run it on the host's trainer: the training service of
 * the API. A component that must train a model or a part of one (FitNets trains the student's lower
 * layers on its hint loss before distilling) sets the objective and the frozen layers here and calls
 * {@link #fit}, without naming the host's trainer.
 *
 * <p>A setup comes from the host: from a caller that made one (framework-core's {@code
 * TrainerConfig.Builder} is a setup, so a recipe such as {@code FitNets.train} takes the caller's
 * optimizer, epochs and seed as they are), or fresh, with the trainer's defaults, from {@link
 * dev.regimen.api.host.HostServices#newTraining()}. Each setter changes this setup and returns it;
 * only the objective and the optimizer are required. The same setup may be fitted again; each
 * {@code fit} starts from the setup as it is then.
 */
public interface TrainingSetup {

  /** The quantity to minimize. */
  TrainingSetup objective(Objective objective);

  /** The update rule; a fresh optimizer per run, as it keeps per-parameter state. */
  TrainingSetup optimizer(Optimizer optimizer);

  /** The number of epochs, at least 1. */
  TrainingSetup epochs(int epochs);

  /** The number of samples per batch, at least 1. */
  TrainingSetup batchSize(int batchSize);

  /** The seed every random stream of the run derives from (initial weights, shuffling, sampling). */
  TrainingSetup seed(long seed);

  /** Adds a penalty or a hook around the optimizer step. */
  TrainingSetup regularizer(Regularizer regularizer);

  /** Adds a transformation of training batches. */
  TrainingSetup augmenter(Augmenter augmenter);

  /** Adds a listener to training events (schedules, early stopping, diagnostics). */
  TrainingSetup scheduler(Scheduler scheduler);

  /** Adds a metric, computed on the training and the validation data. */
  TrainingSetup metric(Metric metric);

  /** Freezes the named layers (a container freezes every layer in it): no update, no regularization. */
  TrainingSetup freeze(String... layerNames);

  /** Unfreezes the named layers; a name that is not frozen is ignored. */
  TrainingSetup unfreeze(String... layerNames);

  /** Whether to show a console progress bar when the output is a terminal. */
  TrainingSetup progress(boolean on);

  /**
   * Trains {@code model} as set up, on {@code train}, validating on {@code validation} after each
   * epoch. An unbuilt model is built for the training data's sample shape from the seed.
   *
   * @param train data the host made ({@link Samples} the caller passed in)
   * @param validation validation data, or {@code null} for none
   * @throws IllegalArgumentException if the data are not the host's own data sets
   */
  TrainingOutcome fit(Layer model, Samples train, Samples validation);
}
