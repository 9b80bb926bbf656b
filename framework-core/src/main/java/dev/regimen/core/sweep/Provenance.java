package dev.regimen.core.sweep;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Where a sweep ran, for its record: the git commit of the script's folder and the machine. Both are
 * best effort: a folder outside a repository, or a machine without git, gives no commit.
 */
public final class Provenance {
  private Provenance() {}

  /**
   * The commit checked out in the repository holding {@code dir}: {@code {id, dirty}}, dirty when
   * tracked files differ from it; {@code null} when git is missing or {@code dir} is not in a repository.
   */
  public static Map<String, Object> commit(Path dir) {
    String id = git(dir, "rev-parse", "HEAD");
    if (id == null || !id.matches("[0-9a-f]{40,64}")) {
      return null;
    }
    String changes = git(dir, "status", "--porcelain", "--untracked-files=no");
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", id);
    out.put("dirty", changes == null ? null : !changes.isEmpty());
    return out;
  }

  private static String git(Path dir, String... args) {
    String[] command = new String[args.length + 3];
    command[0] = "git";
    command[1] = "-C";
    command[2] = dir.toString();
    System.arraycopy(args, 0, command, 3, args.length);
    try {
      Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      p.getOutputStream().close();
      byte[] text = p.getInputStream().readAllBytes();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return null;
      }
      return p.exitValue() == 0 ? new String(text, StandardCharsets.UTF_8).strip() : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** The machine: host name, operating system, architecture, CPUs and physical memory. */
  public static Map<String, Object> machine() {
    Map<String, Object> out = new LinkedHashMap<>();
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = null;
    }
    out.put("host", host);
    out.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    out.put("arch", System.getProperty("os.arch"));
    out.put("cpus", Runtime.getRuntime().availableProcessors());
    if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
      out.put("memory_bytes", os.getTotalMemorySize());
    }
    return out;
  }
}
