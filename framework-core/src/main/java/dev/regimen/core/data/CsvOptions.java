package dev.regimen.core.data;

/**
 * How {@link CsvLoader} reads a file: the delimiter, whether the first line is a header, which column is
 * the target and whether the task is classification or regression.
 *
 * <p>Immutable; each {@code with}-style call returns a changed copy, so a script can start from
 * {@link #defaults()} and name only what differs: comma-delimited, a header line, the last column as the
 * target, classification with max label + 1 classes.
 */
public final class CsvOptions {
  private final Character delimiter;
  private final boolean header;
  private final Integer targetIndex;
  private final String targetName;
  private final boolean classification;
  private final int numClasses;

  private CsvOptions(Character delimiter, boolean header, Integer targetIndex, String targetName,
      boolean classification, int numClasses) {
    this.delimiter = delimiter;
    this.header = header;
    this.targetIndex = targetIndex;
    this.targetName = targetName;
    this.classification = classification;
    this.numClasses = numClasses;
  }

  /** Comma-delimited, with a header, the last column as a class label, max label + 1 classes. */
  public static CsvOptions defaults() {
    return new CsvOptions(',', true, -1, null, true, 0);
  }

  /** The field delimiter; {@code null} splits on runs of whitespace. */
  public CsvOptions delimiter(Character newDelimiter) {
    return new CsvOptions(newDelimiter, header, targetIndex, targetName, classification, numClasses);
  }

  /** Whether the first line holds column names rather than data. */
  public CsvOptions header(boolean hasHeader) {
    return new CsvOptions(delimiter, hasHeader, targetIndex, targetName, classification, numClasses);
  }

  /** The target column by its index from 0; a negative index counts from the end (-1 is the last). */
  public CsvOptions target(int index) {
    return new CsvOptions(delimiter, header, index, null, classification, numClasses);
  }

  /** The target column by its header name (which needs a header). */
  public CsvOptions target(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("The target column name must not be blank; got '" + name + "'");
    }
    return new CsvOptions(delimiter, header, null, name.strip(), classification, numClasses);
  }

  /** Classification with max label + 1 classes. */
  public CsvOptions classification() {
    return new CsvOptions(delimiter, header, targetIndex, targetName, true, 0);
  }

  /** Classification with the given number of classes (some may be absent from this file). */
  public CsvOptions classification(int classes) {
    if (classes < 2) {
      throw new IllegalArgumentException("A classification task needs at least 2 classes; got " + classes);
    }
    return new CsvOptions(delimiter, header, targetIndex, targetName, true, classes);
  }

  /** Regression: the target column's values are kept as they are, as targets [N, 1]. */
  public CsvOptions regression() {
    return new CsvOptions(delimiter, header, targetIndex, targetName, false, 0);
  }

  public Character delimiter() {
    return delimiter;
  }

  public boolean header() {
    return header;
  }

  /** The target column's index, or {@code null} when it is named. */
  public Integer targetIndex() {
    return targetIndex;
  }

  /** The target column's name, or {@code null} when it is given by index. */
  public String targetName() {
    return targetName;
  }

  public boolean isClassification() {
    return classification;
  }

  /** The number of classes, or 0 for max label + 1 (and for regression). */
  public int numClasses() {
    return numClasses;
  }

  @Override
  public String toString() {
    return "CsvOptions(delimiter=" + (delimiter == null ? "whitespace" : "'" + delimiter + "'") + ", header=" + header
        + ", target=" + (targetName != null ? "'" + targetName + "'" : targetIndex) + ", "
        + (classification ? "classification" + (numClasses > 0 ? " with " + numClasses + " classes" : "")
            : "regression") + ")";
  }
}
