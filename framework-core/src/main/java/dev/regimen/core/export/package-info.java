/**
 * {@code regimen export}: a trained model out of its checkpoint, for other runtimes. {@link
 * dev.regimen.core.export.TrainedModel} rebuilds the model of a checkpoint (or of a run folder's
 * checkpoint) with its weights and normalizer; {@link dev.regimen.core.export.OnnxExport} writes it as
 * an ONNX graph, raw features in and evaluation-mode outputs out, through {@link
 * dev.regimen.core.export.OnnxWriter} (the protobuf written by hand, opset 17), from each layer's {@link
 * dev.regimen.api.export.OnnxLayer} form; {@link dev.regimen.core.export.SafetensorsExport} writes the
 * weights alone in PyTorch's layouts.
 */
package dev.regimen.core.export;
