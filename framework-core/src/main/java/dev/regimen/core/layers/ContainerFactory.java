package dev.regimen.core.layers;

import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.LayerConfig;
import java.util.List;
import java.util.Map;

/**
 * A layer factory whose layers hold other layers ({@code sequential}, {@code residual}). A container's
 * {@link LayerConfig} keeps its children as configs beside its own options, so rebuilding it from a
 * config (see {@link LayerFactories#fromConfig}) first rebuilds the children and then hands them over
 * here.
 */
public interface ContainerFactory extends ComponentFactory<Layer> {

  /**
   * Makes the container from the options of its config (which leave the children out) and its
   * children, already made, in the order of the config.
   */
  Layer createWithChildren(Map<String, ?> options, List<Layer> children);
}
