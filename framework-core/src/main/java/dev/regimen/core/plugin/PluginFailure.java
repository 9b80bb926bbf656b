package dev.regimen.core.plugin;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Something in the plugins folder that did not load: a whole plugin file (a corrupt jar, no
 * descriptor, an incompatible {@code Plugin-Requires}, a missing dependency, a {@code Plugin-Class}
 * that is not there) or one component of a plugin that otherwise loaded (a factory whose constructor
 * throws, a name another plugin also uses).
 *
 * @param file the plugin file as found in the plugins folder
 * @param pluginId the plugin's id, or {@code null} when the file has no readable descriptor
 * @param reason what went wrong, in words a user can act on
 */
public record PluginFailure(Path file, String pluginId, String reason) {

  public PluginFailure {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(reason, "reason");
  }

  /** The file name alone, as listings show it. */
  public String fileName() {
    return file.getFileName().toString();
  }

  /** One line for logs and messages: {@code dropout-0.1.0.jar (plugin 'dropout'): reason}. */
  @Override
  public String toString() {
    return fileName() + (pluginId == null ? "" : " (plugin '" + pluginId + "')") + ": " + reason;
  }
}
