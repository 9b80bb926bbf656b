package dev.regimen.testkit;

import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Augmenter;
import dev.regimen.api.train.Batch;
import java.util.function.Function;

/**
 * An {@link Augmenter.Context} by hand, for testing an augmenter without a trainer: an epoch of a
 * training of some epochs, a seeded stream, a number of classes and, for augmenters that need one (adversarial examples), the input
 * gradient the test says.
 *
 * <pre>{@code
 * Batch out = augmenter.apply(batch, FakeAugmenterContext.seeded(1, 10));
 * Batch adversarial = fgsm.apply(batch, FakeAugmenterContext.seeded(1, 3).withInputGradient(b -> gradient));
 * }</pre>
 *
 * <p>The stream is one {@link Rng} for the context's life, as the trainer gives one per batch: two
 * contexts with the same seed draw the same numbers.
 *
 * @param epoch the epoch the augmenter sees, from 0
 * @param epochs the number of epochs of the training
 * @param rng the batch's stream
 * @param numClasses the number of classes, 0 for regression
 * @param inputGradients what {@link #inputGradient} answers; {@code null} for a context without a model
 */
public record FakeAugmenterContext(int epoch, int epochs, Rng rng, int numClasses,
    Function<Batch, Tensor> inputGradients) implements Augmenter.Context {

  /** Epoch 0 of a training of 10, a stream seeded with {@code seed}, {@code numClasses} classes and no model. */
  public static FakeAugmenterContext seeded(long seed, int numClasses) {
    return new FakeAugmenterContext(0, 10, new Rng(seed), numClasses, null);
  }

  /** The same context at another epoch. */
  public FakeAugmenterContext atEpoch(int epoch) {
    return new FakeAugmenterContext(epoch, epochs, rng, numClasses, inputGradients);
  }

  /** The same context at an epoch of a training of {@code epochs} epochs. */
  public FakeAugmenterContext atEpoch(int epoch, int epochs) {
    return new FakeAugmenterContext(epoch, epochs, rng, numClasses, inputGradients);
  }

  /** The same context with an input gradient: whatever {@code gradients} gives for a batch. */
  public FakeAugmenterContext withInputGradient(Function<Batch, Tensor> gradients) {
    return new FakeAugmenterContext(epoch, epochs, rng, numClasses, gradients);
  }

  @Override
  public Tensor inputGradient(Batch batch) {
    if (inputGradients == null) {
      throw new UnsupportedOperationException(
          "this FakeAugmenterContext has no model, so no input gradient: give it withInputGradient(...)");
    }
    return inputGradients.apply(batch);
  }
}
