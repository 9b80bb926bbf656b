/**
 * The augmentation family as a PF4J plugin: horizontal flips ({@code flip}), random crops
 * ({@code random_crop}: pad-and-crop, or a random resized crop), colour jitter
 * ({@code color_jitter}), random affine transforms ({@code affine}: rotation, translation, scale),
 * Gaussian input noise ({@code gaussian_noise}), label smoothing ({@code label_smoothing}), mixup
 * and CutMix ({@code mixup}, {@code cutmix}, switching per batch with mixup's {@code switch_prob}),
 * random erasing ({@code random_erasing}, Cutout with a fill of 0), RandAugment ({@code randaugment})
 * and AugMix ({@code augmix}, with its Jensen-Shannon consistency loss, the objective {@code
 * augmix.jsd}). Each augmenter can be turned off for the last epochs of a training ({@code
 * off_last_epochs}).
 *
 * <p>Every component but {@code augmix.jsd} is a {@link dev.regimen.api.train.Augmenter}: the
 * trainer calls it on training batches only, before the forward pass, so evaluation and prediction never see it. Image
 * augmenters take NCHW batches [N, C, H, W] (grayscale C = 1 or colour C = 3) and draw their
 * parameters per sample, from a stream forked from the batch's stream by the component's name, so a
 * seeded run repeats and adding one augmenter does not change the numbers another draws (two
 * augmenters of the same name in one list therefore draw the same numbers). They work
 * on whole arrays (masks, broadcasting, one gather per bilinear corner, libnd4j's colour-space
 * ops), never on single pixels in Java. Outputs are new arrays, constants of the graph; the data
 * set's arrays are never written.
 */
package dev.regimen.plugins.augmentation;
