/**
 * Adversarial training and evaluation as a PF4J plugin, after Goodfellow, Shlens and Szegedy 2015
 * ("Explaining and Harnessing Adversarial Examples", ICLR): the fast gradient sign method ({@link
 * dev.regimen.plugins.adversarial.Fgsm}), adversarial training with it (the augmenter {@code fgsm}),
 * and after Madry et al. 2018 ("Towards Deep Learning Models Resistant to Adversarial Attacks", ICLR)
 * projected gradient descent ({@link dev.regimen.plugins.adversarial.Pgd}) and adversarial training
 * with it (the augmenter {@code pgd}); accuracy under either attack is the scheduler {@code
 * robust_accuracy}, recorded as {@code val_robust_accuracy}.
 *
 * <p>Every {@code eps} is in the units of the inputs the model sees, after normalization: for pixels
 * scaled to [0, 1] it is a fraction of the intensity range (the classic setting: Goodfellow et al. use
 * 0.25 on MNIST, 0.1 is about 25 grey levels of 255); for z-scored inputs it is a number of standard
 * deviations of each feature. Clipping to a valid range is off unless {@code clip_min} and/or {@code
 * clip_max} are given: the plugin cannot know the range, and clipping z-scored data to [0, 1] would be
 * wrong.
 *
 * <p>The gradient with respect to the inputs comes from the trainer ({@code
 * Augmenter.Context#inputGradient}, {@code TrainingControl#inputGradient}): the training objective
 * at the current weights, in evaluation mode, without touching the parameters' gradients.
 */
package dev.regimen.plugins.adversarial;
