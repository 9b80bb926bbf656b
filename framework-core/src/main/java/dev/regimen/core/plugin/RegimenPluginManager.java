package dev.regimen.core.plugin;

import java.nio.file.Path;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginFactory;
import org.pf4j.RuntimeMode;

/**
 * PF4J's default manager with three changes: always deployment mode (so a stray {@code pf4j.mode}
 * property cannot switch to loading from source folders), a {@link CheckedPluginFactory} that
 * explains a bad {@code Plugin-Class}, and access to the descriptor finder so that the host can read
 * and check every descriptor before PF4J loads anything.
 *
 * <p>The host never calls {@code loadPlugins()}: PF4J's resolver then aborts or skips on the first
 * missing dependency and reports only through its log. It calls {@code loadPlugin(path)} one file at
 * a time, in dependency order, for files it has already checked.
 */
final class RegimenPluginManager extends DefaultPluginManager {

  RegimenPluginManager(Path pluginsDir) {
    super(pluginsDir);
  }

  @Override
  public RuntimeMode getRuntimeMode() {
    return RuntimeMode.DEPLOYMENT;
  }

  @Override
  protected PluginFactory createPluginFactory() {
    return new CheckedPluginFactory();
  }

  /** The descriptor of a jar, or of an unpacked zip's folder, read as {@code loadPlugin} will read it. */
  PluginDescriptor findDescriptor(Path pluginPath) {
    return getPluginDescriptorFinder().find(pluginPath);
  }
}
