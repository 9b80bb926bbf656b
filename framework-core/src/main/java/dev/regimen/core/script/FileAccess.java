package dev.regimen.core.script;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
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
  private final List<Path> dataDirs;
  private final List<Path> runDirs;
  private final List<Path> readable;
  private final List<Path> writable;
  private final boolean unrestricted;
  /** The last path refused, with why, to word the guest language's own error for it. */
  private volatile Refusal lastRefusal;

  /** A refused path and the message that says why. */
  record Refusal(Path path, String message) {}

  private FileAccess(Path base, List<Path> dataDirs, List<Path> runDirs, List<Path> readable, List<Path> writable,
      boolean unrestricted) {
    this.base = base;
    this.dataDirs = dataDirs;
    this.runDirs = runDirs;
    this.readable = readable;
    this.writable = writable;
    this.unrestricted = unrestricted;
  }

  /**
   * @param scriptDir the script's folder: readable, and what relative paths are resolved against
   * @param dataDirs the data folders, readable
   * @param runDirs the run folder and the checkpoints folder (either may be {@code null}), readable
   *     and writable
   * @param unrestricted whether every path is allowed ({@code --allow-host-access})
   */
  static FileAccess of(Path scriptDir, List<Path> dataDirs, List<Path> runDirs, boolean unrestricted) {
    Path base = scriptDir.toAbsolutePath().normalize();
    List<Path> data = shown(dataDirs);
    List<Path> run = shown(runDirs);
    Set<Path> write = new LinkedHashSet<>();
    for (Path p : run) {
      write.add(canonical(p));
      write.add(p);
    }
    Set<Path> read = new LinkedHashSet<>(write);
    for (Path p : concat(List.of(base), data)) {
      read.add(canonical(p));
      read.add(p);
    }
    return new FileAccess(base, data, run, List.copyOf(read), List.copyOf(write), unrestricted);
  }

  boolean unrestricted() {
    return unrestricted;
  }

  /** A path as a script wrote it, resolved against the script's folder. */
  Path resolve(String path) {
    return base.resolve(path).toAbsolutePath().normalize();
  }

  /** The path, resolved, if it may be read; otherwise a {@link SandboxException} naming the allowed folders. */
  Path checkRead(Path path) {
    Path abs = base.resolve(path).toAbsolutePath().normalize();
    if (!unrestricted && !(within(abs, readable) && within(canonical(abs), readable))) {
      StringBuilder where = new StringBuilder("its own folder (" + base + ")");
      if (!dataDirs.isEmpty()) {
        where.append(runDirs.isEmpty() ? " and " : ", ")
            .append(dataDirs.size() == 1 ? "the data folder (" : "the data folders (")
            .append(join(dataDirs)).append(')');
      }
      if (!runDirs.isEmpty()) {
        where.append(" and its run folder (").append(join(runDirs)).append(')');
      }
      throw refuse(abs, "Reading " + abs + " is not allowed: a script may read files only in " + where
          + "; run with " + SandboxException.FLAG + " to let it read any file");
    }
    return abs;
  }

  /** The path, resolved, if it may be written; otherwise a {@link SandboxException} naming the allowed folders. */
  Path checkWrite(Path path) {
    Path abs = base.resolve(path).toAbsolutePath().normalize();
    if (!unrestricted && !(within(abs, writable) && within(canonical(abs), writable))) {
      throw refuse(abs, "Writing " + abs + " is not allowed: a script may write files only in "
          + (runDirs.isEmpty() ? "its run folder, and this run has none" : "its run folder (" + join(runDirs) + ")")
          + "; run with " + SandboxException.FLAG + " to let it write anywhere");
    }
    return abs;
  }

  /**
   * Regimen's message for a path the guest language reports as refused in its own words (GraalPy's
   * {@code [Errno 1] Operation not permitted: 'secret.txt'}): the message of the last refusal, if
   * {@code guestPath} resolves to the path it refused.
   */
  Optional<String> refusalOf(String guestPath) {
    Refusal refusal = lastRefusal;
    if (refusal == null || guestPath == null) {
      return Optional.empty();
    }
    try {
      return refusal.path().equals(resolve(guestPath)) ? Optional.of(refusal.message()) : Optional.empty();
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
  }

  private SandboxException refuse(Path path, String message) {
    lastRefusal = new Refusal(path, message);
    return new SandboxException(message);
  }

  /**
   * The folders as given, absolute and normalized, without nulls, repeats and folders inside another
   * one of them (the checkpoints folder inside the run folder).
   */
  private static List<Path> shown(List<Path> dirs) {
    Set<Path> all = new LinkedHashSet<>();
    for (Path p : dirs) {
      if (p != null) {
        all.add(p.toAbsolutePath().normalize());
      }
    }
    List<Path> out = new ArrayList<>();
    for (Path p : all) {
      if (all.stream().noneMatch(other -> !other.equals(p) && p.startsWith(other))) {
        out.add(p);
      }
    }
    return List.copyOf(out);
  }

  private static List<Path> concat(List<Path> a, List<Path> b) {
    List<Path> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static boolean within(Path path, List<Path> roots) {
    for (Path root : roots) {
      if (path.startsWith(root)) {
        return true;
      }
    }
    return false;
  }

  private static String join(List<Path> dirs) {
    return dirs.stream().map(Path::toString).collect(Collectors.joining(", "));
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
