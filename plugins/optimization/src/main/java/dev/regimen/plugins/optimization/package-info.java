/**
 * The optimization plugin: tricks that act around whichever optimizer a training uses, through the
 * API's hooks alone. {@code grad_clip} (a regularizer) clips the gradient of each update before the
 * optimizer steps with it.
 */
package dev.regimen.plugins.optimization;
