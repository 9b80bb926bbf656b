package dev.regimen.core.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Saves and loads checkpoints: a folder holding {@value #WEIGHTS_FILE} (every array, in the safetensors
 * format, so PyTorch and NumPy can read the weights) and {@value #STATE_FILE} (a {@link
 * CheckpointState} as JSON, for people and tools to read too).
 *
 * <p>Arrays are named model-wide, for example {@code dense_1.weight} and {@code
 * batchnorm_1.running_mean}; optimizer state goes under {@value #OPTIMIZER_PREFIX} (e.g. {@code
 * optimizer.dense_1.weight.m}), fitted normalizer arrays under {@value #NORMALIZER_PREFIX} (e.g.
 * {@code normalizer.mean}) and schedulers' arrays under {@value #SCHEDULER_PREFIX}. Arrays round-trip bit for bit, in their own ND4J data type.
 *
 * <p>A save replaces the folder atomically ({@link AtomicFiles#writeDirectoryAtomically}): a crash
 * during a save leaves the previous checkpoint, never a mix of old and new files or a half-written one.
 * This class knows nothing of the trainer; it stores what it is given.
 */
public final class CheckpointStore {

  /** The arrays' file inside a checkpoint folder. */
  public static final String WEIGHTS_FILE = "weights.safetensors";

  /** The training state's file inside a checkpoint folder. */
  public static final String STATE_FILE = "state.json";

  /** The name prefix of optimizer state arrays. */
  public static final String OPTIMIZER_PREFIX = "optimizer.";

  /** The name prefix of fitted normalizer arrays. */
  public static final String NORMALIZER_PREFIX = "normalizer.";

  /**
   * The name prefix of schedulers' arrays (early stopping's best weights), followed by the
   * scheduler's key and a dot: {@code scheduler.0:EarlyStopping.dense_1.weight}.
   */
  public static final String SCHEDULER_PREFIX = "scheduler.";

  /** The safetensors metadata key recording the checkpoint format version. */
  public static final String FORMAT_METADATA_KEY = "regimen.format_version";

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          // A newer minor writer may add fields; the format version guards real incompatibilities.
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private CheckpointStore() {}

  /**
   * Saves {@code arrays} and {@code state} as the checkpoint folder {@code dir}, replacing any previous
   * one atomically. The state is serialized before the folder is touched, so a state that is not JSON
   * (a value that is no JSON type) fails without harm.
   *
   * @throws CheckpointException if the state cannot be written as JSON, an array cannot be stored, or
   *     the file system fails
   */
  public static void save(Path dir, Map<String, INDArray> arrays, CheckpointState state) {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(arrays, "arrays");
    Objects.requireNonNull(state, "state");
    byte[] json;
    try {
      json = JSON.writeValueAsBytes(state);
    } catch (JsonProcessingException e) {
      throw new CheckpointException(
          "cannot save checkpoint " + dir + ": its state is not JSON: " + e.getOriginalMessage(), e);
    }
    Map<String, String> metadata =
        Map.of(FORMAT_METADATA_KEY, Integer.toString(state.formatVersion()));
    try {
      AtomicFiles.writeDirectoryAtomically(
          dir,
          folder -> {
            Safetensors.write(folder.resolve(WEIGHTS_FILE), arrays, metadata);
            try {
              Files.write(folder.resolve(STATE_FILE), json);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    } catch (IllegalArgumentException e) {
      throw new CheckpointException("cannot save checkpoint " + dir + ": " + e.getMessage(), e);
    } catch (UncheckedIOException e) {
      throw new CheckpointException(
          "cannot save checkpoint " + dir + ": " + e.getCause(), e.getCause());
    }
  }

  /**
   * Loads the checkpoint folder {@code dir}.
   *
   * @throws CheckpointException for a missing folder, a missing file, a corrupt or unknown-version
   *     {@value #STATE_FILE} or a malformed {@value #WEIGHTS_FILE}; the message names the path
   */
  public static Checkpoint load(Path dir) {
    Objects.requireNonNull(dir, "dir");
    if (!Files.exists(dir)) {
      throw new CheckpointException("no checkpoint folder at " + dir + interruptedSaveHint(dir));
    }
    if (!Files.isDirectory(dir)) {
      throw new CheckpointException("checkpoint " + dir + " is not a folder");
    }
    Path weights = dir.resolve(WEIGHTS_FILE);
    Path stateFile = dir.resolve(STATE_FILE);
    for (Path required : List.of(weights, stateFile)) {
      if (!Files.isRegularFile(required)) {
        throw new CheckpointException(
            "checkpoint folder " + dir + " has no " + required.getFileName() + " file");
      }
    }
    CheckpointState state = readState(stateFile);
    Map<String, INDArray> arrays = Safetensors.read(weights);
    return new Checkpoint(arrays, state);
  }

  /** Whether {@code dir} looks like a checkpoint folder (both files present); nothing is validated. */
  public static boolean exists(Path dir) {
    return Files.isRegularFile(dir.resolve(WEIGHTS_FILE))
        && Files.isRegularFile(dir.resolve(STATE_FILE));
  }
  /**
   * Deletes a checkpoint folder and everything in it (a pruned checkpoint); a folder that does not
   * exist is left alone.
   *
   * @throws IllegalArgumentException for a folder that is not a checkpoint, which is never deleted
   * @throws CheckpointException if a file cannot be deleted
   */
  public static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    if (!exists(dir)) {
      throw new IllegalArgumentException(dir + " is not a checkpoint folder (" + WEIGHTS_FILE + ", " + STATE_FILE
          + "); it is not deleted");
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new CheckpointException("Could not delete the checkpoint " + dir + ": " + e.getMessage(), e);
    }
  }


  private static CheckpointState readState(Path file) {
    CheckpointState state;
    try {
      state = JSON.readValue(Files.readAllBytes(file), CheckpointState.class);
    } catch (JsonProcessingException e) {
      throw new CheckpointException(
          "corrupt " + file + ": " + e.getOriginalMessage() + field(e) + location(e), e);
    } catch (IOException e) {
      throw new CheckpointException("cannot read " + file + ": " + e, e);
    }
    if (state == null) {
      throw new CheckpointException("corrupt " + file + ": it holds null, not a checkpoint state");
    }
    if (state.formatVersion() < 1) {
      throw new CheckpointException(
          "corrupt " + file + ": no valid formatVersion (" + state.formatVersion() + ")");
    }
    if (state.formatVersion() > CheckpointState.FORMAT_VERSION) {
      throw new CheckpointException(
          file
              + " has checkpoint format "
              + state.formatVersion()
              + ", newer than the "
              + CheckpointState.FORMAT_VERSION
              + " this version of Regimen reads");
    }
    return state;
  }

  /** The offending field's path, such as {@code at history[2].loss}, where Jackson knows it. */
  private static String field(JsonProcessingException e) {
    if (!(e instanceof JsonMappingException mapping) || mapping.getPath().isEmpty()) {
      return "";
    }
    StringBuilder path = new StringBuilder(" at ");
    for (JsonMappingException.Reference r : mapping.getPath()) {
      if (r.getFieldName() != null) {
        path.append(path.length() > 4 ? "." : "").append(r.getFieldName());
      } else {
        path.append('[').append(r.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null
        ? ""
        : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
  }

  /** A note on copies an interrupted save left beside {@code dir}, which the next save puts back. */
  private static String interruptedSaveHint(Path dir) {
    Path absolute = dir.toAbsolutePath().normalize();
    Path parent = absolute.getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      return "";
    }
    String prefix = "." + absolute.getFileName() + ".old-";
    List<String> found = new ArrayList<>();
    try (DirectoryStream<Path> siblings =
        Files.newDirectoryStream(parent, p -> p.getFileName().toString().startsWith(prefix))) {
      siblings.forEach(p -> found.add(p.getFileName().toString()));
    } catch (IOException e) {
      return "";
    }
    return found.isEmpty()
        ? ""
        : "; an interrupted save left the previous checkpoint as "
            + found
            + " beside it, which AtomicFiles.recover(dir) or the next save restores";
  }
}
