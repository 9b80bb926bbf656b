package dev.regimen.core.distributed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A component as a worker makes it again: its registry name and its options as JSON, the way a script asked for
 * it ({@code rg.optimizer('adam', {lr: 1e-3})}) and a training's record describes it.
 *
 * @param name the component's name ({@code adam})
 * @param optionsJson its options, a JSON object
 */
public record ComponentSpec(String name, String optionsJson) implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();

  public ComponentSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(optionsJson, "optionsJson");
  }

  /**
   * The spec of a component made from {@code name} and {@code options}. Options must be plain data (numbers,
   * strings, booleans, lists and maps of them), since a worker gets them as JSON.
   *
   * @param what the component's role in messages ({@code "the loss"})
   * @throws IllegalArgumentException for an option that is not plain data, naming it
   */
  public static ComponentSpec of(String name, Map<String, ?> options, String what) {
    for (Map.Entry<String, ?> e : options.entrySet()) {
      if (!plain(e.getValue())) {
        throw new IllegalArgumentException("Distributed training makes " + what + " '" + name + "' again on every"
            + " worker from its name and options, but its option '" + e.getKey() + "' is "
            + e.getValue().getClass().getSimpleName() + " (" + e.getValue() + "), not plain data (numbers, strings,"
            + " booleans, lists); give it by name and plain options, or train without 'distributed'");
      }
    }
    try {
      return new ComponentSpec(name, JSON.writeValueAsString(options));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("The options of " + what + " '" + name + "' cannot be written as JSON: "
          + e.getOriginalMessage(), e);
    }
  }

  /** The options, read back from JSON. */
  public Map<String, Object> options() {
    try {
      return JSON.readValue(optionsJson, new TypeReference<LinkedHashMap<String, Object>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("The options of component '" + name + "' are not a JSON object: "
          + optionsJson, e);
    }
  }

  private static boolean plain(Object value) {
    if (value == null || value instanceof Number || value instanceof String || value instanceof Boolean) {
      return true;
    }
    if (value instanceof List<?> list) {
      return list.stream().allMatch(ComponentSpec::plain);
    }
    if (value instanceof Map<?, ?> map) {
      return map.keySet().stream().allMatch(k -> k instanceof String) && map.values().stream()
          .allMatch(ComponentSpec::plain);
    }
    return false;
  }
}
