package dev.regimen.plugins.curriculum;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.regimen.api.train.Augmenter;
import dev.regimen.api.train.History;
import dev.regimen.core.losses.SoftmaxCrossEntropy;
import dev.regimen.core.optim.Sgd;
import dev.regimen.core.train.Trainer;
import dev.regimen.core.train.TrainerConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The curriculum in a real training: the rows each epoch trains on (read from the batches' indices by
 * an augmenter that changes nothing) are the easiest fraction the pacing function gives, then all.
 */
class CurriculumTrainingTest {
  private static final int N = 40;
  private static final double[] SCORES = Components.scrambled(N);
  private static final int[] EASIEST_FIRST = Components.easiestFirst(SCORES);

  /** The dataset rows of every batch of every epoch, in training order; and the history. */
  private static History train(Map<String, Object> options, Map<Integer, List<Integer>> rowsByEpoch) {
    Augmenter spy = (batch, ctx) -> {
      List<Integer> rows = rowsByEpoch.computeIfAbsent(ctx.epoch(), e -> new ArrayList<>());
      Arrays.stream(batch.indices()).forEach(rows::add);
      return batch;
    };
    TrainerConfig config = TrainerConfig.builder()
        .objective(new SoftmaxCrossEntropy())
        .optimizer(new Sgd(0.1))
        .augmenter(spy)
        .scheduler(Components.curriculum(options))
        .epochs(5).batchSize(8).seed(3).progress(false).build();
    return new Trainer(config).fit(Components.mlp(), Components.data(N, 2), null).history();
  }

  @Test
  void eachEpochTrainsOnTheEasiestFractionInScoreOrderThenOnAll() {
    Map<Integer, List<Integer>> rows = new HashMap<>();
    Map<String, Object> options = new HashMap<>(Map.of("scores", SCORES, "start", 0.25, "epochs", 3,
        "order", "easiest_first"));
    History history = train(options, rows);
    assertEquals(List.of(0.25, 0.5, 0.75, 1.0, 1.0), history.series(Curriculum.FRACTION));
    for (int e = 0; e < 3; e++) {
      int[] expected = Arrays.copyOf(EASIEST_FIRST, 10 * (e + 1));
      assertArrayEquals(expected, rows.get(e).stream().mapToInt(Integer::intValue).toArray(), "epoch " + e);
    }
    for (int e = 3; e < 5; e++) {
      int[] seen = rows.get(e).stream().mapToInt(Integer::intValue).toArray();
      assertFalse(Arrays.equals(EASIEST_FIRST, seen), "epoch " + e + " is back in the trainer's shuffled order");
      Arrays.sort(seen);
      assertArrayEquals(IntStream.range(0, N).toArray(), seen, "epoch " + e + " sees every row once");
    }
  }

  @Test
  void shuffledEpochsTrainOnTheSameRowsInAnotherOrder() {
    Map<Integer, List<Integer>> rows = new HashMap<>();
    train(new HashMap<>(Map.of("scores", SCORES, "pacing", "root", "start", 0.25, "epochs", 2)), rows);
    // root: sqrt(0.0625 + 0.9375 / 2) = 0.7289 -> ceil(29.15) = 30 rows in epoch 1
    int[] sizes = {10, 30, N, N, N};
    for (int e = 0; e < 5; e++) {
      int[] seen = rows.get(e).stream().mapToInt(Integer::intValue).toArray();
      assertEquals(sizes[e], seen.length, "epoch " + e);
      if (e < 2) {
        assertFalse(Arrays.equals(Arrays.copyOf(EASIEST_FIRST, seen.length), seen), "shuffled in epoch " + e);
        int[] expected = Arrays.copyOf(EASIEST_FIRST, seen.length);
        Arrays.sort(expected);
        Arrays.sort(seen);
        assertArrayEquals(expected, seen, "the easiest rows in epoch " + e);
      }
    }
  }
}
