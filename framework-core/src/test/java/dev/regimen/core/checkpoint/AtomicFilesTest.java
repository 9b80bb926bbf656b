package dev.regimen.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

  @TempDir Path dir;

  private List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  private static void write(Path file, String content) {
    try {
      Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void writeCreatesAndReplacesAFileLeavingNoTemporaryFile() throws IOException {
    Path file = dir.resolve("a.bin");
    AtomicFiles.write(file, "first".getBytes(StandardCharsets.UTF_8));
    assertEquals("first", Files.readString(file));
    AtomicFiles.write(file, channel -> channel.write(ByteBuffer.wrap(new byte[] {1, 2, 3})));
    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(file));
    assertEquals(List.of("a.bin"), names());
  }

  @Test
  void writeCreatesMissingParentFolders() throws IOException {
    Path file = dir.resolve("x/y/z.txt");
    AtomicFiles.write(file, new byte[] {7});
    assertArrayEquals(new byte[] {7}, Files.readAllBytes(file));
  }

  @Test
  void aFailingWriterLeavesTheOldFileAndNoTemporaryFile() throws IOException {
    Path file = dir.resolve("a.txt");
    Files.writeString(file, "old");
    IOException boom = new IOException("disk full");
    IOException thrown =
        assertThrows(
            IOException.class,
            () ->
                AtomicFiles.write(
                    file,
                    channel -> {
                      channel.write(ByteBuffer.wrap(new byte[] {'n', 'e'}));
                      throw boom;
                    }));
    assertSame(boom, thrown);
    assertEquals("old", Files.readString(file));
    assertEquals(List.of("a.txt"), names());
  }

  @Test
  void aFolderIsCreatedThenReplacedWhole() throws IOException {
    Path target = dir.resolve("ckpt");
    AtomicFiles.writeDirectoryAtomically(
        target,
        folder -> {
          write(folder.resolve("one"), "1");
          write(folder.resolve("stale"), "s");
        });
    assertEquals("1", Files.readString(target.resolve("one")));
    AtomicFiles.writeDirectoryAtomically(
        target,
        folder -> {
          write(folder.resolve("one"), "2");
          try {
            Files.createDirectories(folder.resolve("sub"));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          write(folder.resolve("sub/two"), "22");
        });
    assertEquals("2", Files.readString(target.resolve("one")));
    assertEquals("22", Files.readString(target.resolve("sub/two")));
    assertFalse(Files.exists(target.resolve("stale")), "nothing of the old folder survives");
    assertEquals(List.of("ckpt"), names(), "no temporary or old folders left");
  }

  @Test
  void aThrowingFillerLeavesThePreviousFolderIntactAndNoTemporaryFolder() throws IOException {
    Path target = dir.resolve("ckpt");
    AtomicFiles.writeDirectoryAtomically(target, folder -> write(folder.resolve("w"), "good"));
    IllegalStateException boom = new IllegalStateException("crash while filling");
    IllegalStateException thrown =
        assertThrows(
            IllegalStateException.class,
            () ->
                AtomicFiles.writeDirectoryAtomically(
                    target,
                    folder -> {
                      write(folder.resolve("w"), "half");
                      throw boom;
                    }));
    assertSame(boom, thrown);
    assertEquals("good", Files.readString(target.resolve("w")));
    try (Stream<Path> s = Files.list(target)) {
      assertEquals(1, s.count());
    }
    assertEquals(List.of("ckpt"), names());
  }

  @Test
  void aThrowingFillerWithoutAPreviousFolderLeavesNothing() throws IOException {
    Path target = dir.resolve("fresh");
    assertThrows(
        IllegalStateException.class,
        () ->
            AtomicFiles.writeDirectoryAtomically(
                target,
                folder -> {
                  write(folder.resolve("w"), "half");
                  throw new IllegalStateException("no");
                }));
    assertEquals(List.of(), names());
  }

  @Test
  void leftoversOfAnInterruptedSwapAreRecovered() throws IOException {
    // A crash between "rename the old folder aside" and "rename the new one in": the target is
    // missing, the complete old folder sits aside, and a half-filled temporary folder is about.
    Path aside = dir.resolve(".ckpt.old-0123456789abcdef");
    Files.createDirectories(aside);
    Files.writeString(aside.resolve("w"), "previous");
    Path temp = dir.resolve(".ckpt.tmp-fedcba9876543210");
    Files.createDirectories(temp);
    Files.writeString(temp.resolve("w"), "hal");
    Path target = dir.resolve("ckpt");

    assertTrue(AtomicFiles.recover(target));
    assertEquals("previous", Files.readString(target.resolve("w")));
    assertEquals(List.of("ckpt"), names());
    assertFalse(AtomicFiles.recover(target), "nothing left to recover");
  }

  @Test
  void theNextWriteRecoversFirstSoAFailingOneStillLeavesTheOldFolder() throws IOException {
    Path aside = dir.resolve(".ckpt.old-0123456789abcdef");
    Files.createDirectories(aside);
    Files.writeString(aside.resolve("w"), "previous");
    Path target = dir.resolve("ckpt");
    assertThrows(
        IllegalStateException.class,
        () ->
            AtomicFiles.writeDirectoryAtomically(
                target,
                folder -> {
                  throw new IllegalStateException("no");
                }));
    assertEquals("previous", Files.readString(target.resolve("w")));
    assertEquals(List.of("ckpt"), names());
  }

  @Test
  void aFileInTheWayIsNotReplacedByAFolder() throws IOException {
    Path target = dir.resolve("ckpt");
    Files.writeString(target, "a file");
    assertThrows(
        UncheckedIOException.class,
        () -> AtomicFiles.writeDirectoryAtomically(target, folder -> write(folder.resolve("w"), "x")));
    assertEquals("a file", Files.readString(target));
    assertEquals(List.of("ckpt"), names());
  }

  @Test
  void targetNamesWithGlobCharactersWork() throws IOException {
    Path target = dir.resolve("run[1]*{a,b}");
    AtomicFiles.writeDirectoryAtomically(target, folder -> write(folder.resolve("w"), "1"));
    AtomicFiles.writeDirectoryAtomically(target, folder -> write(folder.resolve("w"), "2"));
    assertEquals("2", Files.readString(target.resolve("w")));
    assertEquals(List.of("run[1]*{a,b}"), names());
  }
}
