/**
 * The built-in optimizers (SGD with momentum and Nesterov momentum, Adam, AdamW, RMSProp, Lion, LAMB): in-place
 * whole-array updates of parameters, with per-parameter state named for checkpoints.
 */
package dev.regimen.core.optim;
