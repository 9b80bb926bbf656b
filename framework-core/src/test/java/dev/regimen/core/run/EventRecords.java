package dev.regimen.core.run;

import dev.regimen.core.proto.ProtoReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads a TensorBoard event file back, independently of {@link EventFile}: every TFRecord's two CRCs are
 * checked (unmasked and compared with a fresh CRC-32C) and every Event decoded.
 */
final class EventRecords {
  /** One event: the file version (first event) or one scalar. */
  record Event(double wallTime, long step, String fileVersion, String tag, float value) {}

  private EventRecords() {}

  static List<Event> read(Path file) throws IOException {
    ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    List<Event> events = new ArrayList<>();
    while (in.hasRemaining()) {
      byte[] lengthBytes = new byte[8];
      in.get(lengthBytes);
      checkCrc(lengthBytes, in.getInt(), file, "length");
      long length = ByteBuffer.wrap(lengthBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
      byte[] data = new byte[Math.toIntExact(length)];
      in.get(data);
      checkCrc(data, in.getInt(), file, "data");
      ProtoReader event = new ProtoReader(data);
      double wallTime = event.float64(1);
      long step = event.has(2) ? event.varint(2) : 0;
      if (event.has(3)) {
        events.add(new Event(wallTime, step, event.string(3), null, Float.NaN));
      } else {
        List<ProtoReader> values = event.message(5).messages(1);
        if (values.size() != 1) {
          throw new AssertionError("one value per summary, found " + values.size());
        }
        events.add(new Event(wallTime, step, null, values.get(0).string(1), values.get(0).float32(2)));
      }
    }
    return events;
  }

  /** The values of one tag, in file order. */
  static List<Float> values(List<Event> events, String tag) {
    return events.stream().filter(e -> tag.equals(e.tag())).map(Event::value).toList();
  }

  /** The steps of one tag, in file order. */
  static List<Long> steps(List<Event> events, String tag) {
    return events.stream().filter(e -> tag.equals(e.tag())).map(Event::step).toList();
  }

  /** TensorFlow's mask undone: subtract the delta, rotate left by 15. */
  static int unmask(int masked) {
    int rotated = masked - 0xa282ead8;
    return (rotated << 15) | (rotated >>> 17);
  }

  private static void checkCrc(byte[] bytes, int masked, Path file, String what) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    if ((int) crc.getValue() != unmask(masked)) {
      throw new AssertionError("bad " + what + " CRC in " + file + " for " + Arrays.toString(bytes));
    }
  }
}
