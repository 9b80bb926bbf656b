package dev.regimen.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.tensor.Rng;
import dev.regimen.api.train.Batch;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class DatasetTest {

  @Test
  void digitsHaveTheDocumentedShapeAndClasses() {
    Dataset digits = EmbeddedData.digits();
    assertEquals(1797, digits.size());
    assertArrayEquals(new long[] {64}, digits.sampleShape());
    assertEquals(10, digits.numClasses());
    assertEquals(0.0, digits.features().array().minNumber().doubleValue());
    assertEquals(16.0, digits.features().array().maxNumber().doubleValue());
    // The first row of the file is a zero.
    assertEquals(0, digits.labels()[0]);
    assertEquals(1, digits.labels()[1]);
  }

  @Test
  void diabetesIsARegressionSetWithTenFeatures() {
    Dataset diabetes = EmbeddedData.diabetes();
    assertEquals(442, diabetes.size());
    assertArrayEquals(new long[] {10}, diabetes.sampleShape());
    assertEquals(0, diabetes.numClasses());
    assertEquals(151.0, diabetes.targets().array().getDouble(0, 0));
  }

  @Test
  void stratifiedSplitKeepsClassProportionsAndLosesNoRow() {
    Dataset digits = EmbeddedData.digits();
    Dataset.Split split = digits.split(0.2, new Rng(3));
    assertEquals(digits.size(), split.train().size() + split.validation().size());
    int[] all = new int[10];
    int[] val = new int[10];
    for (int label : digits.labels()) {
      all[label]++;
    }
    for (int label : split.validation().labels()) {
      val[label]++;
    }
    for (int c = 0; c < 10; c++) {
      assertEquals(Math.round(all[c] * 0.2), val[c], "class " + c);
    }
  }

  @Test
  void splitIsReproducibleWithASeed() {
    Dataset digits = EmbeddedData.digits();
    Dataset a = digits.split(0.25, new Rng(9)).validation();
    Dataset b = digits.split(0.25, new Rng(9)).validation();
    assertEquals(a.features().array(), b.features().array());
  }

  @Test
  void shuffledBatchesVisitEveryRowOnceInASeededOrder() {
    Dataset digits = EmbeddedData.digits();
    BatchIterator it = digits.batches(128, new Rng(5));
    assertEquals(15, it.batchCount());
    Set<Integer> seen = new HashSet<>();
    List<Integer> order = new ArrayList<>();
    long rows = 0;
    while (it.hasNext()) {
      Batch batch = it.next();
      rows += batch.size();
      for (int i : batch.indices()) {
        assertTrue(seen.add(i));
        order.add(i);
      }
      // Each batch row holds the features of the dataset row it names.
      assertEquals(digits.features().array().getRow(batch.indices()[0]), batch.inputs().array().getRow(0));
    }
    assertEquals(digits.size(), rows);
    BatchIterator again = digits.batches(128, new Rng(5));
    assertArrayEquals(order.subList(0, 128).stream().mapToInt(Integer::intValue).toArray(), again.next().indices());
  }

  @Test
  void headIsAViewOfTheFirstRowsThatBatchesLikeACopy() {
    Dataset digits = EmbeddedData.digits();
    Dataset head = digits.head(100);
    assertEquals(100, head.size());
    assertArrayEquals(new long[] {64}, head.sampleShape());
    assertArrayEquals(java.util.Arrays.copyOf(digits.labels(), 100), head.labels());
    // A view: it shares the set's memory rather than copying it.
    assertTrue(head.features().array().isView());
    assertEquals(digits.features().array().data().address(), head.features().array().data().address());
    // Batches over the view hold the same rows as batches over a copy, in the same seeded order.
    BatchIterator viewBatches = head.batches(32, new Rng(3));
    BatchIterator copyBatches = digits.subset(java.util.stream.IntStream.range(0, 100).toArray()).batches(32, new Rng(3));
    while (copyBatches.hasNext()) {
      Batch a = viewBatches.next();
      Batch b = copyBatches.next();
      assertEquals(b.inputs().array(), a.inputs().array());
      assertEquals(b.targets().array(), a.targets().array());
    }
    assertTrue(!viewBatches.hasNext());
    assertTrue(digits.head(5000) == digits, "a head longer than the set is the set itself");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> digits.head(0));
    assertEquals("head(n) takes n >= 1; got n=0", e.getMessage());
  }

  @Test
  void rejectsLabelsOutsideTheClasses() {
    DataException e = assertThrows(DataException.class, () -> Dataset.classification(
        Nd4j.rand(3, 2), Nd4j.createFromArray(0.0, 3.0, 1.0), 3));
    assertEquals("Label 3.0 at row 1 is outside the 3 classes [0, 2]", e.getMessage());
  }

  @Test
  void rejectsFractionalLabels() {
    DataException e = assertThrows(DataException.class, () -> Dataset.classification(
        Nd4j.rand(3, 2), Nd4j.createFromArray(0.0, 1.5, 1.0), 3));
    assertTrue(e.getMessage().contains("1.5 at row 1 is not a class index"), e.getMessage());
  }

  @Test
  void rejectsNaNFeaturesNamingTheRow() {
    var x = Nd4j.zeros(4, 3);
    x.putScalar(2, 1, Double.NaN);
    DataException e = assertThrows(DataException.class, () -> Dataset.regression(x, Nd4j.zeros(4)));
    assertTrue(e.getMessage().contains("non-finite value (NaN) in row 2"), e.getMessage());
  }

  @Test
  void acceptsHugeFiniteValuesWhoseSumOverflows() {
    var x = Nd4j.createFromArray(new float[][] {{3e38f, 1}, {3e38f, 2}});
    assertEquals(2, Dataset.regression(x, Nd4j.zeros(2)).size());
  }

  @Test
  void replacingFeaturesKeepsTargetsAndChecksTheRowCount() {
    Dataset digits = EmbeddedData.digits();
    Dataset doubled = digits.withFeatures(digits.features().array().mul(2));
    assertArrayEquals(digits.labels(), doubled.labels());
    assertEquals(32.0, doubled.features().array().maxNumber().doubleValue());
    assertThrows(DataException.class, () -> digits.withFeatures(Nd4j.zeros(3, 64)));
  }

  @Test
  void rejectsASetWithoutSamples() {
    DataException none = assertThrows(DataException.class, () -> Dataset.classification(
        Nd4j.zeros(DataType.FLOAT, 0, 4), Nd4j.zeros(DataType.FLOAT, 0), 3));
    assertEquals("A data set needs at least one sample with at least one feature; got features of shape [0, 4]",
        none.getMessage());
    assertThrows(DataException.class, () -> Dataset.regression(
        Nd4j.zeros(DataType.FLOAT, 0, 2), Nd4j.zeros(DataType.FLOAT, 0)));
  }

  @Test
  void aSplitThatLeavesOneSideEmptySaysWhichAndWhy() {
    // 10 classes of 2 rows each: 10% rounds to no row of any class.
    float[] labels = new float[20];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = i % 10;
    }
    Dataset small = Dataset.classification(Nd4j.rand(20, 2), Nd4j.createFromArray(labels), 10);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> small.split(0.1, new Rng(1)));
    assertEquals("A fraction of 0.1 held out of 20 rows leaves no row to hold out (the split is stratified: each of "
        + "the 10 classes is rounded on its own); choose a fraction that leaves rows on both sides, or give more data",
        e.getMessage());
    Dataset two = Dataset.regression(Nd4j.rand(2, 2), Nd4j.zeros(2));
    IllegalArgumentException train = assertThrows(IllegalArgumentException.class, () -> two.split(0.9, new Rng(1)));
    assertTrue(train.getMessage().contains("leaves no row to train on; choose"), train.getMessage());
  }

  @Test
  void rejectsFeatureTargetCountMismatch() {
    DataException e = assertThrows(DataException.class, () -> Dataset.regression(Nd4j.zeros(4, 3), Nd4j.zeros(5)));
    assertTrue(e.getMessage().contains("same number of rows"), e.getMessage());
  }

  @Test
  void csvReportsARowWithTheWrongNumberOfFields() {
    String csv = "1,2,3\n4,5,6\n7,8\n";
    DataException e = assertThrows(DataException.class, () -> CsvReader.read(
        new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), "bad.csv", ',', false));
    assertEquals("bad.csv, line 3: 2 fields where earlier rows have 3", e.getMessage());
  }

  @Test
  void csvReportsANonNumberWithItsLineAndField() {
    String csv = "a,b\n1,2\n3,x\n";
    DataException e = assertThrows(DataException.class, () -> CsvReader.read(
        new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), "bad.csv", ',', true));
    assertEquals("bad.csv, line 3, field 2: 'x' is not a number", e.getMessage());
  }
}
