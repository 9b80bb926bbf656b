package dev.regimen.plugins.augmentation;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The image operations of RandAugment and AugMix (the PIL operations of AutoAugment, Cubuk et al.
 * 2019), on NCHW batches in [0, 1], each with a per-sample level l in [0, 1] (the fraction of its
 * largest magnitude) and a sign s = +-1 for those that go both ways. Magnitudes at l = 1 follow
 * torchvision's {@code RandAugment} (its magnitude bin 30 of 30):
 *
 * <ul>
 *   <li>{@code identity}; {@code auto_contrast}: each channel stretched to [0, 1] from its own min and max;
 *   <li>{@code rotate}: s 30 l degrees; {@code shear_x}, {@code shear_y}: shear factor s 0.3 l about the
 *       centre; {@code translate_x}, {@code translate_y}: s 0.45 l of the width or height (150/331); all
 *       bilinear, zero outside (torchvision samples nearest);
 *   <li>{@code brightness}, {@code color} (saturation), {@code contrast}, {@code sharpness}: factor
 *       1 + s 0.9 l, as {@code color_jitter}'s formulas, sharpness blending with the 3 x 3 smoothing of
 *       PIL ([[1, 1, 1], [1, 5, 1], [1, 1, 1]] / 13, border pixels kept);
 *   <li>{@code posterize}: 8 - round(4 l) bits per channel; {@code solarize}: x &gt;= 1 - l becomes 1 - x.
 * </ul>
 *
 * <p>{@code equalize} of the papers' lists is left out: a histogram per image and channel is a loop
 * over pixels, which this plugin does not run in Java. Results are clipped to [0, 1]. {@link
 * #applyPerSample} runs a different operation on each sample by grouping the samples by operation:
 * one whole-array call per operation present in the batch.
 */
enum ImageOps {
  IDENTITY, AUTO_CONTRAST, ROTATE, SOLARIZE, COLOR, POSTERIZE, CONTRAST, BRIGHTNESS, SHARPNESS, SHEAR_X, SHEAR_Y,
  TRANSLATE_X, TRANSLATE_Y;

  /** The operations of RandAugment (Cubuk et al. 2020), all of the above. */
  static final List<ImageOps> RANDAUGMENT = List.of(values());

  /**
   * The operations of AugMix (Hendrycks et al. 2020, section 3): those of RandAugment without the
   * ones that overlap ImageNet-C's corruptions (color, contrast, brightness, sharpness) and identity.
   */
  static final List<ImageOps> AUGMIX = List.of(AUTO_CONTRAST, POSTERIZE, ROTATE, SOLARIZE, SHEAR_X, SHEAR_Y,
      TRANSLATE_X, TRANSLATE_Y);

  /** This operation on images x [n, C, H, W] with levels and signs [n] (float64). */
  INDArray apply(INDArray x, INDArray level, INDArray sign) {
    long n = x.size(0);
    INDArray signed = level.mul(sign);
    INDArray out = switch (this) {
      case IDENTITY -> x.dup();
      case AUTO_CONTRAST -> autoContrast(x);
      case ROTATE -> Affine.transform(x, signed.mul(30.0), zeros(n), zeros(n), ones(n));
      case SHEAR_X -> shear(x, signed.mul(0.3), true);
      case SHEAR_Y -> shear(x, signed.mul(0.3), false);
      case TRANSLATE_X -> Affine.transform(x, zeros(n), signed.mul(0.45 * x.size(3)), zeros(n), ones(n));
      case TRANSLATE_Y -> Affine.transform(x, zeros(n), zeros(n), signed.mul(0.45 * x.size(2)), ones(n));
      case BRIGHTNESS -> ColorJitter.brightness(x, factor(signed));
      case COLOR -> ColorJitter.saturation(x, factor(signed));
      case CONTRAST -> ColorJitter.contrast(x, factor(signed));
      case SHARPNESS -> sharpness(x, factor(signed));
      case POSTERIZE -> posterize(x, level);
      case SOLARIZE -> solarize(x, level);
    };
    return Images.clipUnit(out);
  }

  /** The lower-case name, as the documentation writes it. */
  String id() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * Each sample n run through operation ops[n] at levels[n] and signs[n], the batch's order kept: the
   * samples of one operation are gathered, transformed together, and put back.
   */
  static INDArray applyPerSample(INDArray x, List<ImageOps> ops, double[] levels, double[] signs) {
    int n = (int) x.size(0);
    List<INDArray> parts = new ArrayList<>();
    int[] order = new int[n];
    int placed = 0;
    for (ImageOps op : ImageOps.values()) {
      List<Integer> rows = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (ops.get(i) == op) {
          rows.add(i);
        }
      }
      if (rows.isEmpty()) {
        continue;
      }
      int[] idx = rows.stream().mapToInt(Integer::intValue).toArray();
      double[] l = new double[idx.length];
      double[] s = new double[idx.length];
      for (int j = 0; j < idx.length; j++) {
        l[j] = levels[idx[j]];
        s[j] = signs[idx[j]];
        order[idx[j]] = placed++;
      }
      parts.add(op.apply(gather(x, idx), Nd4j.createFromArray(l), Nd4j.createFromArray(s)));
    }
    INDArray grouped = parts.size() == 1 ? parts.get(0) : Nd4j.concat(0, parts.toArray(INDArray[]::new));
    return gather(grouped, order);
  }

  private static INDArray gather(INDArray a, int[] rows) {
    long[] shape = a.shape().clone();
    shape[0] = rows.length;
    INDArray out = Nd4j.createUninitialized(a.dataType(), shape);
    Nd4j.exec(DynamicCustomOp.builder("gather").addInputs(a, Nd4j.createFromArray(rows)).addOutputs(out)
        .addIntegerArguments(0).build());
    return out;
  }

  private static INDArray zeros(long n) {
    return Nd4j.zeros(DataType.DOUBLE, n);
  }

  private static INDArray ones(long n) {
    return Nd4j.ones(DataType.DOUBLE, n);
  }

  /** 1 + 0.9 s l, the enhancement factor of PIL's ImageEnhance operations. */
  private static INDArray factor(INDArray signed) {
    return signed.mul(0.9).addi(1.0);
  }

  /** (x - min) / (max - min) per sample and channel; a constant channel is kept. */
  static INDArray autoContrast(INDArray x) {
    INDArray min = x.min(true, 2, 3);
    INDArray max = x.max(true, 2, 3);
    INDArray range = max.sub(min);
    INDArray flat = range.eq(0.0).castTo(x.dataType());
    // Where the range is 0, divide by 1 and subtract nothing.
    INDArray scale = range.add(flat);
    INDArray shift = min.mul(flat.rsub(1.0));
    return x.sub(shift.broadcast(x.shape())).divi(scale.broadcast(x.shape()));
  }

  /** Each output pixel reads column x - f (y - cy) (shear_x) or row y - f (x - cx) (shear_y), f [n]. */
  static INDArray shear(INDArray x, INDArray f, boolean alongX) {
    long n = x.size(0);
    INDArray rows = Images.coordinates(x.size(2), 1);
    INDArray columns = Images.coordinates(x.size(3), 2);
    INDArray factor = f.castTo(DataType.DOUBLE).reshape(n, 1, 1);
    if (alongX) {
      INDArray sx = columns.sub(factor.mul(rows.sub((x.size(2) - 1) / 2.0)));
      return Sampler.bilinear(x, rows, sx);
    }
    INDArray sy = rows.sub(factor.mul(columns.sub((x.size(3) - 1) / 2.0)));
    return Sampler.bilinear(x, sy, columns);
  }

  /** f x + (1 - f) blur(x), blur PIL's 3 x 3 smoothing on the interior pixels. */
  static INDArray sharpness(INDArray x, INDArray f) {
    long h = x.size(2);
    long w = x.size(3);
    INDArray blurred = x.dup();
    if (h >= 3 && w >= 3) {
      INDArray sum = Nd4j.zeros(x.dataType(), x.size(0), x.size(1), h - 2, w - 2);
      for (int dy = 0; dy < 3; dy++) {
        for (int dx = 0; dx < 3; dx++) {
          INDArray shifted = x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(dy, dy + h - 2),
              NDArrayIndex.interval(dx, dx + w - 2));
          sum.addi(dy == 1 && dx == 1 ? shifted.mul(5) : shifted);
        }
      }
      blurred.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(1, h - 1),
          NDArrayIndex.interval(1, w - 1)).assign(sum.divi(13));
    }
    INDArray factor = Images.perSample(f.castTo(x.dataType()), 4);
    return x.mul(factor).addi(blurred.muli(factor.rsub(1.0)));
  }

  /** floor(255 x / q) q / 255 with q = 2^round(4 l): 8 - round(4 l) bits kept. */
  static INDArray posterize(INDArray x, INDArray level) {
    long n = x.size(0);
    double[] quantum = new double[(int) n];
    for (int i = 0; i < n; i++) {
      quantum[i] = Math.pow(2, Math.rint(4 * level.getDouble(i)));
    }
    INDArray q = Images.perSample(Nd4j.createFromArray(quantum).castTo(x.dataType()), 4).broadcast(x.shape());
    return Transforms.floor(x.mul(255.0).divi(q), false).muli(q).divi(255.0);
  }

  /** 1 - x where x &gt;= 1 - l, x elsewhere. */
  static INDArray solarize(INDArray x, INDArray level) {
    INDArray threshold = Images.perSample(level.rsub(1.0).castTo(x.dataType()), 4).broadcast(x.shape());
    INDArray above = x.sub(threshold).gte(0.0).castTo(x.dataType());
    return x.add(above.muli(x.mul(-2.0).addi(1.0)));
  }
}
