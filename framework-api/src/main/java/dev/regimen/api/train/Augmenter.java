package dev.regimen.api.train;

import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;

/**
 * Turns a training batch into another: new inputs (flips, crops, noise, adversarial examples),
 * new targets (label smoothing), or both (mixup). Augmenters run only in training.
 */
public interface Augmenter {

  /** What an augmenter may use. */
  interface Context {
    /** The current epoch, from 0. */
    int epoch();

    /**
     * The number of epochs the training is set to run (it may stop earlier), so that an augmenter can
     * follow a schedule over them: timm's recipes turn mixup off for the last epochs.
     */
    int epochs();

    /** A seeded stream for this batch. */
    Rng rng();

    /** The number of classes for classification, or 0 for regression. */
    int numClasses();

    /**
     * The gradient of the training loss with respect to the batch's inputs at the current weights,
     * computed without touching the parameters' gradients (adversarial training needs it).
     */
    Tensor inputGradient(Batch batch);
  }

  Batch apply(Batch batch, Context ctx);
}
