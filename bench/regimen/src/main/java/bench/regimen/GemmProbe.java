package bench.regimen;

import dev.regimen.api.tensor.NativeBuild;
import java.util.Arrays;
import java.util.Locale;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Scratch: the MLP's matmul shapes through ND4J's matmul op and through OpenBLAS's cblas_sgemm directly. */
public final class GemmProbe {
  static double medianMs(Runnable r, int reps) {
    for (int i = 0; i < 3; i++) {
      r.run();
    }
    double[] t = new double[reps];
    for (int i = 0; i < reps; i++) {
      long s = System.nanoTime();
      r.run();
      t[i] = (System.nanoTime() - s) / 1e6;
    }
    Arrays.sort(t);
    return t[reps / 2];
  }

  public static void main(String[] args) {
    NativeBuild.select();
    Nd4j.create(1);
    System.out.println("openblas threads " + org.bytedeco.openblas.presets.openblas_nolapack.blas_get_num_threads());
    int[][] shapes = {{1024, 1024, 1024, 0, 0}, {128, 784, 512, 0, 0}, {128, 512, 512, 0, 0}, {128, 512, 784, 0, 1},
        {784, 128, 512, 1, 0}, {512, 128, 512, 1, 0}};
    for (int[] s : shapes) {
      int m = s[0], k = s[1], n = s[2];
      boolean ta = s[3] == 1, tb = s[4] == 1;
      INDArray a = ta ? Nd4j.rand(DataType.FLOAT, k, m) : Nd4j.rand(DataType.FLOAT, m, k);
      INDArray b = tb ? Nd4j.rand(DataType.FLOAT, n, k) : Nd4j.rand(DataType.FLOAT, k, n);
      INDArray c = Nd4j.create(DataType.FLOAT, m, n);
      double flops = 2.0 * m * k * n;
      double op = medianMs(() -> Nd4j.matmul(a, b, c, ta, tb, false), 20);
      FloatPointer pa = (FloatPointer) a.data().addressPointer();
      FloatPointer pb = (FloatPointer) b.data().addressPointer();
      FloatPointer pc = (FloatPointer) c.data().addressPointer();
      // Row-major C = op(A) op(B).
      double blas = medianMs(() -> openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, ta ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
          tb ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans, m, n, k, 1f, pa, ta ? m : k, pb, tb ? k : n, 0f, pc, n), 20);
      System.out.printf(Locale.ROOT, "%s[%dx%d]@%s[%dx%d]  nd4j matmul %7.3f ms %6.1f GF/s   cblas_sgemm %7.3f ms %6.1f GF/s%n",
          ta ? "T" : "", m, k, tb ? "T" : "", k, n, op, flops / op / 1e6, blas, flops / blas / 1e6);
    }
  }
}
