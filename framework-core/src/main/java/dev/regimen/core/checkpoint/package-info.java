/**
 * Checkpoints: model weights and optimizer and normalizer arrays in the safetensors format (readable by
 * PyTorch's and NumPy's {@code safetensors}), the rest of the training state as JSON beside them, and
 * crash-safe atomic writes of files and whole folders.
 *
 * <p>A checkpoint is a folder holding {@value dev.regimen.core.checkpoint.CheckpointStore#WEIGHTS_FILE}
 * and {@value dev.regimen.core.checkpoint.CheckpointStore#STATE_FILE}; {@link
 * dev.regimen.core.checkpoint.CheckpointStore} writes and reads it, {@link
 * dev.regimen.core.checkpoint.Safetensors} is the array format and {@link
 * dev.regimen.core.checkpoint.AtomicFiles} makes the writes atomic. Nothing here depends on the trainer:
 * it saves whatever arrays and state it is handed.
 */
package dev.regimen.core.checkpoint;
