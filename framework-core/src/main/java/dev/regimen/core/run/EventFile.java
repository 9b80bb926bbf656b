package dev.regimen.core.run;

import dev.regimen.core.checkpoint.AtomicFiles;
import dev.regimen.core.proto.ProtoReader;
import dev.regimen.core.proto.ProtoWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiPredicate;
import java.util.zip.CRC32C;

/**
 * A TensorBoard event file, {@code events.out.tfevents.<unix seconds>.<host>}, written without TensorFlow:
 * what {@code tensorboard --logdir runs/} reads to plot a run's scalars.
 *
 * <p><b>Framing.</b> The file is a sequence of TFRecords, each {@code uint64 length}, {@code uint32
 * masked CRC-32C of those 8 bytes}, the {@code length} bytes of data and {@code uint32 masked CRC-32C of
 * the data}, all little-endian. The CRC is Castagnoli's ({@link CRC32C}), masked as TensorFlow's
 * {@code crc32c::Mask} does: rotated right by 15 bits plus {@code 0xa282ead8}, so that a CRC of data that
 * itself holds CRCs is not degenerate.
 *
 * <p><b>Records.</b> Each record is an {@code Event} protobuf ({@code tensorflow/core/util/event.proto}):
 * {@code double wall_time = 1} (seconds since the epoch), {@code int64 step = 2}, and one of {@code string
 * file_version = 3} or {@code Summary summary = 5}. The first event of a file carries {@code file_version
 * "brain.Event:2"}; every later one a summary with one {@code Summary.Value} ({@code repeated Value value =
 * 1}): {@code string tag = 1} and {@code float simple_value = 2}, the scalar form that every TensorBoard
 * version reads.
 *
 * <p><b>Writing.</b> Scalars are collected in memory and appended to the file by {@link #flush()} (the
 * run recorder flushes after every epoch, when training ends and when unflushed scalars are older than
 * {@link #FLUSH_AFTER_NANOS}), so the file is opened only to append and no handle stays open between
 * flushes. A process killed during an append leaves at most a torn last record, which TensorBoard's
 * reader skips as incomplete; every record before it stays readable.
 */
public final class EventFile {
  /** How every event file's name starts; TensorBoard finds files by {@code tfevents} in the name. */
  public static final String PREFIX = "events.out.tfevents.";
  /** The version string of the first event, as TensorFlow 2 and PyTorch's {@code SummaryWriter} write it. */
  public static final String FILE_VERSION = "brain.Event:2";
  /** Unflushed scalars older than this (30 s) are appended with the next one, so long epochs show up live. */
  public static final long FLUSH_AFTER_NANOS = 30_000_000_000L;

  private static final int MASK_DELTA = 0xa282ead8;

  private final Path file;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private long pendingSince = -1;

  private EventFile(Path file) {
    this.file = file;
  }

  /**
   * Creates a new event file in {@code folder} (which must exist), named by the time and the host, with
   * {@code .2}, {@code .3}... appended if a file of that name exists (two processes in the same second),
   * and writes its {@code file_version} event.
   */
  public static EventFile create(Path folder, Instant now) throws IOException {
    String name = PREFIX + now.getEpochSecond() + "." + host();
    for (int suffix = 1; ; suffix++) {
      Path candidate = folder.resolve(suffix == 1 ? name : name + "." + suffix);
      try {
        Files.write(candidate, record(new ProtoWriter().float64(1, seconds(now)).string(3, FILE_VERSION)
            .toByteArray()), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return new EventFile(candidate);
      } catch (FileAlreadyExistsException taken) {
        // Another event file from the same second: try the next suffix.
      }
    }
  }

  /** The event files directly in {@code folder}, by name (none if it does not exist). */
  public static List<Path> list(Path folder) throws IOException {
    List<Path> files = new ArrayList<>();
    if (!Files.isDirectory(folder)) {
      return files;
    }
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder, PREFIX + "*")) {
      stream.forEach(files::add);
    }
    files.sort(null);
    return files;
  }

  /**
   * Rewrites an event file without the scalars that {@code drop} names by tag and step (and without a
   * torn last record), atomically; a file with nothing to drop is left as it is. A resumed training trims
   * the interrupted process's files this way to the checkpoint it resumes from, since TensorBoard keeps
   * every value it reads for a step (a restart is no reason to forget one in files of version 2).
   *
   * @return how many scalars were dropped
   */
  public static int trim(Path file, BiPredicate<String, Long> drop) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    ByteArrayOutputStream kept = new ByteArrayOutputStream(bytes.length);
    int dropped = 0;
    boolean torn = false;
    while (in.remaining() > 0) {
      int start = in.position();
      if (in.remaining() < 12) {
        torn = true;
        break;
      }
      long length = in.getLong();
      in.getInt();
      if (length < 0 || length > in.remaining() - 4) {
        torn = true;
        break;
      }
      byte[] data = new byte[(int) length];
      in.get(data);
      in.getInt();
      ProtoReader event = new ProtoReader(data);
      if (event.has(5)) {
        List<ProtoReader> values = event.message(5).messages(1);
        long step = event.has(2) ? event.varint(2) : 0;
        if (values.size() == 1 && drop.test(values.get(0).string(1), step)) {
          dropped++;
          continue;
        }
      }
      kept.write(bytes, start, in.position() - start);
    }
    if (dropped > 0 || torn) {
      AtomicFiles.write(file, kept.toByteArray());
    }
    return dropped;
  }

  /** The file written to. */
  public Path file() {
    return file;
  }

  /**
   * Adds a scalar event (to be appended by the next {@link #flush()}).
   *
   * @param tag the name TensorBoard shows, such as {@code val_loss}
   * @param step the x coordinate: the epoch from 1, or the training step
   * @param value the value, stored as a float as TensorBoard's {@code simple_value} is
   * @param wallTime when it was recorded
   */
  public synchronized void scalar(String tag, long step, double value, Instant wallTime) {
    Objects.requireNonNull(tag, "tag");
    ProtoWriter summaryValue = new ProtoWriter().string(1, tag).float32(2, (float) value);
    ProtoWriter event = new ProtoWriter().float64(1, seconds(wallTime)).varint(2, step)
        .message(5, new ProtoWriter().message(1, summaryValue));
    pending.writeBytes(record(event.toByteArray()));
    if (pendingSince < 0) {
      pendingSince = System.nanoTime();
    }
  }

  /** Whether unflushed scalars have waited longer than {@link #FLUSH_AFTER_NANOS}. */
  public synchronized boolean stale() {
    return pendingSince >= 0 && System.nanoTime() - pendingSince > FLUSH_AFTER_NANOS;
  }

  /** Appends every scalar added since the last flush to the file. */
  public synchronized void flush() throws IOException {
    if (pending.size() == 0) {
      return;
    }
    Files.write(file, pending.toByteArray(), StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    pending.reset();
    pendingSince = -1;
  }

  @Override
  public String toString() {
    return file.toString();
  }

  /** One TFRecord: length, masked CRC of the length, data, masked CRC of the data (little-endian). */
  static byte[] record(byte[] data) {
    byte[] length = new byte[8];
    for (int i = 0; i < 8; i++) {
      length[i] = (byte) ((long) data.length >>> (8 * i));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 16);
    out.writeBytes(length);
    out.writeBytes(littleEndian(maskedCrc32c(length)));
    out.writeBytes(data);
    out.writeBytes(littleEndian(maskedCrc32c(data)));
    return out.toByteArray();
  }

  /** CRC-32C of {@code data}, masked as TensorFlow's record format does (see the class comment). */
  static int maskedCrc32c(byte[] data) {
    CRC32C crc = new CRC32C();
    crc.update(data);
    int value = (int) crc.getValue();
    return ((value >>> 15) | (value << 17)) + MASK_DELTA;
  }

  private static byte[] littleEndian(int value) {
    return new byte[] {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)};
  }

  private static double seconds(Instant t) {
    return t.getEpochSecond() + t.getNano() / 1e9;
  }

  /** The host name for the file name, with characters unsafe in file names replaced by {@code _}. */
  private static String host() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (IOException | RuntimeException e) {
        host = "localhost";
      }
    }
    String safe = host.replaceAll("[^A-Za-z0-9._-]", "_");
    return safe.isEmpty() ? "localhost" : safe;
  }
}
