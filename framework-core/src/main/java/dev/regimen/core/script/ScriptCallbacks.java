package dev.regimen.core.script;

import dev.regimen.api.train.Scheduler;
import dev.regimen.api.train.TrainingControl;
import java.util.LinkedHashMap;
import java.util.Map;
import org.graalvm.polyglot.Value;

/**
 * A trainer's script callbacks ({@code onTrainStart}, {@code onEpochStart}, {@code onBatchEnd},
 * {@code onEpochEnd}, {@code onTrainEnd}) as a scheduler. Each gets one object: {@code epoch} (from 1)
 * and {@code epochs}; {@code metrics} (the epoch's metrics) at epoch and training end; {@code batch}
 * (from 1) and {@code loss} at batch end; {@code history} at training end. A callback that returns
 * {@code false} stops training, as early stopping would.
 */
final class ScriptCallbacks implements Scheduler {
  private final Value onTrainStart;
  private final Value onEpochStart;
  private final Value onBatchEnd;
  private final Value onEpochEnd;
  private final Value onTrainEnd;
  private final ScriptRuntime runtime;

  ScriptCallbacks(Value onTrainStart, Value onEpochStart, Value onBatchEnd, Value onEpochEnd, Value onTrainEnd,
      ScriptRuntime runtime) {
    this.onTrainStart = onTrainStart;
    this.onEpochStart = onEpochStart;
    this.onBatchEnd = onBatchEnd;
    this.onEpochEnd = onEpochEnd;
    this.onTrainEnd = onTrainEnd;
    this.runtime = runtime;
  }

  boolean isEmpty() {
    return onTrainStart == null && onEpochStart == null && onBatchEnd == null && onEpochEnd == null && onTrainEnd == null;
  }

  @Override
  public void onTrainStart(TrainingControl control) {
    call("onTrainStart", onTrainStart, control, event(control, false));
  }

  @Override
  public void onEpochStart(TrainingControl control) {
    call("onEpochStart", onEpochStart, control, event(control, false));
  }

  @Override
  public void onBatchEnd(TrainingControl control) {
    if (onBatchEnd == null) {
      return;
    }
    Map<String, Object> e = event(control, false);
    e.put("batch", control.batch() + 1);
    e.put("loss", control.batchLoss());
    call("onBatchEnd", onBatchEnd, control, e);
  }

  @Override
  public void onEpochEnd(TrainingControl control) {
    if (onEpochEnd == null) {
      return;
    }
    call("onEpochEnd", onEpochEnd, control, event(control, true));
  }

  @Override
  public void onTrainEnd(TrainingControl control) {
    if (onTrainEnd == null) {
      return;
    }
    Map<String, Object> e = event(control, true);
    e.put("epoch", control.history().epochs());
    e.put("history", Values.history(control.history()));
    call("onTrainEnd", onTrainEnd, control, e);
  }

  private static Map<String, Object> event(TrainingControl control, boolean metrics) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("epoch", control.epoch() + 1);
    e.put("epochs", control.epochs());
    if (metrics) {
      int epochs = control.history().epochs();
      int shown = Math.min(control.epoch(), epochs - 1);
      e.put("metrics", shown >= 0 ? new LinkedHashMap<String, Object>(control.history().epoch(shown)) : Map.of());
    }
    return e;
  }

  private void call(String what, Value function, TrainingControl control, Map<String, Object> event) {
    if (function == null || runtime.interrupted()) {
      return;
    }
    Value result = function.execute(Values.toGuest(event));
    if (result != null && result.isBoolean() && !result.asBoolean()) {
      control.requestStop("the script's " + what + " returned false");
    }
  }
}
