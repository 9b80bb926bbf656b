/**
 * What a layer implements to leave the JVM with its trained weights: {@link
 * dev.regimen.api.export.OnnxLayer} (the layer's inference computation as ONNX nodes, written into an
 * {@link dev.regimen.api.export.OnnxGraph} that the host provides) and {@link
 * dev.regimen.api.export.InputMajorWeight} (a weight stored {@code [in, out]}, which an export for
 * PyTorch transposes). Both are optional: {@code regimen export} names a layer that lacks the form
 * an export needs. A plugin implements them against this package alone.
 */
package dev.regimen.api.export;
