package dev.regimen.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvLoaderTest {
  @TempDir
  Path dir;

  private static final String IRIS_LIKE = """
      "sepal",species,petal
      5.1,0,1.4
      7.0,2,4.7
      6.3,1,6.0
      """;

  @Test
  void loadsTheTargetColumnNamedInTheHeader() {
    Dataset data = CsvLoader.load(write("iris.csv", IRIS_LIKE), CsvOptions.defaults().target("species"));
    assertEquals(3, data.size());
    assertEquals(3, data.numClasses());
    assertArrayEquals(new int[] {0, 2, 1}, data.labels());
    assertArrayEquals(new long[] {3, 2}, data.features().shape());
    assertArrayEquals(new float[] {5.1f, 1.4f, 7.0f, 4.7f, 6.3f, 6.0f}, data.features().array().data().asFloat());
  }

  @Test
  void takesTheLastColumnAsAClassLabelByDefault() {
    Dataset data = CsvLoader.load(write("d.csv", "a,b,y\n1,2,0\n3,4,1\n"), CsvOptions.defaults());
    assertArrayEquals(new int[] {0, 1}, data.labels());
    assertEquals(2, data.numClasses());
    assertEquals(4.0, data.features().array().getDouble(1, 1));
  }

  @Test
  void usesTheNumberOfClassesTheOptionsGive() {
    Dataset data = CsvLoader.load(write("d.csv", "a,y\n1,0\n3,1\n"), CsvOptions.defaults().classification(5));
    assertEquals(5, data.numClasses());
  }

  @Test
  void loadsARegressionTargetByIndexFromAGzippedFileWithoutHeader() {
    Path file = dir.resolve("r.txt.gz");
    try (GZIPOutputStream gz = new GZIPOutputStream(Files.newOutputStream(file))) {
      gz.write("0.5  1  2\n-1.5 3 4\n".getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Dataset data = CsvLoader.load(file, CsvOptions.defaults().delimiter(null).header(false).target(0).regression());
    assertEquals(0, data.numClasses());
    assertArrayEquals(new long[] {2, 1}, data.targets().shape());
    assertEquals(-1.5, data.targets().array().getDouble(1, 0));
    assertArrayEquals(new float[] {1, 2, 3, 4}, data.features().array().data().asFloat());
  }

  @Test
  void rejectsAnUnknownTargetNameListingTheHeaderNames() {
    Path file = write("iris.csv", IRIS_LIKE);
    DataException e = assertThrows(DataException.class,
        () -> CsvLoader.load(file, CsvOptions.defaults().target("label")));
    assertEquals(file + " has no column named 'label'; its columns are: sepal, species, petal", e.getMessage());
  }

  @Test
  void rejectsATargetIndexOutsideTheColumns() {
    Path file = write("iris.csv", IRIS_LIKE);
    DataException e = assertThrows(DataException.class, () -> CsvLoader.load(file, CsvOptions.defaults().target(3)));
    assertEquals(file + " has 3 columns; the target column index 3 is outside them (0 to 2, or -1 to -3 from the end)",
        e.getMessage());
  }

  @Test
  void rejectsANamedTargetWithoutAHeader() {
    Path file = write("d.csv", "1,0\n2,1\n");
    DataException e = assertThrows(DataException.class,
        () -> CsvLoader.load(file, CsvOptions.defaults().header(false).target("y")));
    assertTrue(e.getMessage().contains("no header line"), e.getMessage());
  }

  @Test
  void rejectsAFractionalLabelNamingItsRowAndSuggestingRegression() {
    Path file = write("d.csv", "x,y\n1,0\n2,0.5\n");
    DataException e = assertThrows(DataException.class, () -> CsvLoader.load(file, CsvOptions.defaults()));
    assertEquals(file + ", data row 2: the label 0.5 in column 'y' is not a class index (a whole number from 0); for "
        + "a numeric target use CsvOptions.regression()", e.getMessage());
  }

  @Test
  void rejectsAHeaderWhoseWidthDiffersFromTheRows() {
    Path file = write("d.csv", "x,y\n1,0,4\n2,1,5\n");
    DataException e = assertThrows(DataException.class, () -> CsvLoader.load(file, CsvOptions.defaults()));
    assertEquals(file + ": the header names 2 columns (x, y) but the data rows have 3 fields", e.getMessage());
  }

  @Test
  void passesOnTheReadersLineAndFieldErrors() {
    Path file = write("d.csv", "x,y\n1,0\nfoo,1\n");
    DataException e = assertThrows(DataException.class, () -> CsvLoader.load(file, CsvOptions.defaults()));
    assertEquals(file + ", line 3, field 1: 'foo' is not a number", e.getMessage());
  }

  @Test
  void reportsAMissingFile() {
    DataException e = assertThrows(DataException.class,
        () -> CsvLoader.load(dir.resolve("nope.csv"), CsvOptions.defaults()));
    assertEquals("CSV file " + dir.resolve("nope.csv") + " does not exist", e.getMessage());
  }

  private Path write(String name, String text) {
    try {
      return Files.writeString(dir.resolve(name), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
