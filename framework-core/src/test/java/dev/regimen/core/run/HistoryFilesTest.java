package dev.regimen.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.regimen.api.train.History;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HistoryFilesTest {

  /** Two epochs of a classifier with validation, a diagnostic recorded from epoch 2 on, one NaN. */
  static History handMade() {
    History h = new History();
    h.record(0, "loss", 0.6931471805599453);
    h.record(0, "accuracy", 0.5);
    h.record(0, "val_loss", 0.7);
    h.record(0, "val_accuracy", 0.48);
    h.record(0, "lr", 1e-3);
    h.record(1, "loss", 0.25);
    h.record(1, "accuracy", 0.875);
    h.record(1, "val_loss", Double.NaN);
    h.record(1, "val_accuracy", 0.9);
    h.record(1, "lr", 2.5e-4);
    h.record(1, "variance_shift", 1.0000001);
    return h;
  }

  @Test
  void csvHasAHeaderInFirstSeenOrderAndOneRowPerEpochFromOne() {
    assertEquals("""
        epoch,loss,accuracy,val_loss,val_accuracy,lr,variance_shift
        1,0.6931471805599453,0.5,0.7,0.48,0.001,
        2,0.25,0.875,NaN,0.9,0.00025,1.0000001
        """, HistoryFiles.csv(handMade()));
  }

  @Test
  void csvOfAnEmptyHistoryIsTheHeaderAlone() {
    assertEquals("epoch\n", HistoryFiles.csv(new History()));
  }

  @Test
  void csvQuotesAwkwardMetricNames() {
    History h = new History();
    h.record(0, "f1,macro", 0.5);
    h.record(0, "say \"hi\"", 1);
    assertEquals("epoch,\"f1,macro\",\"say \"\"hi\"\"\"\n1,0.5,1\n", HistoryFiles.csv(h));
  }

  @Test
  void numbersAreShortestRoundTripAndLocaleIndependent() {
    assertEquals("0.1", HistoryFiles.number(0.1));
    assertEquals("2", HistoryFiles.number(2.0));
    assertEquals("-3.5", HistoryFiles.number(-3.5));
    assertEquals("0.3333333333333333", HistoryFiles.number(1.0 / 3));
    assertEquals("0.0001", HistoryFiles.number(1e-4), "Double.toString would say 1.0E-4");
    assertEquals("0.00001", HistoryFiles.number(1e-5));
    assertEquals("1e-7", HistoryFiles.number(1e-7));
    assertEquals("1.5e16", HistoryFiles.number(1.5e16));
    assertEquals("123456789012345", HistoryFiles.number(123456789012345.0));
    assertEquals("0.6931471824645996", HistoryFiles.number((double) (float) Math.log(2)));
    assertEquals("0", HistoryFiles.number(0.0));
    assertEquals("-0", HistoryFiles.number(-0.0));
    assertEquals("NaN", HistoryFiles.number(Double.NaN));
    assertEquals("Infinity", HistoryFiles.number(Double.POSITIVE_INFINITY));
    assertEquals("-Infinity", HistoryFiles.number(Double.NEGATIVE_INFINITY));
    assertEquals("5e-324", HistoryFiles.number(Double.MIN_VALUE), "shorter than Java's 4.9E-324, and exact");
    assertEquals("1.7976931348623157e308", HistoryFiles.number(Double.MAX_VALUE));
  }

  @Test
  void everyNumberParsesBackExactly() {
    Random random = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      double v = switch (i % 4) {
        case 0 -> random.nextDouble();
        case 1 -> random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20);
        case 2 -> (double) random.nextFloat();
        default -> Double.longBitsToDouble(random.nextLong());
      };
      if (Double.isNaN(v)) {
        continue;
      }
      String text = HistoryFiles.number(v);
      assertEquals(v, Double.parseDouble(text), text);
      assertFalse(text.contains("E") || text.contains(","), text);
    }
  }

  @Test
  void jsonIsColumnsWithNullForMissingOrNonFiniteValues() {
    assertEquals("""
        {
          "label" : "training-1",
          "epochs" : 2,
          "metrics" : {
            "loss" : [ 0.6931471805599453, 0.25 ],
            "accuracy" : [ 0.5, 0.875 ],
            "val_loss" : [ 0.7, null ],
            "val_accuracy" : [ 0.48, 0.9 ],
            "lr" : [ 0.001, 0.00025 ],
            "variance_shift" : [ null, 1.0000001 ]
          }
        }
        """, HistoryFiles.json("training-1", handMade()));
  }

  @Test
  void jsonParsesBackToTheSameHistory() throws Exception {
    History original = handMade();
    History back = HistoryFiles.parseHistory(HistoryFiles.json("x", original));
    assertEquals(original.epochs(), back.epochs());
    assertEquals(List.copyOf(original.metrics()), List.copyOf(back.metrics()), "first-seen order survives");
    for (String metric : original.metrics()) {
      for (int e = 0; e < original.epochs(); e++) {
        Double v = original.epoch(e).get(metric);
        Double w = back.epoch(e).get(metric);
        if (v == null || v.isNaN()) {
          assertEquals(null, w, "JSON has no NaN: " + metric + " at " + e);
        } else {
          assertEquals(v, w, metric + " at " + e);
        }
      }
    }
  }
}
