package dev.regimen.core.script;

import dev.regimen.api.train.History;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyHashMap;
import org.graalvm.polyglot.proxy.ProxyIterator;
import org.graalvm.polyglot.proxy.ProxyObject;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Conversions between script values and Java: what a script passes in (JavaScript objects and
 * arrays, Python dicts and lists, numbers, strings, functions, Regimen handles) becomes plain Java
 * data, and what the API returns (metrics, histories, predictions) becomes a {@link ScriptObject} or
 * {@link ScriptList}: a JavaScript object and array ({@code h.loss[0]}, {@code JSON.stringify(h)})
 * and a Python dict and list at once.
 */
final class Values {
  private Values() {}

  /** A value that stands for a Java object in scripts and unwraps to it ({@code rg.layer(...)} gives a layer). */
  interface Handle {
    Object unwrap();
  }

  /**
   * Plain Java data for a script value: {@code null}, Boolean, Integer (or Long) for whole numbers
   * that fit, Double, String, List, Map with String keys (JavaScript objects and Python dicts),
   * {@link Handle}s as their Java object when {@code unwrap} is set (else the handle), and functions
   * as the {@link Value} itself.
   */
  static Object toJava(Value v, boolean unwrap) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    if (v.isNumber()) {
      if (v.fitsInInt()) {
        return v.asInt();
      }
      if (v.fitsInLong()) {
        return v.asLong();
      }
      return v.asDouble();
    }
    if (v.isString()) {
      return v.asString();
    }
    if (v.isHostObject()) {
      Object host = v.asHostObject();
      return unwrap && host instanceof Handle h ? h.unwrap() : host;
    }
    if (v.isProxyObject()) {
      Object proxy = v.asProxyObject();
      if (proxy instanceof ScriptObject || proxy instanceof ScriptList) {
        return fromGuest(proxy);
      }
    }
    if (v.canExecute()) {
      return v;
    }
    if (v.hasArrayElements()) {
      List<Object> out = new ArrayList<>();
      for (long i = 0; i < v.getArraySize(); i++) {
        out.add(toJava(v.getArrayElement(i), unwrap));
      }
      return out;
    }
    if (v.hasHashEntries()) {
      Map<String, Object> out = new LinkedHashMap<>();
      Value it = v.getHashEntriesIterator();
      while (it.hasIteratorNextElement()) {
        Value entry = it.getIteratorNextElement();
        Value key = entry.getArrayElement(0);
        // A Python str key is a foreign string: asString(), since its toString() names its class.
        out.put(key.isString() ? key.asString() : key.toString(), toJava(entry.getArrayElement(1), unwrap));
      }
      return out;
    }
    if (v.hasMembers()) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (String key : v.getMemberKeys()) {
        out.put(key, toJava(v.getMember(key), unwrap));
      }
      return out;
    }
    return v.toString();
  }

  /** Plain Java data for what {@link #toGuest} made (a proxy handed back by the script). */
  static Object fromGuest(Object value) {
    if (value instanceof ScriptObject o) {
      Map<String, Object> out = new LinkedHashMap<>();
      o.map.forEach((k, v) -> out.put(k, fromGuest(v)));
      return out;
    }
    if (value instanceof ScriptList l) {
      List<Object> out = new ArrayList<>();
      for (Object item : l.items) {
        out.add(fromGuest(item));
      }
      return out;
    }
    return value;
  }

  /** The Java objects behind handles, through lists and maps: what component factories take. */
  static Object unwrap(Object value) {
    if (value instanceof Handle h) {
      return h.unwrap();
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), unwrap(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      for (Object item : list) {
        out.add(unwrap(item));
      }
      return out;
    }
    return value;
  }

  /**
   * The options of a call as a map with snake_case keys ({@code batchSize} and {@code batch_size} are
   * the same option), values converted by {@link #toJava}; {@code null} or absent gives an empty map.
   */
  static Map<String, Object> options(String call, Value options, boolean unwrap) {
    return options(call, options, unwrap, true);
  }

  /**
   * As {@link #options(String, Value, boolean)}; with {@code snake} false the keys stay as the script
   * wrote them (component factories accept both spellings and echo the user's in their messages).
   */
  static Map<String, Object> options(String call, Value options, boolean unwrap, boolean snake) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (options == null || options.isNull()) {
      return out;
    }
    Object converted = toJava(options, unwrap);
    if (!(converted instanceof Map<?, ?> map)) {
      throw new ScriptApiException(call + " takes its options as an object (Python: keyword arguments). Received: "
          + describe(converted));
    }
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = snake ? snakeCase(e.getKey().toString()) : e.getKey().toString();
      if (out.containsKey(key)) {
        throw new ScriptApiException(call + ": option '" + key + "' is given twice");
      }
      out.put(key, e.getValue());
    }
    return out;
  }

  static String snakeCase(String name) {
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

  /** How to echo a received value in a message. */
  static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String s) {
      return "'" + s + "'";
    }
    if (value instanceof Value v) {
      // Converted first: a guest string's own toString() may name its class (TruffleString).
      return v.isNull() ? "null" : v.canExecute() ? "a function" : describe(toJava(v, false));
    }
    if (value instanceof Handle h) {
      return h.toString();
    }
    return value.toString();
  }

  /** What the API returns to scripts: maps and lists become proxies, the rest passes as it is. */
  static Object toGuest(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), toGuest(v)));
      return new ScriptObject(out);
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object item : list) {
        out.add(toGuest(item));
      }
      return new ScriptList(out);
    }
    if (value instanceof double[] a) {
      List<Object> out = new ArrayList<>(a.length);
      for (double d : a) {
        out.add(d);
      }
      return new ScriptList(out);
    }
    if (value instanceof int[] a) {
      List<Object> out = new ArrayList<>(a.length);
      for (int i : a) {
        out.add(i);
      }
      return new ScriptList(out);
    }
    return value;
  }

  /** A history as {@code metric -> [value per epoch]}. */
  static Map<String, Object> history(History history) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String metric : history.metrics()) {
      out.put(metric, new ArrayList<Object>(history.series(metric)));
    }
    return out;
  }

  /**
   * An array as nested lists, one level per dimension ({@code [N, K]} gives N rows of K numbers); a
   * rank-1 array of whole numbers (class labels) gives integers.
   */
  static Object nested(INDArray array) {
    INDArray a = array.dataType() == DataType.DOUBLE ? array : array.castTo(DataType.DOUBLE);
    double[] flat = a.dup('c').data().asDouble();
    long[] shape = a.shape();
    if (shape.length == 0) {
      return flat[0];
    }
    boolean labels = shape.length == 1;
    if (labels) {
      for (double d : flat) {
        if (d != Math.rint(d)) {
          labels = false;
          break;
        }
      }
    }
    return nested(flat, shape, 0, 0, labels);
  }

  private static Object nested(double[] flat, long[] shape, int dim, int offset, boolean ints) {
    int n = (int) shape[dim];
    List<Object> out = new ArrayList<>(n);
    if (dim == shape.length - 1) {
      for (int i = 0; i < n; i++) {
        double d = flat[offset + i];
        out.add(ints ? (Object) (int) d : (Object) d);
      }
      return new ScriptList(out);
    }
    int stride = 1;
    for (int d = dim + 1; d < shape.length; d++) {
      stride *= (int) shape[d];
    }
    for (int i = 0; i < n; i++) {
      out.add(nested(flat, shape, dim + 1, offset + i * stride, false));
    }
    return new ScriptList(out);
  }

  /**
   * An array from nested script lists of numbers (or one number); its shape is {@code like}'s when
   * the counts agree (a script may return rows flattened), else the nesting's.
   */
  static INDArray array(String what, Value value, long[] like, DataType type) {
    List<Double> flat = new ArrayList<>();
    List<Long> shape = new ArrayList<>();
    flatten(what, value, 0, shape, flat);
    double[] data = new double[flat.size()];
    for (int i = 0; i < data.length; i++) {
      data[i] = flat.get(i);
    }
    long count = 1;
    for (long d : like) {
      count *= d;
    }
    long[] dims = count == data.length ? like : shape.stream().mapToLong(Long::longValue).toArray();
    return Nd4j.create(data, dims, 'c').castTo(type);
  }

  private static void flatten(String what, Value v, int depth, List<Long> shape, List<Double> out) {
    if (v.isNumber()) {
      out.add(v.asDouble());
      return;
    }
    if (v.isHostObject() || !v.hasArrayElements()) {
      throw new ScriptApiException(what + " must be numbers or (nested) lists of numbers. Received: " + describe(v));
    }
    long size = v.getArraySize();
    if (shape.size() <= depth) {
      shape.add(size);
    }
    for (long i = 0; i < size; i++) {
      flatten(what, v.getArrayElement(i), depth + 1, shape, out);
    }
  }

  /** A function's name for listings: JavaScript's {@code name} or Python's {@code __name__}, else the default. */
  static String functionName(Value fn, String fallback) {
    for (String member : new String[] {"__name__", "name"}) {
      try {
        if (fn.hasMember(member)) {
          Value name = fn.getMember(member);
          if (name != null && name.isString() && !name.asString().isBlank() && !name.asString().equals("<lambda>")
              && !name.asString().equals("adapter")) {
            return name.asString();
          }
        }
      } catch (RuntimeException e) {
        // Not readable in this language: use the fallback.
      }
    }
    return fallback;
  }

  /**
   * A map for scripts: members in JavaScript ({@code e.metrics.val_loss}, {@code Object.keys},
   * {@code JSON.stringify}) and hash entries in Python (a dict).
   */
  static final class ScriptObject implements ProxyObject, ProxyHashMap {
    final Map<String, Object> map;

    ScriptObject(Map<String, Object> map) {
      this.map = map;
    }

    @Override
    public Object getMember(String key) {
      return map.get(key);
    }

    @Override
    public Object getMemberKeys() {
      return new ScriptList(new ArrayList<>(map.keySet()));
    }

    @Override
    public boolean hasMember(String key) {
      return map.containsKey(key);
    }

    @Override
    public void putMember(String key, Value value) {
      map.put(key, toGuest(toJava(value, false)));
    }

    @Override
    public boolean removeMember(String key) {
      return map.remove(key) != null;
    }

    @Override
    public long getHashSize() {
      return map.size();
    }

    @Override
    public boolean hasHashEntry(Value key) {
      return key.isString() && map.containsKey(key.asString());
    }

    @Override
    public Object getHashValue(Value key) {
      return key.isString() ? map.get(key.asString()) : null;
    }

    @Override
    public void putHashEntry(Value key, Value value) {
      putMember(key.toString(), value);
    }

    @Override
    public boolean removeHashEntry(Value key) {
      return removeMember(key.toString());
    }

    @Override
    public Object getHashEntriesIterator() {
      Iterator<Map.Entry<String, Object>> it = new ArrayList<>(map.entrySet()).iterator();
      return ProxyIterator.from(new Iterator<Object>() {
        @Override
        public boolean hasNext() {
          return it.hasNext();
        }

        @Override
        public Object next() {
          Map.Entry<String, Object> e = it.next();
          return ProxyArray.fromArray(e.getKey(), e.getValue());
        }
      });
    }

    @Override
    public String toString() {
      return map.toString();
    }
  }

  /** A list for scripts: an array in JavaScript, a list in Python. */
  static final class ScriptList implements ProxyArray {
    final List<Object> items;

    ScriptList(List<Object> items) {
      this.items = items;
    }

    @Override
    public Object get(long index) {
      if (index < 0 || index >= items.size()) {
        throw new ArrayIndexOutOfBoundsException("Index " + index + " is outside a list of " + items.size());
      }
      return items.get((int) index);
    }

    @Override
    public void set(long index, Value value) {
      items.set((int) index, toGuest(toJava(value, false)));
    }

    @Override
    public long getSize() {
      return items.size();
    }

    @Override
    public String toString() {
      return items.toString();
    }
  }
}
