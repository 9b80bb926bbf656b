package dev.regimen.api.host;

import java.util.List;
import java.util.ServiceLoader;

/** Finds and keeps the one {@link HostServices} implementation; a failed lookup is retried next time. */
final class HostLookup {
  private static volatile HostServices found;

  private HostLookup() {}

  static HostServices get() {
    HostServices services = found;
    if (services == null) {
      synchronized (HostLookup.class) {
        if (found == null) {
          found = load(HostServices.class.getClassLoader());
        }
        services = found;
      }
    }
    return services;
  }

  /** The one implementation that {@code loader} registers, or an error saying what is there instead. */
  static HostServices load(ClassLoader loader) {
    List<HostServices> all = ServiceLoader.load(HostServices.class, loader).stream()
        .map(ServiceLoader.Provider::get).toList();
    if (all.isEmpty()) {
      throw new IllegalStateException("No Regimen host on the class path: " + HostServices.class.getName()
          + " is implemented by framework-core (registered in META-INF/services). A plugin runs inside the host;"
          + " its tests need framework-core in test scope");
    }
    if (all.size() > 1) {
      throw new IllegalStateException("More than one Regimen host on the class path: "
          + all.stream().map(s -> s.getClass().getName()).toList() + "; keep one framework-core");
    }
    return all.get(0);
  }
}
