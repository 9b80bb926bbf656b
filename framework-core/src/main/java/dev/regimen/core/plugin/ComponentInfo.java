package dev.regimen.core.plugin;

import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.core.registry.ComponentRegistry;
import java.util.List;
import java.util.Objects;

/**
 * One component in the registry, as plain data for {@code regimen components}: what it is, where it
 * came from, and every option with its type, default and allowed values.
 *
 * @param kind the component's kind
 * @param name the name scripts use
 * @param description one line saying what it does
 * @param origin {@code built-in} or {@code plugin '<id>'}
 * @param options every option, in the factory's order
 */
public record ComponentInfo(
    ComponentKind kind, String name, String description, String origin, List<Option> options) {

  public ComponentInfo {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    description = description == null ? "" : description;
    Objects.requireNonNull(origin, "origin");
    options = List.copyOf(options);
  }

  /**
   * One option of a component.
   *
   * @param name the option's name (snake case; scripts may also write it in camel case)
   * @param type its value type
   * @param defaultValue the default, or {@code null} for none
   * @param required whether a script must give it
   * @param constraint the allowed values in words ({@code [0, 1)}, {@code one of max, avg}), or empty
   * @param description what it means
   */
  public record Option(
      String name, OptionType type, Object defaultValue, boolean required, String constraint, String description) {

    static Option of(OptionSpec spec) {
      return new Option(spec.name(), spec.type(), spec.defaultValue(), spec.required(), spec.constraint(),
          spec.description());
    }
  }

  /** The component as a factory in the registry describes it. */
  public static ComponentInfo of(ComponentRegistry.Entry entry) {
    ComponentFactory<?> factory = entry.factory();
    return new ComponentInfo(factory.kind(), factory.name(), factory.description(), entry.origin(),
        factory.options().stream().map(Option::of).toList());
  }

  /** This component by kind and name. */
  public ComponentRef ref() {
    return new ComponentRef(kind, name);
  }
}
