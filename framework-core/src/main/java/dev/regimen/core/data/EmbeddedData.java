package dev.regimen.core.data;

import dev.regimen.api.tensor.Tensor;
import java.io.InputStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The small real data sets bundled with Regimen (see {@code ATTRIBUTION.md} beside them): the UCI
 * handwritten digits (Alpaydin &amp; Kaynak 1998, CC BY 4.0) and the diabetes regression set of Efron
 * et al. 2004, as shipped by scikit-learn.
 */
public final class EmbeddedData {
  private EmbeddedData() {}

  /** 1797 digits as 64 pixel intensities in 0..16 (an 8x8 image, row-major) and labels 0..9. */
  public static Dataset digits() {
    double[][] rows = read("digits.csv.gz", ',');
    int n = rows.length;
    double[] pixels = new double[n * 64];
    double[] labels = new double[n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(rows[i], 0, pixels, i * 64, 64);
      labels[i] = rows[i][64];
    }
    return Dataset.classification(array(pixels, n, 64), array(labels, n), 10);
  }

  /** 442 patients: age, sex, bmi, bp, s1..s6 in raw units, and disease progression after one year. */
  public static Dataset diabetes() {
    double[][] x = read("diabetes_data_raw.csv.gz", null);
    double[][] y = read("diabetes_target.csv.gz", null);
    if (x.length != y.length) {
      throw new DataException("diabetes: " + x.length + " feature rows but " + y.length + " targets");
    }
    int n = x.length;
    int d = x[0].length;
    double[] features = new double[n * d];
    double[] targets = new double[n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(x[i], 0, features, i * d, d);
      targets[i] = y[i][0];
    }
    return Dataset.regression(array(features, n, d), array(targets, n, 1));
  }

  private static INDArray array(double[] values, long... shape) {
    return Nd4j.create(values, shape, 'c').castTo(Tensor.defaultType());
  }

  private static double[][] read(String resource, Character delimiter) {
    InputStream in = EmbeddedData.class.getResourceAsStream(resource);
    if (in == null) {
      throw new DataException("The embedded data file " + resource + " is missing from the class path");
    }
    return CsvReader.read(in, resource, delimiter, false);
  }
}
