package dev.regimen.core.proto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProtoWriterTest {
  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  @Test
  void encodesTheExamplesOfTheProtobufEncodingGuide() {
    // "message Test1 { int32 a = 1; }" with a = 150 is 08 96 01; "Test2 { string b = 2; }" with "testing".
    assertArrayEquals(hex("08 96 01"), new ProtoWriter().varint(1, 150).toByteArray());
    assertArrayEquals(hex("12 07 74 65 73 74 69 6e 67"), new ProtoWriter().string(2, "testing").toByteArray());
    // "Test3 { Test1 c = 3; }" embeds Test1 as a length-delimited field.
    assertArrayEquals(hex("1a 03 08 96 01"),
        new ProtoWriter().message(3, new ProtoWriter().varint(1, 150)).toByteArray());
    // A negative int64 takes ten bytes; a double and a float are little-endian.
    assertArrayEquals(hex("08 ff ff ff ff ff ff ff ff ff 01"), new ProtoWriter().varint(1, -1).toByteArray());
    assertArrayEquals(hex("09 00 00 00 00 00 00 f0 3f"), new ProtoWriter().float64(1, 1.0).toByteArray());
    assertArrayEquals(hex("15 00 00 80 3f"), new ProtoWriter().float32(2, 1.0f).toByteArray());
  }

  @Test
  void readsBackThroughTheIndependentReader() {
    byte[] bytes = new ProtoWriter().varint(2, 1L << 40).float64(1, 0.1).string(3, "päd")
        .message(5, new ProtoWriter().float32(2, 0.25f)).varint(7, 4).varint(7, 5).toByteArray();
    ProtoReader back = new ProtoReader(bytes);
    assertEquals(1L << 40, back.varint(2));
    assertEquals(0.1, back.float64(1));
    assertEquals("päd", back.string(3));
    assertEquals(0.25f, back.message(5).float32(2));
    assertEquals(List.of(4L, 5L), back.all(7));
  }

  @Test
  void rejectsAFieldNumberOutOfRange() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ProtoWriter().varint(0, 1));
    assertEquals("A protobuf field number must be in 1..2^29-1; received: 0", e.getMessage());
  }
}
