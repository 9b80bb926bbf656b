package dev.regimen.core.run;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regimen.api.train.History;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The two text forms of a {@link History} in a run folder, written by {@link RunRecorder}.
 *
 * <p><b>CSV</b> ({@code metrics.csv}): a header {@code epoch,<metric>,...} with the metrics in the order
 * they were first recorded ({@code loss,accuracy,val_loss,val_accuracy,lr} for a classifier with
 * validation), then one row per epoch, epochs counted from 1 as the console shows them. Numbers use
 * {@link #number(double)}: locale independent, the shortest text that parses back to the same double.
 * A metric that an epoch did not record is an empty cell (a metric that starts later, a diagnostic
 * recorded every few epochs); a recorded NaN is {@code NaN}, which Java, pandas and R all read as
 * not-a-number, so a diverged value stays distinguishable from a missing one; infinities are
 * {@code Infinity} and {@code -Infinity}, as Java writes and parses them. Lines end
 * with {@code \n}; a metric name holding a comma, quote or line break is quoted as RFC 4180 says.
 *
 * <p><b>JSON</b> ({@code history.json}): one object, columns as in Keras' {@code history.history},
 * so {@code pandas.DataFrame(json["metrics"])} is the table:
 * <pre>{@code
 * {
 *   "label" : "training-1",
 *   "epochs" : 3,
 *   "metrics" : {
 *     "loss" : [ 0.69, 0.41, 0.33 ],
 *     "val_loss" : [ 0.52, 0.38, null ]
 *   }
 * }
 * }</pre>
 * JSON has no NaN: a missing, NaN or infinite value is {@code null}. {@link #readHistory} turns the file
 * back into a History (a {@code null} becomes a missing value; trailing epochs with no value at all are
 * not restored, since a History cannot hold an empty last epoch).
 */
public final class HistoryFiles {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFactory FACTORY = MAPPER.getFactory();

  private HistoryFiles() {}

  /** The CSV text of a history (see the class comment). */
  public static String csv(History history) {
    StringBuilder out = new StringBuilder("epoch");
    Set<String> metrics = history.metrics();
    for (String metric : metrics) {
      out.append(',').append(csvField(metric));
    }
    out.append('\n');
    for (int e = 0; e < history.epochs(); e++) {
      out.append(e + 1);
      Map<String, Double> values = history.epoch(e);
      for (String metric : metrics) {
        out.append(',');
        Double v = values.get(metric);
        if (v != null) {
          out.append(number(v));
        }
      }
      out.append('\n');
    }
    return out.toString();
  }

  /** The JSON text of a history under a label (see the class comment). */
  public static String json(String label, History history) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JsonGenerator g = FACTORY.createGenerator(bytes, JsonEncoding.UTF8)) {
      DefaultPrettyPrinter pretty = new DefaultPrettyPrinter();
      pretty.indentObjectsWith(new DefaultIndenter("  ", "\n"));
      g.setPrettyPrinter(pretty);
      g.writeStartObject();
      g.writeStringField("label", label);
      g.writeNumberField("epochs", history.epochs());
      g.writeObjectFieldStart("metrics");
      for (String metric : history.metrics()) {
        g.writeArrayFieldStart(metric);
        for (int e = 0; e < history.epochs(); e++) {
          Double v = history.epoch(e).get(metric);
          if (v == null || !Double.isFinite(v)) {
            g.writeNull();
          } else {
            g.writeNumber(number(v));
          }
        }
        g.writeEndArray();
      }
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toString(StandardCharsets.UTF_8) + "\n";
  }

  /** Reads a {@code history.json} back (a {@code null} value is left unrecorded). */
  public static History readHistory(Path file) throws IOException {
    return parseHistory(Files.readString(file, StandardCharsets.UTF_8));
  }

  /** Parses the text of a {@code history.json}. */
  public static History parseHistory(String json) throws IOException {
    JsonNode root = MAPPER.readTree(json);
    JsonNode metrics = root == null ? null : root.get("metrics");
    if (metrics == null || !metrics.isObject()) {
      throw new IOException("Not a Regimen history: no \"metrics\" object");
    }
    History history = new History();
    int epochs = root.path("epochs").asInt(0);
    // Record epoch by epoch so that the per-epoch order, and so the first-seen order, comes back as written.
    List<Map.Entry<String, JsonNode>> columns = new ArrayList<>();
    columns.addAll(metrics.properties());
    for (Map.Entry<String, JsonNode> column : columns) {
      epochs = Math.max(epochs, column.getValue().size());
    }
    for (int e = 0; e < epochs; e++) {
      for (Map.Entry<String, JsonNode> column : columns) {
        JsonNode v = column.getValue().get(e);
        if (v != null && v.isNumber()) {
          history.record(e, column.getKey(), v.doubleValue());
        }
      }
    }
    return history;
  }

  /**
   * A double as the shortest decimal text that parses back to exactly it, independent of the locale:
   * {@code 0.1}, {@code 2}, {@code 0.6931471805599453}, {@code 0.00025}; scientific notation ({@code 1e-7},
   * {@code 1.5e16}) only below 1e-5 or from 1e16 on; {@code NaN}, {@code Infinity}, {@code -Infinity}.
   * (Java 17's {@link Double#toString} is neither always shortest nor free of {@code E} for ordinary
   * values such as 1e-4.)
   */
  public static String number(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "Infinity" : "-Infinity";
    }
    if (v == 0) {
      return 1 / v < 0 ? "-0" : "0";
    }
    BigDecimal exact = new BigDecimal(v);
    BigDecimal shortest = exact;
    for (int digits = 1; digits <= 17; digits++) {
      BigDecimal rounded = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
      if (rounded.doubleValue() == v) {
        shortest = rounded;
        break;
      }
    }
    shortest = shortest.stripTrailingZeros();
    int exponent = shortest.precision() - shortest.scale() - 1;
    if (exponent >= -5 && exponent < 16) {
      return shortest.toPlainString();
    }
    String digits = shortest.unscaledValue().abs().toString();
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    return (v < 0 ? "-" : "") + mantissa + "e" + exponent;
  }

  /** A CSV field: as it is, or quoted as RFC 4180 says when it holds a comma, a quote or a line break. */
  public static String csvField(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }
}
