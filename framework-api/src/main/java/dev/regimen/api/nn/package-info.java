/**
 * The layer contract: forward with a context, named parameters and buffers, shape inference, config;
 * walking a model's layers ({@link dev.regimen.api.nn.Layers}) and re-estimating its batch statistics
 * ({@link dev.regimen.api.nn.PreciseBatchNorm}).
 */
package dev.regimen.api.nn;
