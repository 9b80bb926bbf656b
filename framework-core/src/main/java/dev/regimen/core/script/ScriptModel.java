package dev.regimen.core.script;

import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.nn.Parameter;
import java.util.ArrayList;
import java.util.List;
import org.graalvm.polyglot.HostAccess;

/**
 * A layer or a model as scripts hold it ({@code rg.layer(...)}, {@code rg.sequential([...])}): opaque
 * but for a few read-only questions; passing it back to the API hands over the layer.
 */
public final class ScriptModel implements Values.Handle {
  private final Layer layer;

  ScriptModel(Layer layer) {
    this.layer = layer;
  }

  Layer layer() {
    return layer;
  }

  @Override
  public Object unwrap() {
    return layer;
  }

  /** The component name that made it ({@code dense}, {@code sequential}). */
  @HostAccess.Export
  public String type() {
    return layer.type();
  }

  /** Its instance name ({@code dense_1}), or null until the model is assembled or trained. */
  @HostAccess.Export
  public String name() {
    return layer.name();
  }

  /** Every layer of the tree as {@code name (type)}, containers first; names appear once the model is built. */
  @HostAccess.Export
  public Object layers() {
    List<Object> out = new ArrayList<>();
    for (Layer l : Layers.all(layer)) {
      out.add((l.name() == null ? "?" : l.name()) + " (" + l.type() + ")");
    }
    return Values.toGuest(out);
  }

  /** The number of trainable values; 0 before the model is built. */
  @HostAccess.Export
  public long parameterCount() {
    long n = 0;
    if (!layer.isBuilt()) {
      return 0;
    }
    for (Parameter p : Layers.parameters(layer)) {
      n += p.value().length();
    }
    return n;
  }

  @HostAccess.Export
  public boolean isBuilt() {
    return layer.isBuilt();
  }

  @HostAccess.Export
  @Override
  public String toString() {
    return layer.toString();
  }
}
