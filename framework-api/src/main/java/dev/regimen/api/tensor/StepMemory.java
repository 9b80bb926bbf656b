package dev.regimen.api.tensor;

import java.util.function.Supplier;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Deterministic memory for training steps: every array made inside a {@linkplain #open step scope}
 * is released when the scope closes, not when the garbage collector gets round to it.
 *
 * <p>A scope is an ND4J workspace (one per name and thread): while it is open, every array that ND4J
 * allocates on this thread (an op's output, a gradient, an optimizer's temporary) comes from one
 * arena that is sized on the first step and reused by every later one, so a step touches no fresh
 * pages and frees nothing one by one. The trainer opens one around each training batch (augmenters,
 * forward, loss, backward, regularizer hooks, the optimizer, metric updates), and evaluation and
 * prediction one around each batch.
 *
 * <p><b>The rule for layer, plugin and script authors.</b> What was made inside a step lives until the
 * step ends. To keep an array past it (a diagnostic's probe, a teacher's cached logits, a script's
 * captured output, state created lazily on the first step), either copy it out with {@link #keep} or
 * create it with {@link #outside}. Arrays that existed before the step (parameters, buffers such as
 * batch norm's running statistics, optimizer state) survive it and may be changed in place inside
 * it ({@code assign}, {@code addi}, {@code muli}); replacing such a field by a new array made inside
 * a step would keep a released array. A parameter's {@link Tensor#grad()} is a persistent buffer that
 * each step overwrites, so it may be read after the step until the next one.
 *
 * <p>Using a released array fails with a clear error instead of reading reused memory: a {@link
 * Tensor} throws {@link ReleasedArrayException} naming the op that made it, and ND4J itself refuses an
 * op on a raw {@link INDArray} from a closed scope ("uses leaked workspace pointer"), naming its op.
 */
public final class StepMemory {
  private StepMemory() {}

  /**
   * Sized by the first step (a warm-up that allocates outside the arena), then 20% headroom; a later
   * step that needs more spills into ordinary allocations and the arena grows at its next reset.
   */
  private static final WorkspaceConfiguration CONFIG = WorkspaceConfiguration.builder()
      .initialSize(0)
      .policyAllocation(AllocationPolicy.OVERALLOCATE)
      .overallocationLimit(0.2)
      .policyLearning(LearningPolicy.FIRST_LOOP)
      .policyReset(ResetPolicy.BLOCK_LEFT)
      .policySpill(SpillPolicy.REALLOCATE)
      .build();

  /** Arena ids are by nesting depth: "regimen-step-0" for a top-level step, "-1" for one nested in it, ... */
  private static final String PREFIX = "regimen-step-";

  /** The names of the scopes open on this thread, outermost first. */
  private static final ThreadLocal<java.util.List<String>> OPEN = ThreadLocal.withInitial(java.util.ArrayList::new);

  /** An open step scope; closing it releases every array made inside it. Closing twice is harmless. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  private static final Scope NONE = () -> {};

  /**
   * Opens the step scope {@code name} ({@code "train"}, {@code "eval"}, ...) on this thread. Scopes of
   * different names nest (an evaluation inside a training step releases its own arrays first); opening
   * a name that is already open on this thread returns a scope that does nothing, so that its arrays
   * belong to the outer step.
   *
   * <p>The arena belongs to the nesting depth, not to the name: a training step and an evaluation batch
   * that run one after the other reuse the same memory (an evaluation between epochs adds nothing to
   * the peak), and only a scope opened inside another one takes an arena of its own.
   */
  public static Scope open(String name) {
    java.util.List<String> open = OPEN.get();
    if (open.contains(name)) {
      return NONE;
    }
    MemoryWorkspace workspace = Nd4j.getWorkspaceManager().getAndActivateWorkspace(CONFIG, PREFIX + open.size());
    open.add(name);
    return new Scope() {
      private boolean closed;

      @Override
      public void close() {
        if (!closed) {
          closed = true;
          open.remove(open.size() - 1);
          workspace.close();
        }
      }
    };
  }

  /**
   * An array that outlives the current step: {@code array} itself if it was not made inside a scope,
   * otherwise a copy made outside every scope.
   */
  public static INDArray keep(INDArray array) {
    if (array == null || !array.isAttached()) {
      return array;
    }
    requireLive(array, "keep");
    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      return array.dup(array.ordering());
    }
  }

  /** A constant tensor that outlives the current step, with {@code tensor}'s values (see {@link #keep(INDArray)}). */
  public static Tensor keep(Tensor tensor) {
    return tensor == null ? null : Tensor.of(keep(tensor.array()));
  }

  /**
   * Runs {@code allocation} outside every scope, so that what it creates (lazily built state, a
   * running total, a cache) survives the step.
   */
  public static <T> T outside(Supplier<T> allocation) {
    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      return allocation.get();
    }
  }

  /** Whether {@code array} was made inside a step scope that has ended since. */
  public static boolean isReleased(INDArray array) {
    if (!array.isAttached()) {
      return false;
    }
    MemoryWorkspace workspace = array.data().getParentWorkspace();
    return workspace == null || !workspace.isScopeActive()
        || workspace.getGenerationId() != array.data().getGenerationId();
  }

  /**
   * Throws {@link ReleasedArrayException} if {@code array} was released.
   *
   * @param op what was about to use it, for the message
   */
  public static void requireLive(INDArray array, String op) {
    if (isReleased(array)) {
      throw released(array, op + ": the array " + java.util.Arrays.toString(array.shape()));
    }
  }

  /** The error for a use of a released array; {@code what} names the array and who used it. */
  static ReleasedArrayException released(INDArray array, String what) {
    MemoryWorkspace workspace = array.data().getParentWorkspace();
    String scope = workspace == null ? "a step scope" : "a step scope (arena '" + workspace.getId() + "')";
    return new ReleasedArrayException(what + " was made inside " + scope + " that has ended, so its memory was "
        + "released. Keep an array past a training step with StepMemory.keep(...) or create it with "
        + "StepMemory.outside(...)");
  }
}
