package dev.regimen.core.proto;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes one Protocol Buffers message into its fields, the reverse of {@link ProtoWriter} (and written
 * apart from it, so that tests reading back what Regimen wrote check the encoding): each field number
 * maps to its values in order, a varint as a {@code Long}, a fixed64 as a {@code Long} of its bits, a
 * fixed32 as an {@code Integer} of its bits, and a length-delimited field as its {@code byte[]} (decode it
 * again for an embedded message). A truncated or malformed message throws {@link IllegalArgumentException}.
 */
public final class ProtoReader {
  private final Map<Integer, List<Object>> fields = new LinkedHashMap<>();

  public ProtoReader(byte[] message) {
    try {
      parse(message);
    } catch (ArrayIndexOutOfBoundsException e) {
      throw new IllegalArgumentException("A truncated protobuf message of " + message.length + " bytes", e);
    }
  }

  private void parse(byte[] message) {
    int[] pos = {0};
    while (pos[0] < message.length) {
      long key = varint(message, pos);
      int field = (int) (key >>> 3);
      Object value = switch ((int) (key & 7)) {
        case 0 -> varint(message, pos);
        case 1 -> {
          long bits = 0;
          for (int i = 0; i < 8; i++) {
            bits |= (message[pos[0] + i] & 0xFFL) << (8 * i);
          }
          pos[0] += 8;
          yield bits;
        }
        case 2 -> {
          int length = (int) varint(message, pos);
          if (length < 0 || pos[0] + length > message.length) {
            throw new ArrayIndexOutOfBoundsException(pos[0] + length);
          }
          byte[] bytes = Arrays.copyOfRange(message, pos[0], pos[0] + length);
          pos[0] += length;
          yield bytes;
        }
        case 5 -> {
          int bits = 0;
          for (int i = 0; i < 4; i++) {
            bits |= (message[pos[0] + i] & 0xFF) << (8 * i);
          }
          pos[0] += 4;
          yield bits;
        }
        default -> throw new IllegalArgumentException("Unknown wire type in key " + key + " at " + pos[0]);
      };
      fields.computeIfAbsent(field, f -> new ArrayList<>()).add(value);
    }
  }

  /** Every value of a field, in order (empty if absent). */
  public List<Object> all(int field) {
    return fields.getOrDefault(field, List.of());
  }

  public boolean has(int field) {
    return fields.containsKey(field);
  }

  public long varint(int field) {
    return (Long) single(field);
  }

  public double float64(int field) {
    return Double.longBitsToDouble((Long) single(field));
  }

  public float float32(int field) {
    return Float.intBitsToFloat((Integer) single(field));
  }

  public String string(int field) {
    return new String((byte[]) single(field), StandardCharsets.UTF_8);
  }

  public byte[] bytes(int field) {
    return (byte[]) single(field);
  }

  public ProtoReader message(int field) {
    return new ProtoReader(bytes(field));
  }

  /** Every value of a repeated message field, decoded. */
  public List<ProtoReader> messages(int field) {
    return all(field).stream().map(b -> new ProtoReader((byte[]) b)).toList();
  }

  /** Every value of a repeated string field. */
  public List<String> strings(int field) {
    return all(field).stream().map(b -> new String((byte[]) b, StandardCharsets.UTF_8)).toList();
  }

  private Object single(int field) {
    List<Object> values = all(field);
    if (values.size() != 1) {
      throw new IllegalArgumentException("Field " + field + " has " + values.size() + " values; fields: "
          + fields.keySet());
    }
    return values.get(0);
  }

  private static long varint(byte[] bytes, int[] pos) {
    long value = 0;
    for (int shift = 0; ; shift += 7) {
      byte b = bytes[pos[0]++];
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
  }
}
