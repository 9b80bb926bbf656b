/**
 * Data-parallel training on a distributed engine, without depending on one: the trainer option
 * {@code distributed: {engine: 'spark', master: 'local[2]', workers: 2, sync: 'gradients' | 'average', every: K}}
 * ({@link dev.regimen.core.distributed.DistributedOptions}) names an engine, and the engine is a
 * {@link dev.regimen.core.distributed.DistributedEngine} found by {@link java.util.ServiceLoader} on the class
 * path (the Spark add-on, {@code framework-spark}, provides {@code spark}). Asking for an engine that is not
 * installed is an error naming the option and the add-on.
 *
 * <p>The split of the work: the driver (the process that runs the script) owns the model, the optimizer, the
 * schedulers, the metrics and the checkpoints, and makes every batch exactly as one process would; an engine
 * only moves bytes and runs {@link dev.regimen.core.distributed.Workers}' computations on its workers. What
 * crosses the wire is a {@link dev.regimen.core.distributed.WorkerSpec} once (the model's saved config tree, the
 * loss and optimizer by name and options, as checkpoints and scripts describe them) and safetensors bytes
 * ({@link dev.regimen.core.checkpoint.Safetensors#encode}) for every array: parameters and buffers out,
 * gradients, outputs and buffers back.
 *
 * <p>{@code sync: 'gradients'}: every step the driver sends its parameters, each worker computes the loss and
 * gradients of its contiguous shard of the batch weighted by its share of the batch, and the engine sums them
 * (a tree aggregate); the sum is the gradient of the whole batch's mean loss, so the step equals one process
 * training on the combined batch up to float32 rounding. {@code sync: 'average'} (McDonald et al. 2010,
 * "Distributed training strategies for the structured perceptron"; DL4J's parameter averaging): each worker
 * takes {@code every} local optimizer steps on its shards of that many batches from the driver's parameters and
 * optimizer state, and the driver takes the shard-weighted average of the parameters and of the optimizer state.
 */
package dev.regimen.core.distributed;
