package dev.regimen.core.script;

import dev.regimen.api.component.ComponentKind;
import java.util.LinkedHashMap;
import java.util.Map;
import org.graalvm.polyglot.HostAccess;

/**
 * A component made by a script ({@code rg.optimizer('adam', {lr: 1e-3})}): the object itself, and
 * how it was asked for, so that a training's record can say what it used.
 */
public final class ScriptComponent implements Values.Handle {
  private final ComponentKind kind;
  private final String name;
  private final Map<String, Object> options;
  private final Object component;

  ScriptComponent(ComponentKind kind, String name, Map<String, Object> options, Object component) {
    this.kind = kind;
    this.name = name;
    this.options = new LinkedHashMap<>(options);
    this.component = component;
  }

  ComponentKind componentKind() {
    return kind;
  }

  Object component() {
    return component;
  }

  /** {@code {name: 'adam', lr: 0.001, ...}} for records: the name and every option with its value. */
  Map<String, Object> describe() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", name);
    out.putAll(options);
    return out;
  }

  @Override
  public Object unwrap() {
    return component;
  }

  /** The component's kind: layer, objective, optimizer, regularizer, augmenter, scheduler, metric. */
  @HostAccess.Export
  public String kind() {
    return kind.id();
  }

  @HostAccess.Export
  public String name() {
    return name;
  }

  /** The options it was made with, defaults included. */
  @HostAccess.Export
  public Object options() {
    return Values.toGuest(options);
  }

  @HostAccess.Export
  @Override
  public String toString() {
    return kind.id() + " '" + name + "'" + (options.isEmpty() ? "" : " " + options);
  }
}
