package dev.regimen.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventFileTest {
  @TempDir Path root;

  @Test
  void masksTheCastagnoliCrcOfTheCheckValue() {
    // CRC-32C("123456789") is 0xE3069283 (the check value of the Castagnoli polynomial).
    int masked = EventFile.maskedCrc32c("123456789".getBytes(StandardCharsets.US_ASCII));
    assertEquals(0xE3069283, EventRecords.unmask(masked));
    assertEquals(((0xE3069283 >>> 15) | (0xE3069283 << 17)) + 0xa282ead8, masked);
  }

  @Test
  void writesAVersionEventThenTheScalarsAsFramedRecords() throws Exception {
    Instant t0 = Instant.ofEpochSecond(1_700_000_000L, 250_000_000);
    EventFile file = EventFile.create(root, t0);
    assertTrue(file.file().getFileName().toString().startsWith("events.out.tfevents.1700000000."), file.toString());
    file.scalar("loss", 1, 0.6931471805599453, t0.plusSeconds(1));
    file.scalar("val/accuracy", 2, 0.875, t0.plusSeconds(2));
    assertEquals(1, EventRecords.read(file.file()).size(), "scalars wait for flush()");
    file.flush();
    file.scalar("batch/loss", 1L << 33, Double.NaN, t0.plusSeconds(3));
    file.flush();

    List<EventRecords.Event> events = EventRecords.read(file.file());
    assertEquals(4, events.size());
    assertEquals(new EventRecords.Event(1_700_000_000.25, 0, "brain.Event:2", null, Float.NaN), events.get(0));
    assertEquals(new EventRecords.Event(1_700_000_001.25, 1, null, "loss", 0.6931472f), events.get(1));
    assertEquals(new EventRecords.Event(1_700_000_002.25, 2, null, "val/accuracy", 0.875f), events.get(2));
    assertEquals(1L << 33, events.get(3).step());
    assertTrue(Float.isNaN(events.get(3).value()));
  }

  @Test
  void aSecondFileOfTheSameSecondGetsASuffix() throws Exception {
    Instant t = Instant.ofEpochSecond(1_700_000_000L);
    Path first = EventFile.create(root, t).file();
    Path second = EventFile.create(root, t).file();
    assertNotEquals(first, second);
    assertEquals(first.getFileName() + ".2", second.getFileName().toString());
    assertEquals(List.of(first, second), EventFile.list(root));
    Files.writeString(root.resolve("metrics.csv"), "epoch\n");
    assertEquals(2, EventFile.list(root).size(), "only event files are listed");
  }
}
