package dev.regimen.core.script;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.Charset;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.util.Map;
import java.util.Set;
import org.graalvm.polyglot.io.FileSystem;

/**
 * The file system a sandboxed script sees: the host's files, filtered by a {@link FileAccess}.
 * Reading outside the allowed folders, and writing outside the run folder, fails with a
 * {@link SandboxException} (a {@code PermissionError} in Python). GraalVM's own language files
 * (GraalPy's standard library, unpacked as an internal resource) stay readable through
 * {@link FileSystem#allowInternalResourceAccess}, which {@link ScriptHost} wraps around this; without
 * it GraalPy cannot find its core and standard library.
 */
final class SandboxFileSystem implements FileSystem {
  private final FileSystem host = FileSystem.newDefaultFileSystem();
  private final FileAccess access;

  SandboxFileSystem(FileAccess access) {
    this.access = access;
  }

  @Override
  public Path parsePath(URI uri) {
    return host.parsePath(uri);
  }

  @Override
  public Path parsePath(String path) {
    return host.parsePath(path);
  }

  @Override
  public void checkAccess(Path path, Set<? extends AccessMode> modes, LinkOption... linkOptions) throws IOException {
    if (modes.contains(AccessMode.WRITE)) {
      access.checkWrite(path);
    } else {
      access.checkRead(path);
    }
    host.checkAccess(path, modes, linkOptions);
  }

  @Override
  public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
    host.createDirectory(access.checkWrite(dir), attrs);
  }

  @Override
  public void delete(Path path) throws IOException {
    host.delete(access.checkWrite(path));
  }

  @Override
  public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
      throws IOException {
    boolean writes = options.contains(StandardOpenOption.WRITE) || options.contains(StandardOpenOption.APPEND)
        || options.contains(StandardOpenOption.CREATE) || options.contains(StandardOpenOption.CREATE_NEW)
        || options.contains(StandardOpenOption.DELETE_ON_CLOSE) || options.contains(StandardOpenOption.TRUNCATE_EXISTING);
    Path checked = writes ? access.checkWrite(path) : access.checkRead(path);
    return host.newByteChannel(checked, options, attrs);
  }

  @Override
  public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
      throws IOException {
    return host.newDirectoryStream(access.checkRead(dir), filter);
  }

  @Override
  public Path toAbsolutePath(Path path) {
    return host.toAbsolutePath(path);
  }

  @Override
  public Path toRealPath(Path path, LinkOption... linkOptions) throws IOException {
    return host.toRealPath(access.checkRead(path), linkOptions);
  }

  @Override
  public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
    return host.readAttributes(access.checkRead(path), attributes, options);
  }

  @Override
  public void setAttribute(Path path, String attribute, Object value, LinkOption... options) throws IOException {
    host.setAttribute(access.checkWrite(path), attribute, value, options);
  }

  @Override
  public void copy(Path source, Path target, CopyOption... options) throws IOException {
    host.copy(access.checkRead(source), access.checkWrite(target), options);
  }

  @Override
  public void move(Path source, Path target, CopyOption... options) throws IOException {
    host.move(access.checkWrite(source), access.checkWrite(target), options);
  }

  @Override
  public void createLink(Path link, Path existing) throws IOException {
    throw new SandboxException("A script may not create links; run with " + SandboxException.FLAG + " to allow it");
  }

  @Override
  public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs) throws IOException {
    throw new SandboxException("A script may not create links; run with " + SandboxException.FLAG + " to allow it");
  }

  @Override
  public Path readSymbolicLink(Path link) throws IOException {
    return host.readSymbolicLink(access.checkRead(link));
  }

  @Override
  public void setCurrentWorkingDirectory(Path currentWorkingDirectory) {
    host.setCurrentWorkingDirectory(currentWorkingDirectory);
  }

  @Override
  public String getSeparator() {
    return host.getSeparator();
  }

  @Override
  public String getPathSeparator() {
    return host.getPathSeparator();
  }

  @Override
  public String getMimeType(Path path) {
    return host.getMimeType(path);
  }

  @Override
  public Charset getEncoding(Path path) {
    return host.getEncoding(path);
  }

  @Override
  public Path getTempDirectory() {
    return host.getTempDirectory();
  }

  @Override
  public boolean isSameFile(Path path1, Path path2, LinkOption... options) throws IOException {
    return host.isSameFile(access.checkRead(path1), access.checkRead(path2), options);
  }
}
