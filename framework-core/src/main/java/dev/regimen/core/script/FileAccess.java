package dev.regimen.core.script;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which folders a sandboxed script may read and write: it reads its own folder, the data folders and
 * the run folder, and writes only the run folder (and the checkpoints folder). One policy serves both
 * the script's own file access (through {@link SandboxFileSystem}) and the paths a script hands to the
 * Regimen API (data files, checkpoints to resume), which Java reads outside GraalVM's file system.
 *
 * <p>Paths are checked after normalization and again after resolving symbolic links, so neither
 * {@code ..} nor a link inside an allowed folder leads out of it.
 */
final class FileAccess {
  private final Path base;
  private final List<Path> readable;
  private final List<Path> writable;
  private final boolean unrestricted;

  private FileAccess(Path base, List<Path> readable, List<Path> writable, boolean unrestricted) {
    this.base = base;
    this.readable = readable;
    this.writable = writable;
    this.unrestricted = unrestricted;
  }

  /**
   * @param base the folder relative paths are resolved against (the script's folder)
   * @param readOnly folders that may be read
   * @param readWrite folders that may be read and written
   * @param unrestricted whether every path is allowed ({@code --allow-host-access})
   */
  static FileAccess of(Path base, List<Path> readOnly, List<Path> readWrite, boolean unrestricted) {
    Set<Path> read = new LinkedHashSet<>();
    Set<Path> write = new LinkedHashSet<>();
    for (Path p : readWrite) {
      if (p != null) {
        write.add(canonical(p));
        write.add(p.toAbsolutePath().normalize());
      }
    }
    read.addAll(write);
    for (Path p : readOnly) {
      if (p != null) {
        read.add(canonical(p));
        read.add(p.toAbsolutePath().normalize());
      }
    }
    return new FileAccess(base.toAbsolutePath().normalize(), List.copyOf(read), List.copyOf(write), unrestricted);
  }

  boolean unrestricted() {
    return unrestricted;
  }

  /** The folders that may be read, for messages. */
  List<Path> readableRoots() {
    return readable;
  }

  /** A path as a script wrote it, resolved against the script's folder. */
  Path resolve(String path) {
    return base.resolve(path).toAbsolutePath().normalize();
  }

  /** The path, resolved, if it may be read; otherwise a {@link SecurityException} naming the allowed folders. */
  Path checkRead(Path path) {
    Path abs = base.resolve(path).toAbsolutePath().normalize();
    if (!unrestricted && !(within(abs, readable) && within(canonical(abs), readable))) {
      throw new SecurityException("Reading " + abs + " is not allowed: a script may read only in "
          + describe(readable) + " (run with --allow-host-access to lift this)");
    }
    return abs;
  }

  /** The path, resolved, if it may be written; otherwise a {@link SecurityException} naming the allowed folders. */
  Path checkWrite(Path path) {
    Path abs = base.resolve(path).toAbsolutePath().normalize();
    if (!unrestricted && !(within(abs, writable) && within(canonical(abs), writable))) {
      throw new SecurityException("Writing " + abs + " is not allowed: a script may write only in "
          + (writable.isEmpty() ? "its run folder, and this run has none" : describe(writable))
          + " (run with --allow-host-access to lift this)");
    }
    return abs;
  }

  private static boolean within(Path path, List<Path> roots) {
    for (Path root : roots) {
      if (path.startsWith(root)) {
        return true;
      }
    }
    return false;
  }

  private static String describe(List<Path> roots) {
    List<Path> shown = new ArrayList<>();
    for (Path p : roots) {
      if (!shown.contains(p)) {
        shown.add(p);
      }
    }
    return shown.stream().map(Path::toString).collect(Collectors.joining(", "));
  }

  /**
   * The real path with links resolved, for the longest part of the path that exists (a file about to
   * be created has no real path yet, but its folder does).
   */
  static Path canonical(Path path) {
    Path abs = path.toAbsolutePath().normalize();
    Path existing = abs;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return abs;
    }
    try {
      Path real = existing.toRealPath();
      return real.resolve(existing.relativize(abs)).normalize();
    } catch (IOException | SecurityException e) {
      return abs;
    }
  }
}
