package dev.regimen.api.nn;

import java.util.List;
import java.util.Map;

/**
 * Everything needed to rebuild a layer (without its weights): its component name, its instance
 * name, its options, and for containers the configs of its children.
 */
public record LayerConfig(String type, String name, Map<String, Object> options, List<LayerConfig> children) {
  public LayerConfig {
    options = Map.copyOf(options);
    children = List.copyOf(children);
  }

  public static LayerConfig leaf(String type, String name, Map<String, Object> options) {
    return new LayerConfig(type, name, options, List.of());
  }
}
