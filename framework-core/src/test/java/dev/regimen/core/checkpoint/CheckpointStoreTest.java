package dev.regimen.core.checkpoint;

import static dev.regimen.core.checkpoint.SafetensorsTest.assertSameBits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.tensor.Rng;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class CheckpointStoreTest {

  @TempDir Path dir;

  static Map<String, INDArray> arrays(long seed) {
    Rng rng = new Rng(seed);
    Map<String, INDArray> arrays = new LinkedHashMap<>();
    arrays.put("dense_1.weight", rng.normal(DataType.FLOAT, 0, 1, 64, 32));
    arrays.put("dense_1.bias", rng.normal(DataType.FLOAT, 0, 1, 32));
    arrays.put("batchnorm_1.running_mean", rng.normal(DataType.DOUBLE, 0, 1, 32));
    arrays.put("batchnorm_1.running_var", rng.uniform(DataType.DOUBLE, 0.5, 2, 32));
    arrays.put("optimizer.dense_1.weight.m", rng.normal(DataType.FLOAT, 0, 1e-3, 64, 32));
    arrays.put("optimizer.dense_1.weight.v", rng.uniform(DataType.FLOAT, 0, 1e-6, 64, 32));
    arrays.put("normalizer.mean", rng.normal(DataType.DOUBLE, 0, 10, 64));
    arrays.put("normalizer.std", rng.uniform(DataType.DOUBLE, 1, 5, 64));
    return arrays;
  }

  static CheckpointState state() {
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("note", "resumed");
    extra.put("flags", List.of(true, false));
    return state(2, 17, extra);
  }

  /**
   * The fixture state at a position in training and with extra values. Every map is ordered (Map.of's
   * order changes from run to run), so that state.json's bytes are fixed.
   */
  static CheckpointState state(int epoch, long batchInEpoch, Map<String, Object> extra) {
    Map<String, Object> layer = new LinkedHashMap<>();
    layer.put("type", "dense");
    layer.put("units", 32);
    layer.put("init", null);
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("type", "sequential");
    Map<String, Object> batchnorm = new LinkedHashMap<>();
    batchnorm.put("type", "batchnorm");
    batchnorm.put("momentum", 0.9);
    config.put("layers", List.of(layer, batchnorm));
    Map<String, Object> earlyStopping = new LinkedHashMap<>();
    earlyStopping.put("best", 0.123456789012345);
    earlyStopping.put("wait", 2);
    Map<String, Double> epoch1 = new LinkedHashMap<>();
    epoch1.put("loss", 0.6931471805599453);
    epoch1.put("val_loss", Double.NaN);
    Map<String, Double> epoch2 = new LinkedHashMap<>();
    epoch2.put("loss", 1e-300);
    epoch2.put("val_loss", Double.POSITIVE_INFINITY);
    return new CheckpointState(
        CheckpointState.FORMAT_VERSION,
        config,
        "adam",
        1234, // optimizerStep
        0.1 + 0.2, // learningRate 0.30000000000000004: every bit must survive
        epoch,
        batchInEpoch,
        -8_070_450_532_247_928_832L, // seed
        99, // rngPosition
        Map.of("early_stopping", earlyStopping),
        "zscore",
        List.of(epoch1, epoch2),
        extra);
  }

  @Test
  void arraysAndStateRoundTripExactly() throws IOException {
    Path ckpt = dir.resolve("last");
    Map<String, INDArray> arrays = arrays(7);
    CheckpointState state = state();
    CheckpointStore.save(ckpt, arrays, state);

    assertTrue(CheckpointStore.exists(ckpt));
    try (Stream<Path> files = Files.list(ckpt)) {
      assertEquals(
          List.of(CheckpointStore.STATE_FILE, CheckpointStore.WEIGHTS_FILE),
          files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList()));
    }
    Checkpoint loaded = CheckpointStore.load(ckpt);
    assertEquals(arrays.keySet(), loaded.arrays().keySet());
    for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
      assertSameBits(e.getValue(), loaded.arrays().get(e.getKey()), e.getKey());
    }
    assertEquals(state, loaded.state());
    assertEquals(
        Double.doubleToRawLongBits(0.1 + 0.2),
        Double.doubleToRawLongBits(loaded.state().learningRate()));
    assertTrue(loaded.state().history().get(0).get("val_loss").isNaN());
    assertEquals(32, ((Map<?, ?>) ((List<?>) loaded.state().modelConfig().get("layers")).get(0))
        .get("units"));
    assertEquals(
        "1",
        Safetensors.readMetadata(ckpt.resolve(CheckpointStore.WEIGHTS_FILE))
            .get(CheckpointStore.FORMAT_METADATA_KEY));
  }

  @Test
  void checkpointSplitsArraysByPrefix() {
    Path ckpt = dir.resolve("c");
    CheckpointStore.save(ckpt, arrays(1), state());
    Checkpoint loaded = CheckpointStore.load(ckpt);
    assertEquals(
        List.of(
            "batchnorm_1.running_mean",
            "batchnorm_1.running_var",
            "dense_1.bias",
            "dense_1.weight"),
        sorted(loaded.modelArrays().keySet()));
    assertEquals(List.of("dense_1.weight.m", "dense_1.weight.v"), sorted(loaded.optimizerArrays().keySet()));
    assertEquals(List.of("mean", "std"), sorted(loaded.normalizerArrays().keySet()));
  }

  private static List<String> sorted(java.util.Collection<String> names) {
    List<String> out = new ArrayList<>(names);
    out.sort(null);
    return out;
  }

  @Test
  void aSaveReplacesThePreviousCheckpointWhole() {
    Path ckpt = dir.resolve("last");
    CheckpointStore.save(ckpt, arrays(1), state());
    Map<String, INDArray> next = new LinkedHashMap<>();
    next.put("dense_1.weight", Nd4j.ones(DataType.FLOAT, 2, 2));
    CheckpointState nextState = state(3, 0, state().extra());
    CheckpointStore.save(ckpt, next, nextState);
    Checkpoint loaded = CheckpointStore.load(ckpt);
    assertEquals(List.of("dense_1.weight"), new ArrayList<>(loaded.arrays().keySet()));
    assertEquals(3, loaded.state().epoch());
  }

  @Test
  void aStateThatIsNotJsonFailsBeforeTouchingThePreviousCheckpoint() throws IOException {
    Path ckpt = dir.resolve("last");
    CheckpointStore.save(ckpt, arrays(1), state());
    byte[] before = Files.readAllBytes(ckpt.resolve(CheckpointStore.STATE_FILE));
    CheckpointState bad = state(2, 17, Map.of("thing", new Object()));
    CheckpointException e =
        assertThrows(CheckpointException.class, () -> CheckpointStore.save(ckpt, arrays(2), bad));
    assertTrue(e.getMessage().contains("not JSON"), e.getMessage());
    assertEquals(new String(before), Files.readString(ckpt.resolve(CheckpointStore.STATE_FILE)));
    assertSameBits(
        arrays(1).get("dense_1.weight"),
        CheckpointStore.load(ckpt).arrays().get("dense_1.weight"),
        "dense_1.weight");
  }

  @Test
  void anArrayThatCannotBeStoredLeavesThePreviousCheckpoint() throws IOException {
    Path ckpt = dir.resolve("last");
    CheckpointStore.save(ckpt, arrays(1), state());
    Map<String, INDArray> bad = new LinkedHashMap<>(arrays(2));
    bad.put("broken", null);
    CheckpointException e =
        assertThrows(CheckpointException.class, () -> CheckpointStore.save(ckpt, bad, state()));
    assertTrue(e.getMessage().contains("'broken'"), e.getMessage());
    assertSameBits(
        arrays(1).get("dense_1.bias"),
        CheckpointStore.load(ckpt).arrays().get("dense_1.bias"),
        "dense_1.bias");
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(1, s.count(), "no temporary folder left");
    }
  }

  @Test
  void aMissingFolderIsAClearError() {
    Path missing = dir.resolve("nowhere");
    CheckpointException e =
        assertThrows(CheckpointException.class, () -> CheckpointStore.load(missing));
    assertTrue(e.getMessage().contains("no checkpoint folder at " + missing), e.getMessage());
    assertFalse(CheckpointStore.exists(missing));
  }

  @Test
  void aMissingFileIsAClearError() throws IOException {
    Path ckpt = dir.resolve("c");
    CheckpointStore.save(ckpt, arrays(1), state());
    Files.delete(ckpt.resolve(CheckpointStore.WEIGHTS_FILE));
    CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointStore.load(ckpt));
    assertTrue(e.getMessage().contains("has no weights.safetensors"), e.getMessage());
    assertTrue(e.getMessage().contains(ckpt.toString()), e.getMessage());
  }

  @Test
  void corruptJsonIsAClearError() throws IOException {
    Path ckpt = dir.resolve("c");
    CheckpointStore.save(ckpt, arrays(1), state());
    Path stateFile = ckpt.resolve(CheckpointStore.STATE_FILE);
    String json = Files.readString(stateFile);
    Files.writeString(stateFile, json.substring(0, json.length() / 2));
    CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointStore.load(ckpt));
    assertTrue(e.getMessage().startsWith("corrupt " + stateFile), e.getMessage());
    assertTrue(e.getMessage().contains("line"), e.getMessage());

    Files.writeString(stateFile, "{\"epoch\": \"three\"}");
    e = assertThrows(CheckpointException.class, () -> CheckpointStore.load(ckpt));
    assertTrue(e.getMessage().contains("epoch"), e.getMessage());

    Files.writeString(stateFile, "{\"epoch\": 3}");
    e = assertThrows(CheckpointException.class, () -> CheckpointStore.load(ckpt));
    assertTrue(e.getMessage().contains("formatVersion"), e.getMessage());

    Files.writeString(stateFile, "{\"formatVersion\": 99}");
    e = assertThrows(CheckpointException.class, () -> CheckpointStore.load(ckpt));
    assertTrue(e.getMessage().contains("newer"), e.getMessage());
  }

  @Test
  void corruptWeightsAreAClearError() throws IOException {
    Path ckpt = dir.resolve("c");
    CheckpointStore.save(ckpt, arrays(1), state());
    Path weights = ckpt.resolve(CheckpointStore.WEIGHTS_FILE);
    byte[] content = Files.readAllBytes(weights);
    Files.write(weights, java.util.Arrays.copyOf(content, content.length - 3));
    CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointStore.load(ckpt));
    assertTrue(e.getMessage().contains(weights.toString()), e.getMessage());
  }

  /**
   * The record's components fix state.json's layout, and checkpoints written before must still read:
   * the fixture state writes exactly the bytes of {@code state-format-1.json}, and those bytes read back
   * as the same state.
   */
  @Test
  void theStateFileKeepsItsLayoutByteForByte() throws IOException {
    Path ckpt = dir.resolve("layout");
    CheckpointStore.save(ckpt, Map.of(), state());
    String written = Files.readString(ckpt.resolve(CheckpointStore.STATE_FILE)).replace("\r\n", "\n");
    String golden;
    try (var in = CheckpointStoreTest.class.getResourceAsStream("state-format-1.json")) {
      golden = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    assertEquals(golden, written);
    Files.writeString(ckpt.resolve(CheckpointStore.STATE_FILE), golden);
    assertEquals(state(), CheckpointStore.load(ckpt).state());
  }

  @Test
  void anEmptyStateRoundTrips() {
    Path ckpt = dir.resolve("empty");
    CheckpointState empty = new CheckpointState(CheckpointState.FORMAT_VERSION, null, null, 0, 0, 0, 0, 0, 0, null, null, null, null);
    CheckpointStore.save(ckpt, Map.of(), empty);
    Checkpoint loaded = CheckpointStore.load(ckpt);
    assertEquals(empty, loaded.state());
    assertTrue(loaded.arrays().isEmpty());
    assertEquals(Map.of(), loaded.state().modelConfig());
    assertEquals(List.of(), loaded.state().history());
  }
}
