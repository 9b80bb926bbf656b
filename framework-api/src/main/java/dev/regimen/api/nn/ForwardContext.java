package dev.regimen.api.nn;

import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one forward pass needs besides its input: whether it is training, whether stochastic layers
 * sample, a seeded random stream, and an optional recorder of named intermediate values (taps).
 *
 * <p>Training is an argument of forward, never global state (as in DJL and Keras). {@link #sampling()}
 * is true in training and also at inference for Monte Carlo dropout, where dropout stays active while
 * batch norm uses its running statistics.
 */
public final class ForwardContext {
  private final boolean training;
  private final boolean sampling;
  private final boolean updatesState;
  private final Rng rng;
  private final Map<String, Tensor> taps;

  private ForwardContext(boolean training, boolean sampling, boolean updatesState, Rng rng, Map<String, Tensor> taps) {
    this.training = training;
    this.sampling = sampling;
    this.updatesState = updatesState;
    this.rng = Objects.requireNonNull(rng, "rng");
    this.taps = taps;
  }

  /** A training pass: batch statistics, active dropout. */
  public static ForwardContext training(Rng rng) {
    return new ForwardContext(true, true, true, rng, null);
  }

  /** An evaluation pass: running statistics, no dropout; deterministic. */
  public static ForwardContext evaluation() {
    return new ForwardContext(false, false, false, new Rng(0), null);
  }

  /** An evaluation pass in which stochastic layers still sample (Monte Carlo dropout). */
  public static ForwardContext sampling(Rng rng) {
    return new ForwardContext(false, true, false, rng, null);
  }

  /** The same pass, recording taps into a fresh map (see {@link #taps()}). */
  public ForwardContext recordingTaps() {
    return new ForwardContext(training, sampling, updatesState, rng, new LinkedHashMap<>());
  }

  /**
   * The same pass with stochastic layers switched on or off: a training pass without sampling is
   * how precise batch-norm re-estimation runs (batch statistics, no dropout).
   */
  public ForwardContext withSampling(boolean on) {
    return new ForwardContext(training, on, updatesState, rng, taps);
  }

  /**
   * The same pass with updates of layer state (batch norm's running statistics) switched on or
   * off: diagnostics run training-mode passes that must leave the model as it was.
   */
  public ForwardContext withStateUpdates(boolean on) {
    return new ForwardContext(training, sampling, on && training, rng, taps);
  }

  public boolean training() {
    return training;
  }

  /** Whether stochastic layers (the dropout family, weight noise) draw noise in this pass. */
  public boolean sampling() {
    return sampling;
  }

  /** Whether layers may update their state (running statistics); true only in training, unless switched off. */
  public boolean updatesState() {
    return updatesState;
  }

  public Rng rng() {
    return rng;
  }

  /** Whether taps are being recorded; layers may skip work that only a tap would use. */
  public boolean recordsTaps() {
    return taps != null;
  }

  /** Records a named value (a layer's output, a hint); a no-op unless taps are recorded. */
  public void tap(String name, Tensor value) {
    if (taps != null) {
      taps.put(name, value);
    }
  }

  /** The taps recorded so far, in order (empty if not recording). */
  public Map<String, Tensor> taps() {
    return taps == null ? Map.of() : Collections.unmodifiableMap(taps);
  }
}
