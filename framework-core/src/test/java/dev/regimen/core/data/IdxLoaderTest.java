package dev.regimen.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.regimen.api.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;

class IdxLoaderTest {
  @TempDir
  Path dir;

  /** Three 2x3 images whose pixels cover 0, 128 and 255. */
  private static final byte[] PIXELS = {
      0, 1, 2, 3, 4, 5,
      (byte) 255, (byte) 128, 127, 10, 20, 30,
      9, 8, 7, 6, 5, (byte) 200};

  @ParameterizedTest(name = "gzipped={0}")
  @ValueSource(booleans = {false, true})
  void loadsASplitAsOneChannelImagesWithRawPixelValues(boolean gzipped) {
    String suffix = gzipped ? ".gz" : "";
    write("train-images-idx3-ubyte" + suffix, idx(0x08, new int[] {3, 2, 3}, PIXELS), gzipped);
    write("train-labels-idx1-ubyte" + suffix, idx(0x08, new int[] {3}, new byte[] {7, 0, 9}), gzipped);

    Dataset train = IdxLoader.load(dir, "train");

    assertArrayEquals(new long[] {3, 1, 2, 3}, train.features().shape());
    assertEquals(Tensor.defaultType(), train.features().dataType());
    assertEquals(10, train.numClasses());
    assertArrayEquals(new int[] {7, 0, 9}, train.labels());
    float[] expected = new float[PIXELS.length];
    for (int i = 0; i < PIXELS.length; i++) {
      expected[i] = PIXELS[i] & 0xFF;
    }
    assertArrayEquals(expected, train.features().array().data().asFloat());
    assertEquals(255.0, train.features().array().getDouble(1, 0, 0, 0));
  }

  @Test
  void readsBigEndianMultiByteTypes() {
    ByteBuffer ints = ByteBuffer.allocate(12).putInt(-3).putInt(70_000).putInt(1);
    INDArray a = IdxLoader.read(write("ints-idx1", idx(0x0C, new int[] {3}, ints.array()), false));
    assertArrayEquals(new double[] {-3, 70_000, 1}, a.toDoubleVector());

    ByteBuffer floats = ByteBuffer.allocate(16).putFloat(1.5f).putFloat(-2.25f).putFloat(0f).putFloat(1e6f);
    INDArray b = IdxLoader.read(write("floats-idx2", idx(0x0D, new int[] {2, 2}, floats.array()), false));
    assertArrayEquals(new long[] {2, 2}, b.shape());
    assertEquals(-2.25, b.getDouble(0, 1));
    assertEquals(1e6, b.getDouble(1, 1));

    ByteBuffer shorts = ByteBuffer.allocate(4).putShort((short) -300).putShort((short) 300);
    INDArray c = IdxLoader.read(write("shorts-idx1", idx(0x0B, new int[] {2}, shorts.array()), false));
    assertArrayEquals(new double[] {-300, 300}, c.toDoubleVector());
  }

  @Test
  void rejectsATruncatedFileNamingItAndWhatTheHeaderPromised() {
    Path file = write("train-images-idx3-ubyte", idx(0x08, new int[] {3, 2, 3}, Arrays.copyOf(PIXELS, 10)), false);
    DataException e = assertThrows(DataException.class, () -> IdxLoader.read(file));
    assertEquals(file + " is truncated: its header promises [3, 2, 3] unsigned byte values (18 bytes of data) but "
        + "only 10 bytes follow", e.getMessage());
  }

  @Test
  void rejectsATruncatedGzipStream() {
    byte[] gz = gzip(idx(0x08, new int[] {3, 2, 3}, PIXELS));
    Path file = write("cut.gz", Arrays.copyOf(gz, gz.length - 12), false);
    DataException e = assertThrows(DataException.class, () -> IdxLoader.read(file));
    assertTrue(e.getMessage().startsWith(file + " is truncated"), e.getMessage());
  }

  @Test
  void rejectsATruncatedHeader() {
    Path file = write("short", new byte[] {0, 0, 8, 3, 0, 0, 0, 3}, false);
    DataException e = assertThrows(DataException.class, () -> IdxLoader.read(file));
    assertEquals(file + " is truncated: its header announces 3 dimensions but holds only 4 of their 12 size bytes",
        e.getMessage());
  }

  @Test
  void rejectsABadMagicNumber() {
    Path file = write("images.csv", "1,2,3\n4,5,6\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII), false);
    DataException e = assertThrows(DataException.class, () -> IdxLoader.read(file));
    assertEquals(file + " is not an IDX file: its magic number is 0x312C322C where 00 00, a type byte (08, 09, 0B, "
        + "0C, 0D or 0E) and a dimension count above 0 were expected", e.getMessage());
  }

  @Test
  void rejectsAnUnknownTypeByte() {
    Path file = write("odd-idx1", idx(0x0A, new int[] {2}, new byte[] {1, 2}), false);
    DataException e = assertThrows(DataException.class, () -> IdxLoader.read(file));
    assertTrue(e.getMessage().contains("magic number is 0x00000A01"), e.getMessage());
  }

  @Test
  void rejectsTrailingBytesBeyondWhatTheHeaderPromises() {
    Path file = write("long-idx1", idx(0x08, new int[] {2}, new byte[] {1, 2, 3}), false);
    DataException e = assertThrows(DataException.class, () -> IdxLoader.read(file));
    assertTrue(e.getMessage().startsWith(file + " holds more data than its header promises"), e.getMessage());
  }

  @Test
  void rejectsImagesAndLabelsOfDifferentCounts() {
    Path images = write("t10k-images-idx3-ubyte", idx(0x08, new int[] {3, 2, 3}, PIXELS), false);
    Path labels = write("t10k-labels-idx1-ubyte.gz", idx(0x08, new int[] {2}, new byte[] {1, 2}), true);
    DataException e = assertThrows(DataException.class, () -> IdxLoader.load(dir, "t10k"));
    assertEquals(images + " holds 3 images but " + labels + " holds 2 labels", e.getMessage());
  }

  @Test
  void listsTheFilesItLookedForWhenASplitIsMissing() {
    write("train-images-idx3-ubyte", idx(0x08, new int[] {3, 2, 3}, PIXELS), false);
    DataException e = assertThrows(DataException.class, () -> IdxLoader.load(dir, "train"));
    assertTrue(e.getMessage().startsWith("No IDX labels for split 'train' in " + dir + "; looked for "
        + "train-labels-idx1-ubyte, train-labels-idx1-ubyte.gz, train-labels.idx1-ubyte, train-labels.idx1-ubyte.gz"),
        e.getMessage());

    DataException none = assertThrows(DataException.class, () -> IdxLoader.load(dir.resolve("nowhere"), "t10k"));
    assertTrue(none.getMessage().contains("does not exist; looked for t10k-images-idx3-ubyte,"), none.getMessage());
  }

  @Test
  void aFileWithNoImagesSaysSo() {
    Path images = write("train-images-idx3-ubyte", idx(0x08, new int[] {0, 28, 28}, new byte[0]), false);
    write("train-labels-idx1-ubyte", idx(0x08, new int[] {0}, new byte[0]), false);
    DataException e = assertThrows(DataException.class, () -> IdxLoader.load(dir, "train"));
    assertEquals(images + " holds no images: its header gives the shape [0, 28, 28]", e.getMessage());
    assertArrayEquals(new long[] {0, 28, 28}, IdxLoader.read(images).shape(), "read gives the empty array");

    Path flat = write("flat-images-idx3-ubyte", idx(0x08, new int[] {3, 0, 4}, new byte[0]), false);
    write("flat-labels-idx1-ubyte", idx(0x08, new int[] {3}, new byte[] {1, 2, 3}), false);
    DataException pixels = assertThrows(DataException.class, () -> IdxLoader.load(dir, "flat"));
    assertEquals(flat + " holds images of 0 x 4 pixels: its header gives the shape [3, 0, 4]", pixels.getMessage());
  }

  @Test
  void aSplitIsThereWhenEitherOfItsFilesIs() {
    assertFalse(IdxLoader.hasSplit(dir, "t10k"));
    assertFalse(IdxLoader.hasSplit(dir.resolve("nowhere"), "t10k"));
    write("t10k-labels.idx1-ubyte.gz", idx(0x08, new int[] {2}, new byte[] {1, 2}), true);
    assertTrue(IdxLoader.hasSplit(dir, "t10k"));
    assertFalse(IdxLoader.hasSplit(dir, "train"));
  }

  @Test
  void findsTheOriginalDottedFileNames() {
    write("train-images.idx3-ubyte", idx(0x08, new int[] {3, 2, 3}, PIXELS), false);
    write("train-labels.idx1-ubyte", idx(0x08, new int[] {3}, new byte[] {1, 2, 3}), false);
    assertEquals(3, IdxLoader.load(dir, "train").size());
  }

  @Test
  void usesMaxLabelPlusOneClassesWhenALabelExceedsNine() {
    write("letters-images-idx3-ubyte", idx(0x08, new int[] {3, 2, 3}, PIXELS), false);
    write("letters-labels-idx1-ubyte", idx(0x08, new int[] {3}, new byte[] {1, 26, 3}), false);
    assertEquals(27, IdxLoader.load(dir, "letters").numClasses());
  }

  @Test
  void loadsFashionMnistWhenDebiansPackageIsInstalled() {
    assumeTrue(Files.isDirectory(IdxLoader.DEBIAN_FASHION_MNIST), "dataset-fashion-mnist is not installed");
    Dataset test = IdxLoader.load(IdxLoader.DEBIAN_FASHION_MNIST, "t10k");
    assertArrayEquals(new long[] {10_000, 1, 28, 28}, test.features().shape());
    assertEquals(10, test.numClasses());
    assertEquals(255.0, test.features().array().maxNumber().doubleValue());
    int[] counts = new int[10];
    for (int label : test.labels()) {
      counts[label]++;
    }
    for (int count : counts) {
      assertEquals(1000, count);
    }
  }

  /** An IDX file: magic (0, 0, type, rank), big-endian sizes, then the data as given. */
  static byte[] idx(int type, int[] dims, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
    b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
    for (int d : dims) {
      b.putInt(d);
    }
    return b.put(data).array();
  }

  private static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private Path write(String name, byte[] bytes, boolean gzipped) {
    try {
      return Files.write(dir.resolve(name), gzipped ? gzip(bytes) : bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
