package dev.regimen.core.data;

import dev.regimen.api.tensor.Tensor;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads IDX files, the format of MNIST and its drop-in relatives (Fashion-MNIST, KMNIST, EMNIST), plain
 * or gzipped (recognized by gzip's magic number, not by the file name).
 *
 * <p>An IDX file is a big-endian header followed by the values in row-major order: two zero bytes, a type
 * byte ({@code 0x08} unsigned byte, {@code 0x09} signed byte, {@code 0x0B} 16-bit, {@code 0x0C} 32-bit
 * integer, {@code 0x0D} float, {@code 0x0E} double), the number of dimensions, then one 32-bit size per
 * dimension. The data are read in one bulk read and converted in one pass over a primitive array, so a
 * 60,000-image file loads in well under a second; a file with fewer (or more) bytes than its header
 * promises, or with a bad magic number, is an error that names the file.
 *
 * <p>Values keep their scale: pixels stay in [0, 255], since normalizing is the job of a
 * {@link Normalizer} fitted on the training split.
 */
public final class IdxLoader {
  /** Where Debian's {@code dataset-fashion-mnist} package installs Fashion-MNIST. */
  public static final Path DEBIAN_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

  /** The classes of the MNIST family; {@link #load} uses more only when a label is 10 or higher. */
  public static final int MNIST_CLASSES = 10;

  private static final long MAX_BYTES = Integer.MAX_VALUE - 16;

  private IdxLoader() {}

  /**
   * The array an IDX file holds, with the shape its header gives, in {@link Tensor#defaultType()}. 32-bit
   * integers above 2^24 are not exact in float32.
   */
  public static INDArray read(Path file) {
    try (InputStream in = CsvReader.maybeGunzip(Files.newInputStream(file))) {
      byte[] magic = in.readNBytes(4);
      if (magic.length < 4) {
        throw new DataException(file + " is truncated: " + magic.length + " bytes, shorter than an IDX header");
      }
      ElementType type = ElementType.of(magic[2]);
      int rank = magic[3] & 0xFF;
      if (magic[0] != 0 || magic[1] != 0 || type == null || rank == 0) {
        throw new DataException(String.format("%s is not an IDX file: its magic number is 0x%02X%02X%02X%02X where "
            + "00 00, a type byte (08, 09, 0B, 0C, 0D or 0E) and a dimension count above 0 were expected", file,
            magic[0], magic[1], magic[2], magic[3]));
      }
      byte[] dimBytes = in.readNBytes(4 * rank);
      if (dimBytes.length < 4 * rank) {
        throw new DataException(file + " is truncated: its header announces " + rank + " dimensions but holds only "
            + dimBytes.length + " of their " + 4 * rank + " size bytes");
      }
      ByteBuffer header = ByteBuffer.wrap(dimBytes).order(ByteOrder.BIG_ENDIAN);
      long[] shape = new long[rank];
      long elements = 1;
      for (int d = 0; d < rank; d++) {
        shape[d] = header.getInt() & 0xFFFFFFFFL;
        elements *= shape[d];
        if (elements * type.bytes > MAX_BYTES) {
          throw new DataException(file + " announces " + Arrays.toString(shape) + " " + type.description
              + " values, more than one array can hold");
        }
      }
      int byteCount = (int) (elements * type.bytes);
      byte[] data = in.readNBytes(byteCount);
      if (data.length < byteCount) {
        throw new DataException(file + " is truncated: its header promises " + Arrays.toString(shape) + " "
            + type.description + " values (" + byteCount + " bytes of data) but only " + data.length + " bytes follow");
      }
      if (in.read() >= 0) {
        throw new DataException(file + " holds more data than its header promises (" + Arrays.toString(shape) + " "
            + type.description + " values, " + byteCount + " bytes): is it an IDX file?");
      }
      if (elements == 0) {
        // A header with a zero size: an empty array of that shape, for the caller to refuse in its own words.
        return Nd4j.create(Tensor.defaultType(), shape);
      }
      return type.toArray(data, (int) elements).reshape(shape).castTo(Tensor.defaultType());
    } catch (NoSuchFileException e) {
      throw new DataException("IDX file " + file + " does not exist", e);
    } catch (EOFException e) {
      throw new DataException(file + " is truncated: its gzip stream ends early", e);
    } catch (IOException e) {
      throw new DataException("Cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The {@code split} ("train", "t10k") of an MNIST-family data set in {@code directory}: images from
   * {@code <split>-images-idx3-ubyte} and labels from {@code <split>-labels-idx1-ubyte}, each with or
   * without {@code .gz} (the original downloads' {@code <split>-images.idx3-ubyte} spelling is found too).
   * Images become features [N, 1, H, W] with the raw pixel values in [0, 255]; the set has
   * {@value #MNIST_CLASSES} classes, or max label + 1 when a label is higher (EMNIST's splits).
   */
  public static Dataset load(Path directory, String split) {
    List<String> looked = new ArrayList<>();
    Optional<Path> imagesFile = find(directory, split, "images", "idx3", looked);
    Optional<Path> labelsFile = find(directory, split, "labels", "idx1", looked);
    if (imagesFile.isEmpty() || labelsFile.isEmpty()) {
      String where = Files.isDirectory(directory) ? "in " + directory : "because the directory " + directory
          + " does not exist";
      String missing = imagesFile.isEmpty() && labelsFile.isEmpty() ? "images or labels"
          : imagesFile.isEmpty() ? "images" : "labels";
      throw new DataException("No IDX " + missing + " for split '" + split
          + "' " + where + "; looked for " + String.join(", ", looked)
          + " (Fashion-MNIST: 'apt-get install dataset-fashion-mnist' puts it in " + DEBIAN_FASHION_MNIST + ")");
    }
    INDArray images = read(imagesFile.get());
    INDArray labels = read(labelsFile.get());
    if (images.rank() != 3) {
      throw new DataException(imagesFile.get() + " holds an array of shape " + Arrays.toString(images.shape())
          + " where images [N, height, width] were expected");
    }
    if (labels.rank() != 1) {
      throw new DataException(labelsFile.get() + " holds an array of shape " + Arrays.toString(labels.shape())
          + " where labels [N] were expected");
    }
    if (images.size(0) == 0) {
      throw new DataException(imagesFile.get() + " holds no images: its header gives the shape "
          + Arrays.toString(images.shape()));
    }
    if (images.length() == 0) {
      throw new DataException(imagesFile.get() + " holds images of " + images.size(1) + " x " + images.size(2)
          + " pixels: its header gives the shape " + Arrays.toString(images.shape()));
    }
    if (images.size(0) != labels.size(0)) {
      throw new DataException(imagesFile.get() + " holds " + images.size(0) + " images but " + labelsFile.get()
          + " holds " + labels.size(0) + " labels");
    }
    int numClasses = Math.max(MNIST_CLASSES, (int) labels.maxNumber().doubleValue() + 1);
    INDArray features = images.reshape(images.size(0), 1, images.size(1), images.size(2));
    try {
      return Dataset.classification(features, labels, numClasses);
    } catch (DataException e) {
      throw new DataException("Split '" + split + "' in " + directory + ": " + e.getMessage(), e);
    }
  }

  /**
   * Whether {@code directory} holds a file of {@code split}, its images or its labels, in any of the
   * spellings {@link #load} looks for: an optional split is loaded when this is true (and a split with
   * only one of its two files is then an error that names the missing one), skipped when it is false.
   */
  public static boolean hasSplit(Path directory, String split) {
    List<String> ignored = new ArrayList<>();
    return find(directory, split, "images", "idx3", ignored).isPresent()
        || find(directory, split, "labels", "idx1", ignored).isPresent();
  }

  private static Optional<Path> find(Path directory, String split, String kind, String idx, List<String> looked) {
    for (String name : List.of(split + "-" + kind + "-" + idx + "-ubyte", split + "-" + kind + "." + idx + "-ubyte")) {
      for (String candidate : List.of(name, name + ".gz")) {
        Path path = directory.resolve(candidate);
        if (Files.isRegularFile(path)) {
          return Optional.of(path);
        }
        looked.add(candidate);
      }
    }
    return Optional.empty();
  }

  /** The element types of the IDX format, with their conversion from big-endian bytes. */
  private enum ElementType {
    UBYTE(0x08, 1, "unsigned byte"),
    BYTE(0x09, 1, "signed byte"),
    SHORT(0x0B, 2, "16-bit integer"),
    INT(0x0C, 4, "32-bit integer"),
    FLOAT(0x0D, 4, "float"),
    DOUBLE(0x0E, 8, "double");

    final int code;
    final int bytes;
    final String description;

    ElementType(int code, int bytes, String description) {
      this.code = code;
      this.bytes = bytes;
      this.description = description;
    }

    static ElementType of(byte code) {
      for (ElementType t : values()) {
        if (t.code == (code & 0xFF)) {
          return t;
        }
      }
      return null;
    }

    INDArray toArray(byte[] data, int n) {
      ByteBuffer buffer = ByteBuffer.wrap(data).order(ByteOrder.BIG_ENDIAN);
      switch (this) {
        case UBYTE: {
          // Straight into an off-heap UBYTE array, cast natively: no float[] copy on the heap (188 MB for
          // Fashion-MNIST's training images, whose pages would stay in the process's RSS).
          DataBuffer bytes = Nd4j.createBuffer(buffer, DataType.UBYTE, n);
          return Nd4j.create(bytes, new long[] {n}, new long[] {1}, 0, 'c', DataType.UBYTE).castTo(DataType.FLOAT);
        }
        case BYTE: {
          float[] values = new float[n];
          for (int i = 0; i < n; i++) {
            values[i] = data[i];
          }
          return Nd4j.createFromArray(values);
        }
        case SHORT: {
          short[] shorts = new short[n];
          buffer.asShortBuffer().get(shorts);
          float[] values = new float[n];
          for (int i = 0; i < n; i++) {
            values[i] = shorts[i];
          }
          return Nd4j.createFromArray(values);
        }
        case INT: {
          int[] values = new int[n];
          buffer.asIntBuffer().get(values);
          return Nd4j.createFromArray(values);
        }
        case FLOAT: {
          float[] values = new float[n];
          buffer.asFloatBuffer().get(values);
          return Nd4j.createFromArray(values);
        }
        default: {
          double[] values = new double[n];
          buffer.asDoubleBuffer().get(values);
          return Nd4j.createFromArray(values);
        }
      }
    }
  }
}
