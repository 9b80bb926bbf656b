package dev.regimen.core.registry;

import dev.regimen.api.component.ComponentException;
import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.component.ComponentKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every component factory by kind and name, each remembered with where it came from ({@code built-in}
 * or a plugin id). Two factories with the same kind and name are an error naming both origins;
 * an unknown name is an error listing the closest known names.
 */
public final class ComponentRegistry {

  /** A factory and where it came from. */
  public record Entry(ComponentFactory<?> factory, String origin) {}

  private final Map<ComponentKind, Map<String, Entry>> entries = new EnumMap<>(ComponentKind.class);

  /** Adds a factory; a clash with one already registered names both origins. */
  public void register(ComponentFactory<?> factory, String origin) {
    Map<String, Entry> byName = entries.computeIfAbsent(factory.kind(), k -> new TreeMap<>());
    Entry existing = byName.get(factory.name());
    if (existing != null) {
      throw new ComponentException("Two components are named " + factory.kind().id() + " '" + factory.name()
          + "': one from " + existing.origin() + ", one from " + origin);
    }
    byName.put(factory.name(), new Entry(factory, origin));
  }

  public void registerAll(Collection<? extends ComponentFactory<?>> factories, String origin) {
    for (ComponentFactory<?> f : factories) {
      register(f, origin);
    }
  }

  /** The factory of a kind and name, or an error listing close names. */
  @SuppressWarnings("unchecked")
  public <T> ComponentFactory<T> factory(ComponentKind kind, String name) {
    Entry entry = entries.getOrDefault(kind, Map.of()).get(name);
    if (entry == null) {
      throw new ComponentException(unknownMessage(kind, name));
    }
    return (ComponentFactory<T>) entry.factory();
  }

  /** Makes a component from raw options (validated by its factory). */
  public <T> T create(ComponentKind kind, String name, Map<String, ?> options) {
    ComponentFactory<T> f = factory(kind, name);
    return f.create(options);
  }

  public boolean contains(ComponentKind kind, String name) {
    return entries.getOrDefault(kind, Map.of()).containsKey(name);
  }

  /** Every entry, by kind then name. */
  public List<Entry> entries() {
    List<Entry> out = new ArrayList<>();
    for (Map<String, Entry> byName : entries.values()) {
      out.addAll(byName.values());
    }
    return out;
  }

  /** The entries of one kind, by name. */
  public List<Entry> entries(ComponentKind kind) {
    return new ArrayList<>(entries.getOrDefault(kind, Map.of()).values());
  }

  private String unknownMessage(ComponentKind kind, String name) {
    List<String> known = new ArrayList<>(entries.getOrDefault(kind, Map.of()).keySet());
    if (known.isEmpty()) {
      return "Unknown " + kind.id() + " '" + name + "': no " + kind.id() + " components are installed";
    }
    List<String> close = known.stream()
        .filter(k -> distance(k, name) <= Math.max(2, name.length() / 3) || k.startsWith(name) || name.startsWith(k))
        .sorted(Comparator.comparingInt(k -> distance(k, name)))
        .limit(5)
        .toList();
    StringBuilder message = new StringBuilder("Unknown " + kind.id() + " '" + name + "'.");
    if (!close.isEmpty()) {
      message.append(" Did you mean: ").append(String.join(", ", close)).append('?');
    }
    message.append(" Known ").append(kind.id()).append(" components: ").append(String.join(", ", known));
    return message.toString();
  }

  /** Levenshtein distance, for suggestions. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
