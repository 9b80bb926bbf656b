package dev.regimen.core.plugin;

import dev.regimen.api.component.ComponentKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Plain-text tables of plugins and components, for {@code regimen plugins} and
 * {@code regimen components [KIND]}: left-aligned columns two spaces apart, a header in capitals,
 * no trailing spaces, one line per row and a final newline.
 */
public final class PluginListing {
  private PluginListing() {}

  /** The plugins that loaded, then the problems found, if any. */
  public static String pluginsTable(PluginHost host) {
    return pluginsTable(host.plugins(), host.failures());
  }

  /**
   * One row per plugin (id, version, state, the framework versions it requires, its components,
   * its description), then a table of problems (file, plugin, reason) if there are any.
   */
  public static String pluginsTable(List<PluginInfo> plugins, List<PluginFailure> failures) {
    StringBuilder out = new StringBuilder();
    if (plugins.isEmpty()) {
      out.append("No plugins loaded.\n");
    } else {
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"ID", "VERSION", "STATE", "REQUIRES", "COMPONENTS", "DESCRIPTION"});
      for (PluginInfo p : plugins) {
        rows.add(new String[] {p.id(), p.version(), p.state().toString(), p.requires(), components(p),
            p.description()});
      }
      out.append(table(rows));
    }
    if (!failures.isEmpty()) {
      out.append('\n').append(failures.size() == 1 ? "1 problem:" : failures.size() + " problems:").append('\n');
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"FILE", "PLUGIN", "REASON"});
      for (PluginFailure f : failures) {
        rows.add(new String[] {f.fileName(), f.pluginId() == null ? "-" : f.pluginId(), f.reason()});
      }
      out.append(table(rows));
    }
    return out.toString();
  }

  /** The components of one kind ({@code null} for all) in the host's registry. */
  public static String componentsTable(PluginHost host, ComponentKind kind) {
    return componentsTable(host.components(kind), kind);
  }

  /**
   * One row per component (kind, name, origin, description), each followed by one row per option
   * (name, type, default or {@code required}, meaning, allowed values: last, as choices can be long).
   * With a kind, only that kind.
   */
  public static String componentsTable(List<ComponentInfo> components, ComponentKind kind) {
    List<ComponentInfo> shown = components.stream().filter(c -> kind == null || c.kind() == kind).toList();
    if (shown.isEmpty()) {
      return kind == null ? "No components.\n" : "No " + kind.id() + " components.\n";
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"KIND", "NAME", "ORIGIN", "OPTION", "TYPE", "DEFAULT", "DESCRIPTION", "ALLOWED"});
    for (ComponentInfo c : shown) {
      rows.add(new String[] {c.kind().id(), c.name(), c.origin(), "", "", "", c.description(), ""});
      for (ComponentInfo.Option o : c.options()) {
        rows.add(new String[] {"", "", "", o.name(), o.type().id(), defaultText(o), o.description(), o.constraint()});
      }
    }
    return table(rows);
  }

  private static String components(PluginInfo p) {
    if (p.components().isEmpty()) {
      return "none";
    }
    return p.components().stream()
        .map(c -> c.kind().id() + " " + c.name())
        .collect(Collectors.joining(", "));
  }

  private static String defaultText(ComponentInfo.Option o) {
    if (o.required()) {
      return "required";
    }
    Object d = o.defaultValue();
    if (d == null) {
      return "";
    }
    if (d instanceof int[] a) {
      return Arrays.toString(a);
    }
    if (d instanceof double[] a) {
      return Arrays.toString(a);
    }
    return d.toString();
  }

  /** Rows (the first is the header) as aligned columns; the last column is not padded. */
  static String table(List<String[]> rows) {
    int columns = rows.get(0).length;
    int[] width = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < columns; i++) {
        width[i] = Math.max(width[i], cell(row, i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        String text = cell(row, i);
        line.append(text);
        if (i < columns - 1) {
          line.append(" ".repeat(width[i] - text.length() + 2));
        }
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }

  private static String cell(String[] row, int i) {
    String text = i < row.length && row[i] != null ? row[i] : "";
    return text.replace('\n', ' ');
  }
}
