package dev.regimen.core.plugin;

/**
 * Why one plugin or component did not load, already in words for a {@link PluginFailure}; thrown
 * inside the host (and from PF4J callbacks such as {@link CheckedPluginFactory}) and caught there.
 */
final class PluginLoadException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  PluginLoadException(String reason) {
    super(reason);
  }
}
