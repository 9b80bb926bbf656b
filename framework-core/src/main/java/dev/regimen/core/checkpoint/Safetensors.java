package dev.regimen.core.checkpoint;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Writes and reads the safetensors format of Hugging Face (https://github.com/huggingface/safetensors),
 * so that checkpoints are readable by {@code safetensors.torch.load_file} and {@code
 * safetensors.numpy.load_file} and files from PyTorch can be read here.
 *
 * <p>The layout, as the reference implementation ({@code safetensors/src/tensor.rs}) writes and checks
 * it:
 *
 * <ol>
 *   <li>8 bytes: {@code N}, the header length, an unsigned 64-bit little-endian integer;
 *   <li>{@code N} bytes: a UTF-8 JSON object {@code {"__metadata__": {string: string}, "<name>":
 *       {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, ...}}, padded with spaces to a
 *       multiple of 8 bytes so the data that follows stays aligned; {@code __metadata__} is optional;
 *   <li>the data buffer: every tensor's elements in C (row-major) order, little-endian, {@code
 *       data_offsets} being relative to the start of this buffer. The tensors cover it exactly, with no
 *       gap and no overlap.
 * </ol>
 *
 * <p>The writer produces the same bytes as the reference for the same input: tensors are laid out by
 * descending dtype (in the reference's {@code Dtype} order, which is increasing alignment) and then by
 * name, so each tensor starts at a multiple of its element size, and the header lists them in that order
 * in compact JSON. Metadata entries are written sorted by key (the reference writes its hash-map order,
 * which is not reproducible). Writes are atomic ({@link AtomicFiles}).
 *
 * <p>The reader checks what the reference checks, and reports which file and tensor is at fault: the
 * header length against the file size, the JSON, the dtype, shape and offsets of every tensor, the
 * offsets against the data buffer (out of range, overlapping, leaving gaps, not covering it).
 *
 * <p>Data moves in bulk: the bytes of an array's native buffer are written to and read from the file
 * channel in one transfer per tensor, never element by element. On a big-endian machine the bytes are
 * swapped through a typed buffer view, still in bulk.
 *
 * <p>dtypes: {@link Dtype} lists those with an ND4J counterpart; the FP8 types and any added to the
 * format later are rejected with a clear error.
 */
public final class Safetensors {

  /** The header key of the free-form string metadata. */
  public static final String METADATA_KEY = "__metadata__";

  /** The largest header the reference implementation accepts (100 MB); larger is taken as corrupt. */
  public static final long MAX_HEADER_BYTES = 100_000_000L;

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();
  private static final JsonFactory JSON_FACTORY = JSON.getFactory();

  /**
   * The element types of the format with an ND4J counterpart, declared in the reference's order (the
   * order of its {@code Dtype} enum, increasing alignment), which the writer's layout follows.
   */
  public enum Dtype {
    BOOL(1, DataType.BOOL),
    U8(1, DataType.UINT8),
    I8(1, DataType.INT8),
    I16(2, DataType.INT16),
    U16(2, DataType.UINT16),
    F16(2, DataType.FLOAT16),
    BF16(2, DataType.BFLOAT16),
    I32(4, DataType.INT32),
    U32(4, DataType.UINT32),
    F32(4, DataType.FLOAT),
    F64(8, DataType.DOUBLE),
    I64(8, DataType.INT64),
    U64(8, DataType.UINT64);

    private final int size;
    private final DataType dataType;

    Dtype(int size, DataType dataType) {
      this.size = size;
      this.dataType = dataType;
    }

    /** Bytes per element. */
    public int size() {
      return size;
    }

    /** The ND4J type arrays of this dtype are read into. */
    public DataType dataType() {
      return dataType;
    }

    /** The dtype that stores ND4J arrays of {@code type}; an error for types the format lacks. */
    public static Dtype of(DataType type) {
      for (Dtype d : values()) {
        if (d.dataType == type) {
          return d;
        }
      }
      throw new IllegalArgumentException(
          "ND4J type " + type + " has no safetensors dtype; supported: " + supportedNd4jTypes());
    }

    private static String supportedNd4jTypes() {
      List<String> names = new ArrayList<>();
      for (Dtype d : values()) {
        names.add(d.dataType.name());
      }
      return String.join(", ", names);
    }

    private static Dtype parse(String name) {
      for (Dtype d : values()) {
        if (d.name().equals(name)) {
          return d;
        }
      }
      return null;
    }
  }

  /**
   * One tensor's header entry: its dtype, shape and byte range {@code [begin, end)} within the data
   * buffer.
   */
  public record TensorInfo(Dtype dtype, long[] shape, long begin, long end) {
    public TensorInfo {
      shape = shape.clone();
    }

    @Override
    public long[] shape() {
      return shape.clone();
    }

    /** The number of elements, the product of the shape (1 for a scalar). */
    public long elementCount() {
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      return n;
    }

    @Override
    public String toString() {
      return dtype + Arrays.toString(shape) + "@[" + begin + ", " + end + ")";
    }
  }

  /**
   * A parsed and validated header: its length in bytes, the metadata (empty if absent) and the tensors
   * in data-buffer order.
   */
  public record Header(long length, Map<String, String> metadata, Map<String, TensorInfo> tensors) {
    public Header {
      metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
      tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }
  }

  private Safetensors() {}

  /**
   * Writes {@code tensors} and {@code metadata} to {@code file} atomically, laid out as the reference
   * implementation lays them out (see the class comment).
   *
   * @param tensors arrays by name; views and non-C-ordered arrays are copied into C order first
   * @param metadata free-form strings stored under {@code __metadata__}; null or empty writes none
   * @throws IllegalArgumentException for a null array, the reserved name {@code __metadata__}, or an
   *     ND4J type the format has no dtype for
   * @throws CheckpointException if the file cannot be written
   */
  public static void write(Path file, Map<String, INDArray> tensors, Map<String, String> metadata) {
    List<Entry> entries = entries(tensors);
    byte[] header = header(entries, metadata == null ? Map.of() : metadata);
    try {
      AtomicFiles.write(
          file,
          channel -> {
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            length.putLong(0, header.length);
            AtomicFiles.writeFully(channel, length);
            AtomicFiles.writeFully(channel, ByteBuffer.wrap(header));
            for (Entry e : entries) {
              if (e.byteLength > 0) {
                AtomicFiles.writeFully(channel, littleEndianBytes(e));
              }
            }
          });
    } catch (IOException e) {
      throw new CheckpointException("cannot write safetensors file " + file + ": " + e, e);
    }
  }

  /**
   * The bytes {@link #write} would put in a file, in memory: how arrays travel between the processes
   * of a distributed training (parameters to the workers, gradients back), in the format checkpoints use.
   *
   * @throws IllegalArgumentException as {@link #write} does
   */
  public static byte[] encode(Map<String, INDArray> tensors) {
    List<Entry> entries = entries(tensors);
    byte[] header = header(entries, Map.of());
    long total = 8L + header.length;
    for (Entry e : entries) {
      total += e.byteLength;
    }
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("the tensors take " + total + " bytes; in memory at most 2 GiB fit");
    }
    ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(header.length);
    out.put(header);
    for (Entry e : entries) {
      if (e.byteLength > 0) {
        out.put(littleEndianBytes(e));
      }
    }
    return out.array();
  }

  /**
   * Reads bytes made by {@link #encode} (or a whole safetensors file's bytes) into new arrays outside any
   * ND4J workspace, checking them as {@link #read} checks a file.
   *
   * @param source what the bytes are, for error messages ({@code "the gradients of worker 1"})
   * @throws CheckpointException if the bytes are malformed
   */
  @SuppressWarnings("try") // the workspace scope is held, never referenced
  public static Map<String, INDArray> decode(byte[] bytes, String source) {
    Path name = Path.of(source);
    if (bytes.length < 8) {
      throw invalid(name, "is " + bytes.length + " bytes long, too short for the 8-byte header length");
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long n = buffer.getLong(0);
    if (n < 0 || n > bytes.length - 8L || n > MAX_HEADER_BYTES) {
      throw invalid(name, "declares a header of " + Long.toUnsignedString(n) + " bytes, beyond its "
          + bytes.length + " bytes");
    }
    Header header = parseHeader(name, Arrays.copyOfRange(bytes, 8, 8 + (int) n), bytes.length - 8 - n);
    int base = 8 + (int) n;
    Map<String, INDArray> out = new LinkedHashMap<>();
    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      for (Map.Entry<String, TensorInfo> e : header.tensors().entrySet()) {
        TensorInfo info = e.getValue();
        INDArray array = Nd4j.createUninitialized(info.dtype().dataType(), info.shape(), 'c');
        int length = (int) (info.end() - info.begin());
        if (length > 0) {
          ByteBuffer target = array.data().asNio().duplicate().order(ByteOrder.nativeOrder());
          target.position(0).limit(length);
          ByteBuffer from = ByteBuffer.wrap(bytes, base + (int) info.begin(), length).slice();
          target.slice().put(reorder(from, ByteOrder.LITTLE_ENDIAN, ByteOrder.nativeOrder(), info.dtype().size()));
        }
        out.put(e.getKey(), array);
      }
    }
    return out;
  }

  /**
   * Reads every tensor of {@code file} into a new ND4J array of the matching type and shape (outside
   * any ND4J workspace), in data-buffer order, which for files written by this class or by the
   * reference is descending dtype, then name.
   *
   * @throws CheckpointException if the file is missing, unreadable or malformed; the message names the
   *     file and the tensor at fault
   */
  @SuppressWarnings("try") // the workspace scope is held, never referenced
  public static Map<String, INDArray> read(Path file) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      Header header = readHeader(file, channel);
      long base = 8 + header.length();
      Map<String, INDArray> out = new LinkedHashMap<>();
      try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
        for (Map.Entry<String, TensorInfo> e : header.tensors().entrySet()) {
          out.put(e.getKey(), readTensor(channel, base, e.getValue()));
        }
      }
      return out;
    } catch (EOFException e) {
      throw new CheckpointException(
          "safetensors file " + file + " ended early (was it truncated while being read?)", e);
    } catch (IOException e) {
      throw new CheckpointException("cannot read safetensors file " + file + ": " + e, e);
    }
  }

  /** The {@code __metadata__} strings of {@code file} (empty if it has none); the header is validated. */
  public static Map<String, String> readMetadata(Path file) {
    return readHeader(file).metadata();
  }

  /** The validated header of {@code file}, without reading any tensor data. */
  public static Header readHeader(Path file) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return readHeader(file, channel);
    } catch (IOException e) {
      throw new CheckpointException("cannot read safetensors file " + file + ": " + e, e);
    }
  }

  // ---------------------------------------------------------------- writing

  /** The entries to write, C-ordered and outside any workspace, in the reference's order. */
  @SuppressWarnings("try") // the workspace scope is held, never referenced
  private static List<Entry> entries(Map<String, INDArray> tensors) {
    List<Entry> entries = new ArrayList<>(tensors.size());
    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      for (Map.Entry<String, INDArray> e : tensors.entrySet()) {
        entries.add(Entry.of(e.getKey(), e.getValue()));
      }
    }
    // The reference's order: descending dtype (so descending alignment), then name.
    entries.sort(
        Comparator.comparing((Entry e) -> e.dtype)
            .reversed()
            .thenComparing((a, b) -> compareCodePoints(a.name, b.name)));
    return entries;
  }

  /** A tensor to write: its name, dtype, C-ordered contiguous array and byte length. */
  private record Entry(String name, Dtype dtype, INDArray array, long byteLength) {
    static Entry of(String name, INDArray array) {
      if (name == null) {
        throw new IllegalArgumentException("a tensor name is null");
      }
      if (METADATA_KEY.equals(name)) {
        throw new IllegalArgumentException(
            "the tensor name " + METADATA_KEY + " is reserved for the metadata");
      }
      if (array == null) {
        throw new IllegalArgumentException("tensor '" + name + "' is null");
      }
      Dtype dtype;
      try {
        dtype = Dtype.of(array.dataType());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("tensor '" + name + "': " + e.getMessage(), e);
      }
      long bytes = Math.multiplyExact(array.length(), (long) dtype.size());
      if (bytes > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "tensor '" + name + "' has " + bytes + " bytes; this writer handles at most 2 GiB a tensor");
      }
      INDArray contiguous = array;
      if (bytes > 0 && !isDenseCOrder(array)) {
        contiguous = array.dup('c');
      }
      return new Entry(name, dtype, contiguous, bytes);
    }
  }

  /** Whether the array's buffer holds exactly its elements, in C order, from the start. */
  private static boolean isDenseCOrder(INDArray array) {
    return !array.isView()
        && array.ordering() == 'c'
        && array.offset() == 0
        && array.data().length() == array.length();
  }

  /** The compact JSON header, padded with spaces to a multiple of 8 bytes as the reference pads it. */
  private static byte[] header(List<Entry> entries, Map<String, String> metadata) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON_FACTORY.createGenerator(bytes, JsonEncoding.UTF8)) {
      g.writeStartObject();
      if (!metadata.isEmpty()) {
        g.writeObjectFieldStart(METADATA_KEY);
        for (Map.Entry<String, String> m : new TreeMap<>(metadata).entrySet()) {
          if (m.getValue() == null) {
            throw new IllegalArgumentException("metadata '" + m.getKey() + "' is null");
          }
          g.writeStringField(m.getKey(), m.getValue());
        }
        g.writeEndObject();
      }
      long offset = 0;
      for (Entry e : entries) {
        g.writeObjectFieldStart(e.name);
        g.writeStringField("dtype", e.dtype.name());
        g.writeArrayFieldStart("shape");
        for (long d : e.array.shape()) {
          g.writeNumber(d);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("data_offsets");
        g.writeNumber(offset);
        g.writeNumber(offset + e.byteLength);
        g.writeEndArray();
        g.writeEndObject();
        offset += e.byteLength;
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("cannot build a safetensors header in memory", e);
    }
    int padding = (8 - bytes.size() % 8) % 8;
    for (int i = 0; i < padding; i++) {
      bytes.write(' ');
    }
    return bytes.toByteArray();
  }

  /** The tensor's bytes in little-endian order: its native buffer itself on a little-endian machine. */
  private static ByteBuffer littleEndianBytes(Entry e) {
    ByteBuffer nio = e.array.data().asNio().duplicate().order(ByteOrder.nativeOrder());
    if (nio.capacity() < e.byteLength) {
      throw new IllegalStateException(
          "tensor '" + e.name + "': ND4J buffer holds " + nio.capacity() + " bytes, expected "
              + e.byteLength);
    }
    nio.position(0).limit((int) e.byteLength);
    return reorder(nio.slice(), ByteOrder.nativeOrder(), ByteOrder.LITTLE_ENDIAN, e.dtype.size());
  }

  /**
   * The bytes of {@code source} (elements of {@code elementSize} bytes in {@code from} order) in {@code
   * to} order: {@code source} itself when the orders agree, else a bulk copy through typed views.
   */
  static ByteBuffer reorder(ByteBuffer source, ByteOrder from, ByteOrder to, int elementSize) {
    if (from.equals(to) || elementSize == 1) {
      return source;
    }
    ByteBuffer src = source.duplicate().order(from);
    ByteBuffer dst = ByteBuffer.allocate(src.remaining()).order(to);
    switch (elementSize) {
      case 2 -> dst.asShortBuffer().put(src.asShortBuffer());
      case 4 -> dst.asIntBuffer().put(src.asIntBuffer());
      case 8 -> dst.asLongBuffer().put(src.asLongBuffer());
      default -> throw new IllegalArgumentException("element size " + elementSize);
    }
    return dst;
  }

  /**
   * Compares by Unicode code point, which is the byte order of UTF-8 and so the order in which the
   * reference (Rust {@code String} comparison) sorts names; {@link String#compareTo} compares UTF-16
   * units and differs for characters beyond the Basic Multilingual Plane.
   */
  static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Boolean.compare(i < a.length(), j < b.length());
  }

  // ---------------------------------------------------------------- reading

  private static Header readHeader(Path file, FileChannel channel) throws IOException {
    long size = channel.size();
    if (size < 8) {
      throw invalid(file, "is " + size + " bytes long, too short for the 8-byte header length");
    }
    ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    readFully(channel, lengthBytes, 0);
    long n = lengthBytes.getLong(0);
    if (n < 0 || n > size - 8) {
      throw invalid(
          file,
          "declares a header of "
              + Long.toUnsignedString(n)
              + " bytes, beyond the file size ("
              + size
              + " bytes); the file is truncated or not safetensors");
    }
    if (n > MAX_HEADER_BYTES) {
      throw invalid(file, "declares a header of " + n + " bytes, more than " + MAX_HEADER_BYTES);
    }
    byte[] header = new byte[(int) n];
    readFully(channel, ByteBuffer.wrap(header), 8);
    return parseHeader(file, header, size - 8 - n);
  }

  /** Parses and validates a header whose data buffer holds {@code bufferLength} bytes. */
  static Header parseHeader(Path file, byte[] header, long bufferLength) {
    JsonNode root;
    try {
      // Duplicate names and content after the object are errors (see the mapper's features).
      root = JSON.readTree(header);
    } catch (JsonProcessingException e) {
      throw invalid(file, "has a header that is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw invalid(file, "has an unreadable header: " + e);
    }
    if (root == null || !root.isObject()) {
      throw invalid(
          file,
          "has a header that is not a JSON object: "
              + abbreviate(new String(header, StandardCharsets.UTF_8)));
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    List<Map.Entry<String, TensorInfo>> tensors = new ArrayList<>();
    for (Map.Entry<String, JsonNode> field : root.properties()) {
      String name = field.getKey();
      JsonNode node = field.getValue();
      if (METADATA_KEY.equals(name)) {
        if (!node.isObject()) {
          throw invalid(file, METADATA_KEY + " is not an object of strings: " + node);
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
          if (!entry.getValue().isTextual()) {
            throw invalid(
                file,
                METADATA_KEY + " entry '" + entry.getKey() + "' is not a string: " + entry.getValue());
          }
          metadata.put(entry.getKey(), entry.getValue().textValue());
        }
      } else {
        tensors.add(Map.entry(name, tensorInfo(file, name, node)));
      }
    }
    tensors.sort(
        Comparator.comparingLong((Map.Entry<String, TensorInfo> e) -> e.getValue().begin())
            .thenComparingLong(e -> e.getValue().end()));
    long expected = 0;
    String previous = null;
    for (Map.Entry<String, TensorInfo> e : tensors) {
      TensorInfo info = e.getValue();
      if (info.end() > bufferLength) {
        throw invalid(
            file,
            e.getKey(),
            "data_offsets ["
                + info.begin()
                + ", "
                + info.end()
                + "] lie beyond the data buffer, which holds "
                + bufferLength
                + " bytes");
      }
      if (info.begin() < expected) {
        throw invalid(
            file,
            e.getKey(),
            "data_offsets [" + info.begin() + ", " + info.end() + "] overlap tensor '" + previous
                + "', which ends at " + expected);
      }
      if (info.begin() > expected) {
        throw invalid(
            file,
            e.getKey(),
            "data_offsets ["
                + info.begin()
                + ", "
                + info.end()
                + "] leave a gap of "
                + (info.begin() - expected)
                + " bytes before it (the format allows none)");
      }
      expected = info.end();
      previous = e.getKey();
    }
    if (expected != bufferLength) {
      throw invalid(
          file,
          "has a data buffer of "
              + bufferLength
              + " bytes but its tensors cover "
              + expected
              + " (trailing bytes or a wrong header length)");
    }
    Map<String, TensorInfo> ordered = new LinkedHashMap<>();
    for (Map.Entry<String, TensorInfo> e : tensors) {
      ordered.put(e.getKey(), e.getValue());
    }
    return new Header(header.length, metadata, ordered);
  }

  private static TensorInfo tensorInfo(Path file, String name, JsonNode node) {
    if (!node.isObject()) {
      throw invalid(file, name, "header entry is not an object: " + abbreviate(node.toString()));
    }
    JsonNode dtypeNode = node.get("dtype");
    if (dtypeNode == null || !dtypeNode.isTextual()) {
      throw invalid(file, name, "has no dtype string");
    }
    Dtype dtype = Dtype.parse(dtypeNode.textValue());
    if (dtype == null) {
      throw invalid(
          file,
          name,
          "has dtype "
              + dtypeNode.textValue()
              + ", which is not supported here (supported: "
              + Arrays.toString(Dtype.values())
              + ")");
    }
    long[] shape = longs(file, name, node.get("shape"), "shape", -1);
    long[] offsets = longs(file, name, node.get("data_offsets"), "data_offsets", 2);
    long begin = offsets[0];
    long end = offsets[1];
    if (end < begin) {
      throw invalid(file, name, "data_offsets [" + begin + ", " + end + "] end before they begin");
    }
    long bytes;
    try {
      long count = 1;
      for (long d : shape) {
        count = Math.multiplyExact(count, d);
      }
      bytes = Math.multiplyExact(count, (long) dtype.size());
    } catch (ArithmeticException e) {
      throw invalid(file, name, "shape " + Arrays.toString(shape) + " overflows a 64-bit size");
    }
    if (end - begin != bytes) {
      throw invalid(
          file,
          name,
          "data_offsets ["
              + begin
              + ", "
              + end
              + "] span "
              + (end - begin)
              + " bytes but dtype "
              + dtype
              + " and shape "
              + Arrays.toString(shape)
              + " need "
              + bytes);
    }
    if (bytes > Integer.MAX_VALUE) {
      throw invalid(file, name, "has " + bytes + " bytes; this reader handles at most 2 GiB a tensor");
    }
    return new TensorInfo(dtype, shape, begin, end);
  }

  /** A JSON array of non-negative integers, of {@code length} elements unless that is negative. */
  private static long[] longs(Path file, String name, JsonNode node, String key, int length) {
    if (node == null || !node.isArray() || (length >= 0 && node.size() != length)) {
      throw invalid(
          file,
          name,
          key
              + " must be an array of "
              + (length >= 0 ? length + " " : "")
              + "non-negative integers, not "
              + node);
    }
    long[] out = new long[node.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode v = node.get(i);
      if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
        throw invalid(file, name, key + " must hold non-negative integers, not " + node);
      }
      out[i] = v.longValue();
    }
    return out;
  }

  private static INDArray readTensor(FileChannel channel, long base, TensorInfo info)
      throws IOException {
    DataType type = info.dtype().dataType();
    long[] shape = info.shape();
    int bytes = (int) (info.end() - info.begin());
    if (bytes == 0) {
      return Nd4j.create(type, shape);
    }
    INDArray array = Nd4j.createUninitialized(type, shape, 'c');
    ByteBuffer target = array.data().asNio().duplicate().order(ByteOrder.nativeOrder());
    target.position(0).limit(bytes);
    target = target.slice();
    if (ByteOrder.nativeOrder().equals(ByteOrder.LITTLE_ENDIAN) || info.dtype().size() == 1) {
      readFully(channel, target, base + info.begin());
    } else {
      ByteBuffer little = ByteBuffer.allocate(bytes);
      readFully(channel, little, base + info.begin());
      little.flip();
      target.put(
          reorder(little, ByteOrder.LITTLE_ENDIAN, ByteOrder.nativeOrder(), info.dtype().size()));
    }
    return array;
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer, long position)
      throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, at);
      if (n < 0) {
        throw new EOFException("end of file at byte " + at);
      }
      at += n;
    }
  }

  private static CheckpointException invalid(Path file, String why) {
    return new CheckpointException("safetensors file " + file + " " + why);
  }

  private static CheckpointException invalid(Path file, String tensor, String why) {
    return new CheckpointException("safetensors file " + file + ", tensor '" + tensor + "': " + why);
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }
}
