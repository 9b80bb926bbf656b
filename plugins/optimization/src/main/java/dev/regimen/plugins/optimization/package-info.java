/**
 * The optimization plugin: tricks that act around whichever optimizer a training uses, through the
 * API's hooks alone. {@code grad_clip} (a regularizer) clips the gradient of each update before the
 * optimizer steps with it; {@code ema} (a scheduler) keeps an exponential moving average of the
 * weights, which validation sees and the model keeps at the end; {@code lookahead} (an optimizer)
 * wraps any optimizer, whose fast weights its slow weights follow every k steps; {@code sam} (an
 * optimizer) wraps any optimizer, which steps with the gradient taken again at an ascent point; {@code
 * swa} (a scheduler) averages the last epochs' weights and recomputes batch-norm statistics for them.
 */
package dev.regimen.plugins.optimization;
