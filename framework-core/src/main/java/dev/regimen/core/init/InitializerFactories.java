package dev.regimen.core.init;

import dev.regimen.api.component.ComponentException;
import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.nn.Initializer;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The factories of the built-in initializers, for the component registry and for layers' options. */
public final class InitializerFactories {
  private static final List<ComponentFactory<Initializer>> ALL = List.of(
      new HeNormal.Factory(),
      new HeUniform.Factory(),
      new GlorotNormal.Factory(),
      new GlorotUniform.Factory(),
      new Zeros.Factory(),
      new Ones.Factory(),
      new Constant.Factory());

  private InitializerFactories() {}

  /** One factory per built-in initializer, in the order listings show them. */
  public static List<ComponentFactory<Initializer>> all() {
    return ALL;
  }

  /** The names of the built-in initializers, in listing order. */
  public static List<String> names() {
    return ALL.stream().map(ComponentFactory::name).toList();
  }

  /** The built-in initializers that need no options, the ones a layer option can name. */
  public static String[] namesWithoutRequiredOptions() {
    return ALL.stream()
        .filter(f -> f.options().stream().noneMatch(o -> o.required()))
        .map(ComponentFactory::name)
        .toArray(String[]::new);
  }

  /** The factory with this name; the error lists the known names. */
  public static ComponentFactory<Initializer> factory(String name) {
    for (ComponentFactory<Initializer> factory : ALL) {
      if (factory.name().equals(name)) {
        return factory;
      }
    }
    throw new ComponentException("Unknown initializer '" + name + "'. Known initializers: "
        + ALL.stream().map(ComponentFactory::name).collect(Collectors.joining(", ")));
  }

  /** The built-in initializer with this name and its default options. */
  public static Initializer create(String name) {
    return create(name, Map.of());
  }

  /** The built-in initializer with this name and options. */
  public static Initializer create(String name, Map<String, ?> options) {
    return factory(name).create(options);
  }
}
