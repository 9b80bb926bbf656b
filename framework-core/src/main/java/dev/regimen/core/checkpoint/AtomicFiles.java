package dev.regimen.core.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * Crash-safe writes of single files and of whole folders.
 *
 * <p>A file is written the way PostgreSQL, SQLite and most databases do it: into a temporary file in the
 * same folder (so the final rename never crosses a file system), flushed to the device with {@link
 * FileChannel#force(boolean) force(true)} (fsync), renamed over the target with {@link
 * StandardCopyOption#ATOMIC_MOVE} (POSIX {@code rename(2)}, which replaces the target atomically), and
 * then the folder itself is fsynced so that the rename is durable too. See "Files are hard" (Dan Luu,
 * https://danluu.com/file-consistency/) and the LWN article "Ensuring data reaches disk"
 * (https://lwn.net/Articles/457667/) for why each step is needed: without the first fsync a crash can
 * leave the renamed file empty, without the folder fsync the rename itself can be lost.
 *
 * <p>A folder cannot be replaced by one rename on every platform (Linux's {@code renameat2} with {@code
 * RENAME_EXCHANGE} is not reachable from Java), so {@link #writeDirectoryAtomically} fills a temporary
 * sibling folder, fsyncs everything in it, renames the old target aside, renames the new folder in, and
 * deletes the old one. A crash therefore leaves either the old folder or the new one complete under the
 * target name, or, only between the two renames, the old one complete under its aside name, which the
 * next {@link #writeDirectoryAtomically} or {@link #recover} puts back. Never a torn folder.
 *
 * <p>One writer per target at a time: two processes writing the same target concurrently are not
 * supported (the second's {@link #recover} would delete the first's temporary folder).
 */
public final class AtomicFiles {

  /** Writes a file's content into an open channel. */
  @FunctionalInterface
  public interface ChannelWriter {
    void writeTo(FileChannel channel) throws IOException;
  }

  private static final String TMP_MARK = ".tmp-";
  private static final String OLD_MARK = ".old-";
  private static final SecureRandom RANDOM = new SecureRandom();

  private AtomicFiles() {}

  /** Writes {@code content} to {@code target} atomically (see the class comment). */
  public static void write(Path target, byte[] content) throws IOException {
    write(target, channel -> writeFully(channel, ByteBuffer.wrap(content)));
  }

  /**
   * Writes {@code target} atomically with what {@code writer} puts into a temporary file beside it: a
   * reader sees the old content or the new, never a part. The parent folder is created if missing. If
   * the writer throws, the target is untouched and the temporary file is deleted.
   */
  public static void write(Path target, ChannelWriter writer) throws IOException {
    Path absolute = target.toAbsolutePath().normalize();
    Path dir = absolute.getParent();
    Files.createDirectories(dir);
    Path temp = dir.resolve(hiddenSibling(absolute.getFileName().toString(), TMP_MARK));
    boolean moved = false;
    try {
      try (FileChannel channel =
          FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        writer.writeTo(channel);
        channel.force(true);
      }
      Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      moved = true;
      fsyncDirectory(dir);
    } finally {
      if (!moved) {
        Files.deleteIfExists(temp);
      }
    }
  }

  /**
   * Replaces the folder {@code target} with one that {@code filler} fills, so that a crash at any point
   * never leaves a torn folder under the target name (see the class comment).
   *
   * <p>The filler receives an empty temporary folder beside the target and writes the new content into
   * it (its I/O errors must be wrapped, for example in {@link UncheckedIOException}). Then every file in
   * it is fsynced, the old target (if any) is renamed aside, the new folder renamed in, the parent folder
   * fsynced and the old folder deleted. If the filler throws, the temporary folder is deleted, the
   * previous target is left as it was, and the filler's exception is rethrown.
   *
   * <p>Leftovers of an earlier interrupted call for the same target are cleaned up first (see {@link
   * #recover}).
   *
   * @throws UncheckedIOException if the file system fails
   */
  public static void writeDirectoryAtomically(Path target, Consumer<Path> filler) {
    Path absolute = target.toAbsolutePath().normalize();
    Path parent = absolute.getParent();
    String name = absolute.getFileName().toString();
    try {
      Files.createDirectories(parent);
      recover(absolute);
      if (Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)
          && !Files.isDirectory(absolute, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException(absolute + " exists and is not a folder; refusing to replace it");
      }
      Path fresh = parent.resolve(hiddenSibling(name, TMP_MARK));
      Files.createDirectory(fresh);
      try {
        filler.accept(fresh);
        fsyncTree(fresh);
      } catch (RuntimeException | Error | IOException e) {
        deleteQuietly(fresh, e);
        throw e;
      }
      if (Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
        Path aside = parent.resolve(hiddenSibling(name, OLD_MARK));
        Files.move(absolute, aside, StandardCopyOption.ATOMIC_MOVE);
        try {
          Files.move(fresh, absolute, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
          // Put the old folder back so the target is never missing after a failure we can see.
          try {
            Files.move(aside, absolute, StandardCopyOption.ATOMIC_MOVE);
          } catch (IOException restore) {
            e.addSuppressed(restore);
          }
          deleteQuietly(fresh, e);
          throw e;
        }
        fsyncDirectory(parent);
        deleteRecursively(aside);
      } else {
        Files.move(fresh, absolute, StandardCopyOption.ATOMIC_MOVE);
      }
      fsyncDirectory(parent);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write folder " + absolute + " atomically: " + e, e);
    }
  }

  /**
   * Cleans up after an interrupted {@link #writeDirectoryAtomically} of {@code target}: if the target is
   * missing but an old copy renamed aside is present (a crash between the two renames), the old copy is
   * renamed back; every other temporary or aside sibling of the target is deleted. Safe to call at any
   * time when no write of the target is in progress.
   *
   * @return whether the target was restored from an aside copy
   */
  public static boolean recover(Path target) throws IOException {
    Path absolute = target.toAbsolutePath().normalize();
    Path parent = absolute.getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      return false;
    }
    String name = absolute.getFileName().toString();
    List<Path> temps = new ArrayList<>();
    List<Path> asides = new ArrayList<>();
    String tempPrefix = "." + name + TMP_MARK;
    String asidePrefix = "." + name + OLD_MARK;
    // A filter rather than a glob: the target's name may contain glob metacharacters.
    try (DirectoryStream<Path> siblings =
        Files.newDirectoryStream(parent, p -> p.getFileName().toString().startsWith("." + name))) {
      for (Path sibling : siblings) {
        String s = sibling.getFileName().toString();
        if (s.startsWith(tempPrefix)) {
          temps.add(sibling);
        } else if (s.startsWith(asidePrefix)) {
          asides.add(sibling);
        }
      }
    }
    boolean restored = false;
    if (!Files.exists(absolute, LinkOption.NOFOLLOW_LINKS) && !asides.isEmpty()) {
      // Only one aside copy can exist after a single interrupted call; if there are more, the newest
      // is the last complete target.
      Path newest = asides.get(0);
      for (Path aside : asides) {
        if (Files.getLastModifiedTime(aside).compareTo(Files.getLastModifiedTime(newest)) > 0) {
          newest = aside;
        }
      }
      Files.move(newest, absolute, StandardCopyOption.ATOMIC_MOVE);
      asides.remove(newest);
      fsyncDirectory(parent);
      restored = true;
    }
    for (Path leftover : temps) {
      deleteRecursively(leftover);
    }
    for (Path leftover : asides) {
      deleteRecursively(leftover);
    }
    return restored;
  }

  /**
   * Flushes a folder's entries (creations, renames, deletions) to the device, where the platform allows
   * it: opening a folder for fsync works on Linux and macOS but not on Windows, where NTFS journals
   * metadata itself, so a failure to open or force is ignored.
   */
  static void fsyncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Not supported on this platform or file system; nothing more can be done.
    }
  }

  /** Fsyncs every regular file below {@code root}, then every folder (children before parents). */
  static void fsyncTree(Path root) throws IOException {
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            if (attrs.isRegularFile()) {
              // WRITE (without TRUNCATE) because Windows flushes only handles opened for writing.
              try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.force(true);
              }
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            fsyncDirectory(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  /** Deletes a file or a folder with everything in it; a missing path is not an error. */
  static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null && !(e instanceof NoSuchFileException)) {
              throw e;
            }
            Files.deleteIfExists(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private static void deleteQuietly(Path root, Throwable primary) {
    try {
      deleteRecursively(root);
    } catch (IOException | RuntimeException e) {
      primary.addSuppressed(e);
    }
  }

  /** A hidden sibling name such as {@code .ckpt.tmp-3f9a0c1d2b4e5f60} for the target {@code ckpt}. */
  private static String hiddenSibling(String name, String mark) {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return "." + name + mark + HexFormat.of().formatHex(bytes);
  }
}
