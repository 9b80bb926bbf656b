package dev.regimen.core.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Reads numeric delimited text (comma-separated, or whitespace-separated when the delimiter is
 * {@code null}), gzipped or not, into rows of doubles. Every row must have the same number of fields
 * and every field must be a number; the error names the source, the line and the field.
 */
public final class CsvReader {
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private CsvReader() {}

  /** The parsed rows; {@code header} skips the first line. */
  public static double[][] read(InputStream in, String source, Character delimiter, boolean header) {
    List<double[]> rows = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(maybeGunzip(in), StandardCharsets.UTF_8))) {
      String line;
      int lineNo = 0;
      int width = -1;
      while ((line = reader.readLine()) != null) {
        lineNo++;
        if ((header && lineNo == 1) || line.isBlank()) {
          continue;
        }
        String[] fields = delimiter == null ? WHITESPACE.split(line.strip())
            : line.split(Pattern.quote(delimiter.toString()), -1);
        if (width < 0) {
          width = fields.length;
        } else if (fields.length != width) {
          throw new DataException(source + ", line " + lineNo + ": " + fields.length + " fields where earlier rows have "
              + width);
        }
        double[] row = new double[fields.length];
        for (int i = 0; i < fields.length; i++) {
          try {
            row[i] = Double.parseDouble(fields[i].strip());
          } catch (NumberFormatException e) {
            throw new DataException(source + ", line " + lineNo + ", field " + (i + 1) + ": '" + fields[i].strip()
                + "' is not a number");
          }
        }
        rows.add(row);
      }
    } catch (IOException e) {
      throw new DataException("Cannot read " + source + ": " + e.getMessage(), e);
    }
    if (rows.isEmpty()) {
      throw new DataException(source + " holds no data rows");
    }
    return rows.toArray(new double[0][]);
  }

  /** Unwraps gzip when the stream starts with gzip's magic number; the result is buffered. */
  static InputStream maybeGunzip(InputStream in) throws IOException {
    java.io.BufferedInputStream buffered = new java.io.BufferedInputStream(in, 1 << 16);
    buffered.mark(2);
    int b1 = buffered.read();
    int b2 = buffered.read();
    buffered.reset();
    return b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(buffered, 1 << 16) : buffered;
  }
}
