package dev.regimen.api.component;

import java.util.List;

/**
 * The usual way to write a factory: kind, name, description and options given once in the
 * constructor, and {@link #create(Options)} left to the subclass. A plugin's factory adds PF4J's
 * {@code @Extension}:
 *
 * <pre>{@code
 * @Extension
 * public final class DropoutFactory extends AbstractComponentFactory<Layer> {
 *   public DropoutFactory() {
 *     super(ComponentKind.LAYER, "dropout", "Inverted dropout", List.of(
 *         OptionSpec.of("rate", OptionType.DOUBLE, 0.5, "probability of dropping a unit").rangeExclusive(0, 1)));
 *   }
 *
 *   @Override
 *   public Layer create(Options options) {
 *     return new Dropout(options);
 *   }
 * }
 * }</pre>
 */
public abstract class AbstractComponentFactory<T> implements ComponentFactory<T> {
  private final ComponentKind kind;
  private final String name;
  private final String description;
  private final List<OptionSpec> options;

  protected AbstractComponentFactory(ComponentKind kind, String name, String description, List<OptionSpec> options) {
    this.kind = kind;
    this.name = name;
    this.description = description;
    this.options = List.copyOf(options);
  }

  @Override
  public final ComponentKind kind() {
    return kind;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final String description() {
    return description;
  }

  @Override
  public final List<OptionSpec> options() {
    return options;
  }

  @Override
  public String toString() {
    return kind.id() + " '" + name + "'";
  }
}
