package dev.regimen.core.distributed;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The trainer option {@code distributed}: which engine trains the model data-parallel, and how.
 *
 * @param engine the engine's name ({@code spark})
 * @param master where the engine runs ({@code local[2]}, {@code spark://host:7077}); {@code null} lets the engine
 *     choose (a running Spark context's master, else {@code local[workers]})
 * @param workers how many shards each batch is split into, one task each; at least 1
 * @param sync {@link Sync#GRADIENTS} or {@link Sync#AVERAGE}
 * @param every for {@code average}, the local steps between two averagings (at least 1); 1 for {@code gradients}
 */
public record DistributedOptions(String engine, String master, int workers, Sync sync, int every)
    implements Serializable {

  private static final long serialVersionUID = 1L;

  /** The option's keys, in snake_case (camelCase is accepted too). */
  public static final List<String> KEYS = List.of("engine", "master", "workers", "sync", "every");

  /** How the workers' work is combined. */
  public enum Sync {
    /** Sum the workers' gradients every step: one process on the combined batch. */
    GRADIENTS("gradients"),
    /** Average the workers' parameters (and optimizer state) every {@code every} local steps. */
    AVERAGE("average");

    private final String id;

    Sync(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }

    /** The sync of a script's value, or an error naming the option and the known values. */
    public static Sync of(String value, String option) {
      for (Sync s : values()) {
        if (s.id.equals(value)) {
          return s;
        }
      }
      throw new IllegalArgumentException(option + " must be 'gradients' or 'average'. Received: "
          + (value == null ? "null" : "'" + value + "'"));
    }
  }

  public DistributedOptions {
    if (engine == null || engine.isBlank()) {
      throw new IllegalArgumentException("distributed.engine must name an engine, e.g. 'spark'. Received: "
          + (engine == null ? "null" : "'" + engine + "'"));
    }
    if (master != null && master.isBlank()) {
      throw new IllegalArgumentException("distributed.master must be a master URL such as 'local[2]' or"
          + " 'spark://host:7077', or be left out. Received: ''");
    }
    if (workers < 1) {
      throw new IllegalArgumentException("distributed.workers must be at least 1. Received: workers=" + workers);
    }
    Objects.requireNonNull(sync, "sync");
    if (every < 1) {
      throw new IllegalArgumentException("distributed.every must be at least 1. Received: every=" + every);
    }
    if (sync == Sync.GRADIENTS && every != 1) {
      throw new IllegalArgumentException("distributed.every sets the local steps between averagings of sync:"
          + " 'average'; sync: 'gradients' sums the gradients every step. Received: sync='gradients', every=" + every);
    }
  }

  /**
   * The options of a script's {@code distributed: {...}} map (keys in snake_case or camelCase), with the
   * defaults: {@code sync: 'gradients'}, {@code every: 1}, {@code workers: 2}, no master.
   *
   * @param where the option's name in messages ({@code "Option 'distributed' of rg.trainer"})
   * @throws IllegalArgumentException for an unknown key or a bad value, naming it
   */
  public static DistributedOptions fromMap(Map<String, ?> raw, String where) {
    Map<String, Object> options = new LinkedHashMap<>();
    for (Map.Entry<String, ?> e : raw.entrySet()) {
      String key = snakeCase(e.getKey());
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException(where + " has no key '" + e.getKey() + "'. Known keys: "
            + String.join(", ", KEYS));
      }
      options.put(key, e.getValue());
    }
    String engine = string(options, "engine", where);
    if (engine == null) {
      throw new IllegalArgumentException(where + " needs an engine: distributed: {engine: 'spark', ...}");
    }
    String master = string(options, "master", where);
    String sync = string(options, "sync", where);
    return new DistributedOptions(engine, master, integer(options, "workers", 2, where),
        sync == null ? Sync.GRADIENTS : Sync.of(sync, "distributed.sync"), integer(options, "every", 1, where));
  }

  /** {@code {engine, master, workers, sync, every}} for a training's record. */
  public Map<String, Object> describe() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("engine", engine);
    out.put("master", master);
    out.put("workers", workers);
    out.put("sync", sync.id());
    out.put("every", every);
    return out;
  }

  private static String string(Map<String, Object> options, String key, String where) {
    Object value = options.get(key);
    if (value == null) {
      return null;
    }
    if (value instanceof String s && !s.isBlank()) {
      return s;
    }
    throw new IllegalArgumentException(where + ": distributed." + key + " must be a non-empty string. Received: "
        + key + "=" + value);
  }

  private static int integer(Map<String, Object> options, String key, int defaultValue, String where) {
    Object value = options.get(key);
    if (value == null) {
      return defaultValue;
    }
    if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
        && Math.abs(n.doubleValue()) <= Integer.MAX_VALUE) {
      return n.intValue();
    }
    throw new IllegalArgumentException(where + ": distributed." + key + " must be an integer. Received: " + key + "="
        + value);
  }

  private static String snakeCase(String name) {
    StringBuilder out = new StringBuilder();
    for (char c : name.toCharArray()) {
      if (Character.isUpperCase(c)) {
        out.append('_').append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
