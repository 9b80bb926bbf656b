package dev.regimen.core.plugin;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.pf4j.PluginState;

/**
 * A plugin that loaded, as plain data for listings: its descriptor, its state when loading finished,
 * and the components it contributed to the registry.
 *
 * @param id the {@code Plugin-Id}
 * @param version the {@code Plugin-Version}
 * @param state {@link PluginState#STARTED} normally; {@link PluginState#DISABLED} when PF4J's
 *     {@code disabled.txt} in the plugins folder names it
 * @param description the {@code Plugin-Description}, or empty
 * @param provider the {@code Plugin-Provider}, or empty
 * @param file the plugin file as found in the plugins folder
 * @param requires the {@code Plugin-Requires} range of framework versions ({@code *} for any)
 * @param dependencies the {@code Plugin-Dependencies} as written: {@code id}, {@code id@range},
 *     {@code id?} for an optional one
 * @param components what it contributed, by kind then name; components that were rejected are
 *     reported as {@link PluginFailure}s instead
 */
public record PluginInfo(
    String id,
    String version,
    PluginState state,
    String description,
    String provider,
    Path file,
    String requires,
    List<String> dependencies,
    List<ComponentRef> components) {

  public PluginInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(file, "file");
    description = description == null ? "" : description;
    provider = provider == null ? "" : provider;
    requires = requires == null || requires.isBlank() ? "*" : requires;
    dependencies = List.copyOf(dependencies);
    components = List.copyOf(components);
  }

  /** The file name alone, as listings show it. */
  public String fileName() {
    return file.getFileName().toString();
  }
}
