package dev.regimen.core.plugin;

import dev.regimen.api.component.ComponentKind;
import java.util.Objects;

/**
 * A component by kind and name, as a plugin listing shows what a plugin contributed.
 *
 * @param kind the component's kind
 * @param name the name scripts use
 */
public record ComponentRef(ComponentKind kind, String name) {

  public ComponentRef {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
  }

  /** {@code layer 'dropout.gaussian'}, as error messages name components. */
  @Override
  public String toString() {
    return kind.id() + " '" + name + "'";
  }
}
