package dev.regimen.core.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regimen.core.checkpoint.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * {@value RunFolder#RUN_JSON}: how a run was started, written into its folder before the script runs
 * and updated when it ends, so that {@code regimen resume} can continue it with the same script,
 * {@code --set} values, seed, plugins and sandbox, and so that a reader knows how it was made.
 *
 * <pre>{@code
 * {
 *   "format" : 1,
 *   "script" : "/home/me/scripts/quickstart.js",
 *   "script_sha256" : "9f2c...",
 *   "sets" : [ "epochs=5" ],
 *   "seed" : 7,
 *   "plugins" : null,
 *   "allow_host_access" : false,
 *   "regimen" : "0.1.0",
 *   "started" : "2026-11-24T13:57:50Z",
 *   "status" : "interrupted",
 *   "resumed" : 0
 * }
 * }</pre>
 *
 * @param script the script's absolute path
 * @param scriptSha256 the SHA-256 of the script's bytes when the run started (a resume refuses a
 *     script that changed since)
 * @param sets the {@code --set KEY=VALUE} arguments as given, {@code smoke=true} included
 * @param seed the {@code --seed}, or {@code null} for the default
 * @param pluginsDir the {@code --plugins} folder, or {@code null} for the distribution's
 * @param allowHostAccess whether the sandbox was lifted ({@code --allow-host-access})
 * @param regimenVersion the Regimen version that started the run
 * @param started when the run started
 * @param status {@link #RUNNING} (also what a killed run leaves), {@link #FINISHED}, {@link #INTERRUPTED}
 *     or {@code failed: <message>}
 * @param resumed how often the run was resumed
 */
public record RunSettings(
    Path script,
    String scriptSha256,
    List<String> sets,
    Long seed,
    Path pluginsDir,
    boolean allowHostAccess,
    String regimenVersion,
    Instant started,
    String status,
    int resumed) {

  /** The layout of {@value RunFolder#RUN_JSON} written now. */
  public static final int FORMAT = 1;

  public static final String RUNNING = "running";
  public static final String FINISHED = "finished";
  public static final String INTERRUPTED = "interrupted";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public RunSettings {
    Objects.requireNonNull(script, "script");
    Objects.requireNonNull(started, "started");
    sets = List.copyOf(sets);
  }

  /** The same settings with another status. */
  public RunSettings withStatus(String value) {
    return new RunSettings(script, scriptSha256, sets, seed, pluginsDir, allowHostAccess, regimenVersion, started,
        value, resumed);
  }

  /** The same settings, resumed once more and running. */
  public RunSettings resumedOnceMore() {
    return new RunSettings(script, scriptSha256, sets, seed, pluginsDir, allowHostAccess, regimenVersion, started,
        RUNNING, resumed + 1);
  }

  /** The command line that started the run (without {@code --out}, which the folder's place tells). */
  public String commandLine() {
    StringBuilder out = new StringBuilder("regimen run ").append(script);
    sets.forEach(set -> out.append(" --set ").append(set));
    if (seed != null) {
      out.append(" --seed ").append(seed);
    }
    if (pluginsDir != null) {
      out.append(" --plugins ").append(pluginsDir);
    }
    if (allowHostAccess) {
      out.append(" --allow-host-access");
    }
    return out.toString();
  }

  /** Writes {@value RunFolder#RUN_JSON} into {@code runDir}, replacing it atomically. */
  public void write(Path runDir) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("script", script.toString());
    root.put("script_sha256", scriptSha256);
    ArrayNode list = root.putArray("sets");
    sets.forEach(list::add);
    if (seed == null) {
      root.putNull("seed");
    } else {
      root.put("seed", seed);
    }
    root.put("plugins", pluginsDir == null ? null : pluginsDir.toString());
    root.put("allow_host_access", allowHostAccess);
    root.put("regimen", regimenVersion);
    root.put("started", started.toString());
    root.put("status", status);
    root.put("resumed", resumed);
    AtomicFiles.write(runDir.resolve(RunFolder.RUN_JSON), JSON.writeValueAsBytes(root));
  }

  /**
   * Reads {@value RunFolder#RUN_JSON} from a run folder.
   *
   * @throws IllegalArgumentException naming the folder if it holds no such file or the file is not one
   *     that Regimen wrote
   */
  public static RunSettings read(Path runDir) {
    Path file = runDir.resolve(RunFolder.RUN_JSON);
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(runDir + " is not a run folder that can be resumed: it has no "
          + RunFolder.RUN_JSON + " (regimen run writes one into every run folder)");
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read " + file + ": " + e.getMessage(), e);
    }
    try {
      if (root == null || !root.isObject() || !root.path("script").isTextual()) {
        throw new IllegalArgumentException("it has no \"script\"");
      }
      if (root.path("format").asInt(0) > FORMAT) {
        throw new IllegalArgumentException("it has format " + root.path("format").asInt()
            + "; this Regimen reads format " + FORMAT + " and older (resume it with the Regimen that made it)");
      }
      List<String> sets = new ArrayList<>();
      root.path("sets").forEach(n -> sets.add(n.asText()));
      JsonNode seed = root.path("seed");
      JsonNode plugins = root.path("plugins");
      return new RunSettings(
          Path.of(root.path("script").asText()),
          root.path("script_sha256").isTextual() ? root.path("script_sha256").asText() : null,
          sets,
          seed.isIntegralNumber() ? seed.asLong() : null,
          plugins.isTextual() ? Path.of(plugins.asText()) : null,
          root.path("allow_host_access").asBoolean(false),
          root.path("regimen").asText(""),
          Instant.parse(root.path("started").asText()),
          root.path("status").asText(RUNNING),
          root.path("resumed").asInt(0));
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new IllegalArgumentException(file + " is not a run description that Regimen wrote: " + e.getMessage(), e);
    }
  }

  /** The SHA-256 of a file's bytes, in lower-case hex. */
  public static String sha256(Path file) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("This JVM has no SHA-256", e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
