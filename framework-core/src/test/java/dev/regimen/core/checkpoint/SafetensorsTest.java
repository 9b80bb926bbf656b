package dev.regimen.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SafetensorsTest {

  @TempDir Path dir;

  // ------------------------------------------------------------ files built by hand

  /** The 8-byte little-endian length, the header padded with spaces to 8, then the data. */
  static byte[] file(String headerJson, byte[] data) {
    byte[] header = headerJson.getBytes(StandardCharsets.UTF_8);
    int padded = (header.length + 7) / 8 * 8;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long n = padded;
    for (int i = 0; i < 8; i++) {
      out.write((int) (n >>> (8 * i)) & 0xff);
    }
    out.write(header, 0, header.length);
    for (int i = header.length; i < padded; i++) {
      out.write(' ');
    }
    out.write(data, 0, data.length);
    return out.toByteArray();
  }

  static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.write(p, 0, p.length);
    }
    return out.toByteArray();
  }

  /** 0f..5f as IEEE 754 little-endian bytes, written out literally. */
  static final byte[] FLOATS_0_TO_5 =
      bytes(0, 0, 0, 0, 0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64);

  /**
   * The reference implementation's own test vector (safetensors/src/tensor.rs,
   * test_serialization_forced_alignement): one F32 tensor "attn0" of shape [1, 1, 2, 3] holding 0..5;
   * its 65-byte header is padded with 7 spaces to 72.
   */
  static final String ATTN0_HEADER =
      "{\"attn0\":{\"dtype\":\"F32\",\"shape\":[1,1,2,3],\"data_offsets\":[0,24]}}";

  @Test
  void handBuiltFileHasTheReferenceLayout() {
    byte[] f = file(ATTN0_HEADER, FLOATS_0_TO_5);
    assertEquals(8 + 72 + 24, f.length);
    assertEquals(72, f[0]);
    assertEquals(' ', f[8 + 71]);
    assertEquals(' ', f[8 + 65]);
    assertEquals('}', f[8 + 64]);
  }

  @Test
  void readsAFileBuiltByHand() throws IOException {
    byte[] f64 = bytes(0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0, 0, 0, 0, 0, 0, 4, 0xc0); // 1.0, -2.5
    byte[] i64 = bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f); // Long.MAX_VALUE
    byte[] i32 = bytes(0xfe, 0xff, 0xff, 0xff, 7, 0, 0, 0); // -2, 7
    // Keys deliberately not in data order; __metadata__ last.
    String header =
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[24,48]},"
            + "\"step\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[16,24]},"
            + "\"d\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]},"
            + "\"idx\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[48,56]},"
            + "\"__metadata__\":{\"format\":\"pt\",\"note\":\"é\"}}";
    Path file = dir.resolve("hand.safetensors");
    Files.write(file, file(header, concat(f64, i64, FLOATS_0_TO_5, i32)));

    Map<String, INDArray> read = Safetensors.read(file);
    assertEquals(List.of("d", "step", "w", "idx"), new ArrayList<>(read.keySet()), "data order");

    INDArray d = read.get("d");
    assertEquals(DataType.DOUBLE, d.dataType());
    assertArrayEquals(new long[] {2}, d.shape());
    assertArrayEquals(new double[] {1.0, -2.5}, d.toDoubleVector());

    INDArray step = read.get("step");
    assertEquals(DataType.INT64, step.dataType());
    assertEquals(0, step.rank());
    assertEquals(Long.MAX_VALUE, step.getLong(0));

    INDArray w = read.get("w");
    assertEquals(DataType.FLOAT, w.dataType());
    assertArrayEquals(new long[] {2, 3}, w.shape());
    assertEquals(3f, w.getFloat(1, 0)); // C order: row 1 starts with the fourth value
    assertEquals(5f, w.getFloat(1, 2));

    INDArray idx = read.get("idx");
    assertEquals(DataType.INT32, idx.dataType());
    assertArrayEquals(new int[] {-2, 7}, idx.toIntVector());

    assertEquals(Map.of("format", "pt", "note", "é"), Safetensors.readMetadata(file));
  }

  @Test
  void writerReproducesTheReferenceTestVector() throws IOException {
    INDArray attn0 = Nd4j.arange(0, 6).castTo(DataType.FLOAT).reshape(1, 1, 2, 3);
    Path file = dir.resolve("attn0.safetensors");
    Safetensors.write(file, Map.of("attn0", attn0), null);
    assertArrayEquals(file(ATTN0_HEADER, FLOATS_0_TO_5), Files.readAllBytes(file));
  }

  @Test
  void writerReproducesTheReferenceEmptyFiles() throws IOException {
    // Also from tensor.rs (test_empty): no tensors, without and with metadata.
    Path empty = dir.resolve("empty.safetensors");
    Safetensors.write(empty, Map.of(), Map.of());
    assertArrayEquals(
        bytes(8, 0, 0, 0, 0, 0, 0, 0, '{', '}', ' ', ' ', ' ', ' ', ' ', ' '),
        Files.readAllBytes(empty));
    Path withMetadata = dir.resolve("meta.safetensors");
    Safetensors.write(withMetadata, Map.of(), Map.of("framework", "pt"));
    byte[] expected = file("{\"__metadata__\":{\"framework\":\"pt\"}}", new byte[0]);
    assertEquals(40, expected[0]);
    assertArrayEquals(expected, Files.readAllBytes(withMetadata));
    assertTrue(Safetensors.read(withMetadata).isEmpty());
    assertEquals(Map.of("framework", "pt"), Safetensors.readMetadata(withMetadata));
  }

  @Test
  void writerLaysOutByDescendingDtypeThenNameLikeTheReference() throws IOException {
    Map<String, INDArray> tensors = new LinkedHashMap<>();
    tensors.put("b", Nd4j.createFromArray(1f, 2f, 3f)); // 12 bytes: would misalign what follows
    tensors.put("a", Nd4j.createFromArray(0.5f));
    tensors.put("step", Nd4j.scalar(DataType.INT64, 3));
    tensors.put("mean", Nd4j.createFromArray(-1.0, 2.0));
    tensors.put("mask", Nd4j.createFromArray(true, false));
    Path file = dir.resolve("order.safetensors");
    Safetensors.write(file, tensors, Map.of("z", "1", "a", "2"));

    String header =
        "{\"__metadata__\":{\"a\":\"2\",\"z\":\"1\"},"
            + "\"step\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,8]},"
            + "\"mean\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[8,24]},"
            + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[24,28]},"
            + "\"b\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[28,40]},"
            + "\"mask\":{\"dtype\":\"BOOL\",\"shape\":[2],\"data_offsets\":[40,42]}}";
    byte[] data =
        concat(
            bytes(3, 0, 0, 0, 0, 0, 0, 0),
            bytes(0, 0, 0, 0, 0, 0, 0xf0, 0xbf, 0, 0, 0, 0, 0, 0, 0, 0x40),
            bytes(0, 0, 0, 0x3f),
            bytes(0, 0, 0x80, 0x3f, 0, 0, 0, 0x40, 0, 0, 0x40, 0x40),
            bytes(1, 0));
    assertArrayEquals(file(header, data), Files.readAllBytes(file));
  }

  // ------------------------------------------------------------ round trips

  @Test
  void everyDtypeRoundTripsBitForBit() {
    Random random = new Random(42);
    Map<String, INDArray> tensors = new LinkedHashMap<>();
    for (Safetensors.Dtype dtype : Safetensors.Dtype.values()) {
      tensors.put("t_" + dtype, randomArray(dtype, new long[] {3, 5}, random));
    }
    Path file = dir.resolve("all.safetensors");
    Safetensors.write(file, tensors, Map.of());
    Map<String, INDArray> read = Safetensors.read(file);
    assertEquals(tensors.keySet(), read.keySet());
    for (Map.Entry<String, INDArray> e : tensors.entrySet()) {
      assertSameBits(e.getValue(), read.get(e.getKey()), e.getKey());
    }
  }

  @Test
  void specialFloatsViewsScalarsAndEmptyArraysRoundTrip() {
    INDArray specials =
        Nd4j.createFromArray(
            Float.NaN,
            Float.intBitsToFloat(0x7fc00001), // a NaN with a payload
            -0.0f,
            Float.MIN_VALUE,
            Float.NEGATIVE_INFINITY,
            Float.MAX_VALUE);
    INDArray matrix = Nd4j.arange(0, 12).castTo(DataType.DOUBLE).reshape(3, 4);
    Map<String, INDArray> tensors = new LinkedHashMap<>();
    tensors.put("specials", specials);
    tensors.put("row_view", matrix.getRow(1));
    tensors.put("column_view", matrix.getColumn(2));
    tensors.put("transposed", matrix.transpose());
    tensors.put("fortran", matrix.dup('f'));
    tensors.put("scalar", Nd4j.scalar(2.5f));
    tensors.put("empty", Nd4j.create(DataType.FLOAT, 0, 3));
    Path file = dir.resolve("special.safetensors");
    Safetensors.write(file, tensors, null);
    Map<String, INDArray> read = Safetensors.read(file);
    for (Map.Entry<String, INDArray> e : tensors.entrySet()) {
      assertSameBits(e.getValue(), read.get(e.getKey()), e.getKey());
    }
    assertEquals(5.0, read.get("row_view").getDouble(1)); // row 1 is 4, 5, 6, 7
    assertArrayEquals(new long[] {4, 3}, read.get("transposed").shape());
    assertEquals(4.0, read.get("transposed").getDouble(0, 1));
    assertEquals(0, read.get("scalar").rank());
    assertTrue(read.get("empty").isEmpty());
    assertArrayEquals(new long[] {0, 3}, read.get("empty").shape());
  }

  @Test
  void aLargeArrayRoundTrips() {
    INDArray big = Nd4j.rand(DataType.FLOAT, 512, 1024);
    Path file = dir.resolve("big.safetensors");
    Safetensors.write(file, Map.of("big", big), null);
    assertSameBits(big, Safetensors.read(file).get("big"), "big");
  }

  @Test
  void headerReportsTheLayout() {
    Path file = dir.resolve("h.safetensors");
    Safetensors.write(file, Map.of("x", Nd4j.zeros(DataType.DOUBLE, 2, 2)), Map.of("k", "v"));
    Safetensors.Header header = Safetensors.readHeader(file);
    assertEquals(0, header.length() % 8);
    Safetensors.TensorInfo x = header.tensors().get("x");
    assertEquals(Safetensors.Dtype.F64, x.dtype());
    assertArrayEquals(new long[] {2, 2}, x.shape());
    assertEquals(0, x.begin());
    assertEquals(32, x.end());
    assertEquals(4, x.elementCount());
    assertEquals(Map.of("k", "v"), header.metadata());
  }

  // ------------------------------------------------------------ validation

  static final byte[] ONE_F32 = bytes(0, 0, 0x80, 0x3f);

  private CheckpointException readFails(String name, byte[] content) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, content);
    CheckpointException e = assertThrows(CheckpointException.class, () -> Safetensors.read(file));
    assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
    return e;
  }

  private static void assertMentions(CheckpointException e, String... parts) {
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), "'" + part + "' in: " + e.getMessage());
    }
  }

  @Test
  void headerLengthBeyondTheFileIsRejected() throws IOException {
    byte[] f = file("{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", ONE_F32);
    f[0] = (byte) 0xf0; // 240 + the real length's other bytes: far beyond the file
    f[1] = 0x10;
    assertMentions(readFails("long-header.safetensors", f), "beyond the file size");
    byte[] huge = f.clone();
    for (int i = 0; i < 8; i++) {
      huge[i] = (byte) 0xff; // 2^64 - 1, negative as a Java long
    }
    assertMentions(readFails("huge-header.safetensors", huge), "18446744073709551615");
    assertMentions(readFails("tiny.safetensors", bytes(1, 2, 3)), "too short");
  }

  @Test
  void offsetsBeyondTheBufferAreRejected() throws IOException {
    byte[] f = file("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", ONE_F32);
    assertMentions(readFails("range.safetensors", f), "tensor 'x'", "beyond the data buffer");
  }

  @Test
  void overlappingOffsetsAreRejected() throws IOException {
    String header =
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";
    byte[] f = file(header, concat(ONE_F32, ONE_F32));
    assertMentions(readFails("overlap.safetensors", f), "tensor 'b'", "overlap tensor 'a'");
  }

  @Test
  void gapsAndTrailingBytesAreRejected() throws IOException {
    String gap = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";
    assertMentions(
        readFails("gap.safetensors", file(gap, concat(ONE_F32, ONE_F32))), "tensor 'a'", "gap");
    String one = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
    assertMentions(
        readFails("trailing.safetensors", file(one, concat(ONE_F32, ONE_F32))),
        "data buffer of 8 bytes",
        "cover 4");
  }

  @Test
  void shapeAndDtypeDisagreeingWithTheOffsetsIsRejected() throws IOException {
    String header = "{\"w\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,4]}}";
    assertMentions(
        readFails("size.safetensors", file(header, ONE_F32)),
        "tensor 'w'",
        "span 4 bytes",
        "F64",
        "need 8");
    String backwards = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}";
    assertMentions(readFails("backwards.safetensors", file(backwards, ONE_F32)), "end before");
    String overflow =
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,4]}}";
    assertMentions(readFails("overflow.safetensors", file(overflow, ONE_F32)), "overflows");
  }

  @Test
  void malformedHeadersAreRejected() throws IOException {
    assertMentions(
        readFails("json.safetensors", file("{\"x\":", ONE_F32)), "not valid JSON");
    assertMentions(readFails("array.safetensors", file("[1,2]", ONE_F32)), "not a JSON object");
    String dup =
        "{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
            + "\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
    assertMentions(readFails("dup.safetensors", file(dup, ONE_F32)), "Duplicate", "x");
    String fp8 = "{\"x\":{\"dtype\":\"F8_E4M3\",\"shape\":[4],\"data_offsets\":[0,4]}}";
    assertMentions(readFails("fp8.safetensors", file(fp8, ONE_F32)), "tensor 'x'", "F8_E4M3");
    String badShape = "{\"x\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}";
    assertMentions(readFails("shape.safetensors", file(badShape, ONE_F32)), "shape");
    String noOffsets = "{\"x\":{\"dtype\":\"F32\",\"shape\":[1]}}";
    assertMentions(readFails("offsets.safetensors", file(noOffsets, ONE_F32)), "data_offsets");
    String badMeta = "{\"__metadata__\":{\"n\":1}}";
    assertMentions(readFails("meta.safetensors", file(badMeta, new byte[0])), "'n'", "string");
  }

  @Test
  void missingFileIsAClearError() {
    Path missing = dir.resolve("nope.safetensors");
    CheckpointException e =
        assertThrows(CheckpointException.class, () -> Safetensors.read(missing));
    assertMentions(e, missing.toString());
  }

  @Test
  void writerRejectsTheReservedNameAndNulls() {
    Path file = dir.resolve("bad.safetensors");
    assertThrows(
        IllegalArgumentException.class,
        () -> Safetensors.write(file, Map.of(Safetensors.METADATA_KEY, Nd4j.zeros(1)), null));
    Map<String, INDArray> withNull = new LinkedHashMap<>();
    withNull.put("w", null);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Safetensors.write(file, withNull, null));
    assertTrue(e.getMessage().contains("'w'"));
    assertTrue(Files.notExists(file));
  }

  // ------------------------------------------------------------ helpers of the implementation

  @Test
  void reorderSwapsBytesOfEachElement() {
    ByteBuffer src = ByteBuffer.wrap(bytes(1, 2, 3, 4, 5, 6, 7, 8));
    assertArrayEquals(
        bytes(2, 1, 4, 3, 6, 5, 8, 7),
        toArray(Safetensors.reorder(src, ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN, 2)));
    assertArrayEquals(
        bytes(4, 3, 2, 1, 8, 7, 6, 5),
        toArray(Safetensors.reorder(src, ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN, 4)));
    assertArrayEquals(
        bytes(8, 7, 6, 5, 4, 3, 2, 1),
        toArray(Safetensors.reorder(src, ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN, 8)));
    assertArrayEquals(
        bytes(1, 2, 3, 4, 5, 6, 7, 8),
        toArray(Safetensors.reorder(src, ByteOrder.LITTLE_ENDIAN, ByteOrder.LITTLE_ENDIAN, 4)));
  }

  @Test
  void namesSortByCodePointLikeUtf8Bytes() {
    assertTrue(Safetensors.compareCodePoints("a", "b") < 0);
    assertTrue(Safetensors.compareCodePoints("a", "a.b") < 0);
    assertEquals(0, Safetensors.compareCodePoints("x", "x"));
    // U+1F600 (a surrogate pair in UTF-16) sorts after U+FF5E in UTF-8, unlike String.compareTo.
    String emoji = new String(Character.toChars(0x1F600));
    String fullwidth = "\uFF5E";
    assertTrue(Safetensors.compareCodePoints(emoji, fullwidth) > 0);
    assertTrue(emoji.compareTo(fullwidth) < 0);
  }

  // ------------------------------------------------------------ test utilities

  static byte[] toArray(ByteBuffer buffer) {
    ByteBuffer b = buffer.duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  /** The array's elements in C order as little-endian bytes, read in bulk from a dense copy. */
  static byte[] bitsOf(INDArray array) {
    if (array.isEmpty()) {
      return new byte[0];
    }
    INDArray dense = array.dup('c');
    int size = Safetensors.Dtype.of(dense.dataType()).size();
    ByteBuffer nio = dense.data().asNio().duplicate().order(ByteOrder.nativeOrder());
    nio.limit((int) (dense.length() * size));
    return toArray(
        Safetensors.reorder(nio.slice(), ByteOrder.nativeOrder(), ByteOrder.LITTLE_ENDIAN, size));
  }

  static void assertSameBits(INDArray expected, INDArray actual, String name) {
    assertEquals(expected.dataType(), actual.dataType(), name + " dtype");
    assertArrayEquals(expected.shape(), actual.shape(), name + " shape");
    assertArrayEquals(bitsOf(expected), bitsOf(actual), name + " bits");
  }

  /** An array of the dtype filled with random bytes (0 or 1 for BOOL), so every bit pattern counts. */
  static INDArray randomArray(Safetensors.Dtype dtype, long[] shape, Random random) {
    INDArray array = Nd4j.createUninitialized(dtype.dataType(), shape, 'c');
    byte[] content = new byte[(int) (array.length() * dtype.size())];
    random.nextBytes(content);
    if (dtype == Safetensors.Dtype.BOOL) {
      for (int i = 0; i < content.length; i++) {
        content[i] = (byte) (content[i] & 1);
      }
    }
    ByteBuffer nio = array.data().asNio().duplicate();
    nio.position(0);
    nio.put(content);
    return array;
  }

  @Test
  void encodeGivesTheBytesOfTheFileAndDecodeReadsThemBack() throws IOException {
    Map<String, INDArray> tensors = new LinkedHashMap<>();
    tensors.put("dense_1.weight", Nd4j.rand(DataType.FLOAT, 3, 4));
    tensors.put("dense_1.bias", Nd4j.createFromArray(1.5f, -2f, 0f, 7f));
    tensors.put("steps", Nd4j.createFromArray(3L, 4L));
    Path file = dir.resolve("model.safetensors");
    Safetensors.write(file, tensors, null);

    byte[] bytes = Safetensors.encode(tensors);
    assertArrayEquals(Files.readAllBytes(file), bytes);
    Map<String, INDArray> back = Safetensors.decode(bytes, "the test's tensors");
    assertEquals(new java.util.TreeSet<>(tensors.keySet()), new java.util.TreeSet<>(back.keySet()));
    tensors.forEach((name, array) -> assertEquals(array, back.get(name), name));

    byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 4);
    CheckpointException e = assertThrows(CheckpointException.class,
        () -> Safetensors.decode(truncated, "the gradients of worker 1"));
    assertTrue(e.getMessage().contains("the gradients of worker 1"), e.getMessage());
  }
}
