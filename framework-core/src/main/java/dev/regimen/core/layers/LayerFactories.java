package dev.regimen.core.layers;

import dev.regimen.api.component.ComponentException;
import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.LayerConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The factories of the built-in layers, for the component registry, and conveniences for Java users:
 * make a layer by name ({@link #create}) and rebuild a layer tree from its config ({@link #fromConfig}).
 */
public final class LayerFactories {
  private static final List<ComponentFactory<Layer>> ALL = List.of(
      new Dense.Factory(),
      new Conv2d.Factory(),
      new MaxPool2d.Factory(),
      new AvgPool2d.Factory(),
      new GlobalAvgPool.Factory(),
      new Flatten.Factory(),
      new Reshape.Factory(),
      new Relu.Factory(),
      new LeakyRelu.Factory(),
      new Elu.Factory(),
      new Selu.Factory(),
      new Gelu.Factory(),
      new Sigmoid.Factory(),
      new Tanh.Factory(),
      new Softmax.Factory(),
      new Sequential.Factory(),
      new Residual.Factory(),
      new MultiHead.Factory());

  private LayerFactories() {}

  /** One factory per built-in layer, in the order listings show them. */
  public static List<ComponentFactory<Layer>> all() {
    return ALL;
  }

  /** The names of the built-in layers, in listing order. */
  public static List<String> names() {
    return ALL.stream().map(ComponentFactory::name).toList();
  }

  /** The built-in factory with this name; for an unknown name, the error suggests close ones and lists all. */
  public static ComponentFactory<Layer> factory(String name) {
    for (ComponentFactory<Layer> factory : ALL) {
      if (factory.name().equals(name)) {
        return factory;
      }
    }
    List<String> close = closeNames(name, names());
    throw new ComponentException("Unknown layer '" + name + "'."
        + (close.isEmpty() ? "" : " Did you mean " + String.join(" or ", close) + "?")
        + " Known layers: " + String.join(", ", names()));
  }

  /** A built-in layer with its default options (an activation, flatten, ...). */
  public static Layer create(String name) {
    return create(name, Map.of());
  }

  /** A built-in layer by name, its options validated: {@code create("dense", Map.of("units", 64))}. */
  public static Layer create(String name, Map<String, ?> options) {
    return factory(name).create(options);
  }

  /** Rebuilds a tree of built-in layers, with their names, from a config (without weights). */
  public static Layer fromConfig(LayerConfig config) {
    return fromConfig(config, LayerFactories::factory);
  }

  /**
   * Rebuilds a layer tree from a config (without weights), finding each factory by component name
   * through {@code factories} (a registry with plugins, say). Children are rebuilt first and handed to
   * their container's {@link ContainerFactory}; every layer gets its config's name back.
   */
  public static Layer fromConfig(LayerConfig config, Function<String, ComponentFactory<Layer>> factories) {
    ComponentFactory<Layer> factory = factories.apply(config.type());
    Layer layer;
    if (factory instanceof ContainerFactory container) {
      List<Layer> children = new ArrayList<>();
      for (LayerConfig child : config.children()) {
        children.add(fromConfig(child, factories));
      }
      layer = container.createWithChildren(config.options(), children);
    } else if (config.children().isEmpty()) {
      layer = factory.create(config.options());
    } else {
      throw new ComponentException("The config of layer '" + config.name() + "' (" + config.type() + ") has "
          + config.children().size() + " children, but its factory does not take children (a ContainerFactory)");
    }
    if (config.name() != null) {
      layer.assignName(config.name());
    }
    return layer;
  }

  /**
   * Known names close to an unknown one, closest first: within a small edit distance, or containing it
   * (or contained in it), ignoring case, dots and underscores ({@code maxpool} finds {@code maxpool2d}).
   */
  static List<String> closeNames(String name, List<String> known) {
    String wanted = normalize(name);
    record Candidate(String name, int distance) {}
    List<Candidate> close = new ArrayList<>();
    for (String candidate : known) {
      String k = normalize(candidate);
      int distance = editDistance(wanted, k);
      boolean contains = Math.min(wanted.length(), k.length()) >= 3 && (k.contains(wanted) || wanted.contains(k));
      if (distance <= Math.max(1, Math.min(wanted.length(), k.length()) / 3) || contains) {
        close.add(new Candidate(candidate, distance));
      }
    }
    close.sort(Comparator.comparingInt(Candidate::distance));
    return close.stream().map(Candidate::name).toList();
  }

  private static String normalize(String name) {
    return name.toLowerCase(Locale.ROOT).replaceAll("[._\\-\\s]", "");
  }

  /** Levenshtein distance, two rows at a time. */
  private static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
