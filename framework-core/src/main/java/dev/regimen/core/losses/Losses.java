package dev.regimen.core.losses;

import dev.regimen.api.tensor.Tensor;

/**
 * The loss functions under their former name, for existing callers: each method calls the one
 * implementation in {@link dev.regimen.api.loss.Losses}, which plugins use too. New code calls that
 * class directly.
 */
public final class Losses {
  private Losses() {}

  /** See {@link dev.regimen.api.loss.Losses#mse}. */
  public static Tensor mse(Tensor predictions, Tensor targets) {
    return dev.regimen.api.loss.Losses.mse(predictions, targets);
  }

  /** See {@link dev.regimen.api.loss.Losses#mae}. */
  public static Tensor mae(Tensor predictions, Tensor targets) {
    return dev.regimen.api.loss.Losses.mae(predictions, targets);
  }

  /** See {@link dev.regimen.api.loss.Losses#huber}. */
  public static Tensor huber(Tensor predictions, Tensor targets, double delta) {
    return dev.regimen.api.loss.Losses.huber(predictions, targets, delta);
  }

  /** See {@link dev.regimen.api.loss.Losses#softmaxCrossEntropy}. */
  public static Tensor softmaxCrossEntropy(Tensor logits, Tensor targets) {
    return dev.regimen.api.loss.Losses.softmaxCrossEntropy(logits, targets);
  }

  /** See {@link dev.regimen.api.loss.Losses#binaryCrossEntropy}. */
  public static Tensor binaryCrossEntropy(Tensor logits, Tensor targets) {
    return dev.regimen.api.loss.Losses.binaryCrossEntropy(logits, targets);
  }
}
