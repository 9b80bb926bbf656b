package dev.regimen.core.data;

import dev.regimen.api.tensor.Tensor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Loads a user's numeric CSV file (gzipped or not) as a {@link Dataset}: one column is the target, all
 * the others are features [N, F]. What the file looks like and what the task is are said by
 * {@link CsvOptions}.
 *
 * <p>Every error names the file: a malformed line or field (with its line and field, from
 * {@link CsvReader}), a target column name that is not in the header (listing the names that are), a
 * target index outside the columns, a label that is not a class index (with its data row).
 */
public final class CsvLoader {
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private CsvLoader() {}

  /** The file as a data set, features and targets in {@link Tensor#defaultType()}. */
  public static Dataset load(Path file, CsvOptions options) {
    byte[] bytes;
    try (InputStream in = CsvReader.maybeGunzip(Files.newInputStream(file))) {
      bytes = in.readAllBytes();
    } catch (NoSuchFileException e) {
      throw new DataException("CSV file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new DataException("Cannot read " + file + ": " + e.getMessage(), e);
    }
    List<String> names = options.header() ? headerNames(bytes, file, options.delimiter()) : List.of();
    double[][] rows = CsvReader.read(new ByteArrayInputStream(bytes), file.toString(), options.delimiter(),
        options.header());
    int width = rows[0].length;
    if (options.header() && names.size() != width) {
      throw new DataException(file + ": the header names " + names.size() + " columns (" + String.join(", ", names)
          + ") but the data rows have " + width + " fields");
    }
    int target = targetColumn(file, options, names, width);
    String targetLabel = names.isEmpty() ? "column " + target : "column '" + names.get(target) + "'";
    int n = rows.length;
    int f = width - 1;
    double[] features = new double[n * f];
    double[] targets = new double[n];
    double maxLabel = 0;
    for (int i = 0; i < n; i++) {
      double[] row = rows[i];
      System.arraycopy(row, 0, features, i * f, target);
      System.arraycopy(row, target + 1, features, i * f + target, f - target);
      targets[i] = row[target];
      if (options.isClassification()) {
        checkLabel(file, targetLabel, i, row[target], options.numClasses());
        maxLabel = Math.max(maxLabel, row[target]);
      }
    }
    var x = Nd4j.create(features, new long[] {n, f}, 'c').castTo(Tensor.defaultType());
    var y = Nd4j.create(targets, new long[] {n}, 'c').castTo(Tensor.defaultType());
    try {
      if (!options.isClassification()) {
        return Dataset.regression(x, y);
      }
      int classes = options.numClasses() > 0 ? options.numClasses() : (int) maxLabel + 1;
      if (classes < 2) {
        throw new DataException("every label in " + targetLabel + " is 0; a classification set needs at least 2 "
            + "classes (say how many with CsvOptions.classification(n), or use regression())");
      }
      return Dataset.classification(x, y, classes);
    } catch (DataException e) {
      throw new DataException(file + ": " + e.getMessage(), e);
    }
  }

  private static void checkLabel(Path file, String targetLabel, int row, double label, int numClasses) {
    if (label < 0 || label != Math.rint(label)) {
      throw new DataException(file + ", data row " + (row + 1) + ": the label " + label + " in " + targetLabel
          + " is not a class index (a whole number from 0); for a numeric target use CsvOptions.regression()");
    }
    if (numClasses > 0 && label >= numClasses) {
      throw new DataException(file + ", data row " + (row + 1) + ": the label " + label + " in " + targetLabel
          + " is outside the " + numClasses + " classes [0, " + (numClasses - 1) + "] the options give");
    }
  }

  private static int targetColumn(Path file, CsvOptions options, List<String> names, int width) {
    if (width < 2) {
      throw new DataException(file + " has a single column: it needs a target and at least one feature");
    }
    if (options.targetName() != null) {
      if (!options.header()) {
        throw new DataException(file + ": the target column is named '" + options.targetName()
            + "' but the options say the file has no header line to find it in");
      }
      int index = names.indexOf(options.targetName());
      if (index < 0) {
        throw new DataException(file + " has no column named '" + options.targetName() + "'; its columns are: "
            + String.join(", ", names));
      }
      return index;
    }
    int index = options.targetIndex() < 0 ? width + options.targetIndex() : options.targetIndex();
    if (index < 0 || index >= width) {
      throw new DataException(file + " has " + width + " columns; the target column index " + options.targetIndex()
          + " is outside them (0 to " + (width - 1) + ", or -1 to -" + width + " from the end)");
    }
    return index;
  }

  /** The first line's fields, stripped of spaces, quotes and a byte-order mark. */
  private static List<String> headerNames(byte[] bytes, Path file, Character delimiter) {
    int end = 0;
    while (end < bytes.length && bytes[end] != '\n') {
      end++;
    }
    String line = new String(bytes, 0, end, StandardCharsets.UTF_8).replace("\uFEFF", "").strip();
    if (line.isEmpty()) {
      throw new DataException(file + ": the first line should be a header with the column names but it is empty");
    }
    String[] fields = delimiter == null ? WHITESPACE.split(line) : line.split(Pattern.quote(delimiter.toString()), -1);
    List<String> names = new ArrayList<>();
    for (String field : fields) {
      String name = field.strip();
      if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
        name = name.substring(1, name.length() - 1);
      }
      names.add(name);
    }
    return names;
  }
}
