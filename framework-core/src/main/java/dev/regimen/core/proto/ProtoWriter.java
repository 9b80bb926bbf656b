package dev.regimen.core.proto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Encodes one Protocol Buffers message, field by field, in the order the calls are made (the wire format
 * of https://protobuf.dev/programming-guides/encoding/). Each field is a key, {@code (number << 3) |
 * wire type}, as a varint, then its value: a varint (wire type 0) for integers and enums, eight
 * little-endian bytes (type 1) for a double, four (type 5) for a float, and a varint length followed by the
 * bytes (type 2) for strings, bytes and embedded messages.
 *
 * <p>Integers are written as plain varints ({@code int32}, {@code int64}, {@code uint64}, {@code bool}
 * and enum fields; negative values take ten bytes, as protobuf specifies); there are no zig-zag
 * ({@code sint*}) fields in the formats Regimen writes. A repeated field is written by calling the method
 * once per element, which every parser reads, packed or not. Unset fields are simply not written: a
 * proto3 reader sees their default.
 *
 * <pre>{@code
 * byte[] value = new ProtoWriter().string(1, "loss").float32(2, 0.25f).toByteArray();
 * byte[] summary = new ProtoWriter().message(1, value).toByteArray();
 * }</pre>
 */
public final class ProtoWriter {
  private static final int VARINT = 0;
  private static final int FIXED64 = 1;
  private static final int LENGTH_DELIMITED = 2;
  private static final int FIXED32 = 5;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** An integer, bool or enum field. */
  public ProtoWriter varint(int field, long value) {
    key(field, VARINT);
    rawVarint(value);
    return this;
  }

  /** A {@code double} field. */
  public ProtoWriter float64(int field, double value) {
    key(field, FIXED64);
    long bits = Double.doubleToRawLongBits(value);
    for (int i = 0; i < 8; i++) {
      out.write((int) (bits >>> (8 * i)));
    }
    return this;
  }

  /** A {@code float} field. */
  public ProtoWriter float32(int field, float value) {
    key(field, FIXED32);
    int bits = Float.floatToRawIntBits(value);
    for (int i = 0; i < 4; i++) {
      out.write(bits >>> (8 * i));
    }
    return this;
  }

  /** A {@code string} field, in UTF-8. */
  public ProtoWriter string(int field, String value) {
    return bytes(field, value.getBytes(StandardCharsets.UTF_8));
  }

  /** A {@code bytes} field, or an embedded message already encoded. */
  public ProtoWriter bytes(int field, byte[] value) {
    Objects.requireNonNull(value, "value");
    key(field, LENGTH_DELIMITED);
    rawVarint(value.length);
    out.writeBytes(value);
    return this;
  }

  /** An embedded message. */
  public ProtoWriter message(int field, ProtoWriter message) {
    return bytes(field, message.toByteArray());
  }

  /** The encoded message so far. */
  public byte[] toByteArray() {
    return out.toByteArray();
  }

  /** The number of bytes written so far. */
  public int size() {
    return out.size();
  }

  private void key(int field, int wireType) {
    if (field < 1 || field > 0x1FFF_FFFF) {
      throw new IllegalArgumentException("A protobuf field number must be in 1..2^29-1; received: " + field);
    }
    rawVarint(((long) field << 3) | wireType);
  }

  private void rawVarint(long value) {
    while ((value & ~0x7FL) != 0) {
      out.write((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
  }
}
