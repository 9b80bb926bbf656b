package dev.regimen.core.plugin;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import org.pf4j.Plugin;
import org.pf4j.PluginFactory;
import org.pf4j.PluginWrapper;

/**
 * Makes a plugin's {@code Plugin-Class} as PF4J's default factory does (a constructor taking the
 * {@link PluginWrapper}, else one without arguments), but throws a {@link PluginLoadException} that
 * says what is wrong where PF4J 3.14 logs the problem and returns {@code null}, which later surfaces
 * as a bare {@code NullPointerException} from {@code startPlugin}.
 *
 * <p>A plugin without {@code Plugin-Class} gets PF4J's plain {@link Plugin}: a Regimen plugin needs
 * no lifecycle code, its components are its extensions.
 */
final class CheckedPluginFactory implements PluginFactory {

  @Override
  public Plugin create(PluginWrapper wrapper) {
    String className = wrapper.getDescriptor().getPluginClass();
    String what = "its Plugin-Class '" + className + "'";
    Class<?> type;
    try {
      type = wrapper.getPluginClassLoader().loadClass(className);
    } catch (ClassNotFoundException e) {
      throw new PluginLoadException(what + " is not in the plugin");
    } catch (LinkageError e) {
      throw new PluginLoadException(what + " cannot be loaded: " + PluginScan.describe(e));
    }
    if (!Plugin.class.isAssignableFrom(type)) {
      throw new PluginLoadException(what + " does not extend org.pf4j.Plugin");
    }
    if (Modifier.isAbstract(type.getModifiers())) {
      throw new PluginLoadException(what + " is abstract");
    }
    try {
      try {
        return (Plugin) type.getConstructor(PluginWrapper.class).newInstance(wrapper);
      } catch (NoSuchMethodException e) {
        return (Plugin) type.getConstructor().newInstance();
      }
    } catch (NoSuchMethodException e) {
      throw new PluginLoadException(what + " has no public constructor without arguments");
    } catch (InvocationTargetException e) {
      throw new PluginLoadException(what + " failed in its constructor: " + PluginScan.describe(e.getCause()));
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      throw new PluginLoadException(what + " cannot be made: " + PluginScan.describe(e));
    }
  }
}
