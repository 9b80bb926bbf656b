package dev.regimen.api.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Convolution and pooling through libnd4j's fused forward and {@code _bp} ops (im2col and GEMM in
 * native code; oneDNN in the oneDNN builds), but for max pooling on the CPU, which {@link
 * MaxPoolKernel} does faster. Integer arguments follow libnd4j: kernel, stride, padding, dilation, "same" mode (0:
 * explicit padding), data format (0: NCHW) and, for convolution, the weight format (1: [oC, iC, kH,
 * kW], PyTorch's layout, so that checkpoints read the same in both).
 */
final class ConvOps {
  private ConvOps() {}

  private static final int EXPLICIT_PADDING = 0;
  private static final int NCHW = 0;
  private static final int WEIGHTS_OIHW = 1;

  static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, Conv2dSpec spec) {
    long[] x = input.shape();
    long[] w = weight.shape();
    Shapes.requireRank("conv2d", "input (N, C, H, W)", x, 4);
    Shapes.requireRank("conv2d", "weight (outC, inC, kH, kW)", w, 4);
    if (x[1] != w[1]) {
      throw new ShapeException("conv2d: input " + Arrays.toString(x) + " has " + x[1]
          + " channels but weight " + Arrays.toString(w) + " expects " + w[1]);
    }
    if (bias != null && (bias.rank() != 1 || bias.size(0) != w[0])) {
      throw new ShapeException("conv2d: bias " + Arrays.toString(bias.shape()) + " must be [" + w[0]
          + "] for weight " + Arrays.toString(w));
    }
    long outH = spec.outH(x[2], w[2]);
    long outW = spec.outW(x[3], w[3]);
    if (outH < 1 || outW < 1) {
      throw new ShapeException("conv2d: kernel " + w[2] + "x" + w[3] + " with " + spec + " does not fit input "
          + Arrays.toString(x));
    }
    int[] iArgs = {(int) w[2], (int) w[3], spec.strideH(), spec.strideW(), spec.padH(), spec.padW(),
        spec.dilationH(), spec.dilationW(), EXPLICIT_PADDING, NCHW, WEIGHTS_OIHW};
    INDArray out = Nd4j.createUninitialized(input.dataType(), x[0], w[0], outH, outW);
    List<Tensor> inputs = new ArrayList<>(List.of(input, weight));
    DynamicCustomOp.DynamicCustomOpsBuilder forward = DynamicCustomOp.builder("conv2d")
        .addOutputs(out).addIntegerArguments(iArgs);
    if (bias == null) {
      forward.addInputs(input.array(), weight.array());
    } else {
      forward.addInputs(input.array(), weight.array(), bias.array());
      inputs.add(bias);
    }
    boolean helpers = spec.dilationH() == 1 && spec.dilationW() == 1;
    exec(forward.build(), helpers);
    INDArray xv = input.array();
    INDArray wv = weight.array();
    INDArray bv = bias == null ? null : bias.array();
    return Tensor.fromOp("conv2d", out, inputs, g -> {
      INDArray gradInput = Nd4j.createUninitialized(xv.dataType(), xv.shape());
      INDArray gradWeight = Nd4j.createUninitialized(wv.dataType(), wv.shape());
      DynamicCustomOp.DynamicCustomOpsBuilder bp = DynamicCustomOp.builder("conv2d_bp").addIntegerArguments(iArgs);
      INDArray gc = Ops.contiguous(g);
      if (bv == null) {
        bp.addInputs(xv, wv, gc).addOutputs(gradInput, gradWeight);
        exec(bp.build(), helpers);
        return new INDArray[] {gradInput, gradWeight};
      }
      INDArray gradBias = Nd4j.createUninitialized(bv.dataType(), bv.shape());
      bp.addInputs(xv, wv, bv, gc).addOutputs(gradInput, gradWeight, gradBias);
      exec(bp.build(), helpers);
      return new INDArray[] {gradInput, gradWeight, gradBias};
    });
  }

  /**
   * Runs a conv op, with or without libnd4j's platform helpers (oneDNN in the oneDNN builds). Dilated
   * convolutions go without: libnd4j 1.0.0-M2.1 hands oneDNN a dilation it rejects ("could not create a
   * descriptor for a dilated convolution"), and its own im2col loop computes them correctly.
   */
  private static void exec(DynamicCustomOp op, boolean helpers) {
    if (helpers) {
      Nd4j.exec(op);
      return;
    }
    try (OpContext context = Nd4j.getExecutioner().buildContext()) {
      context.allowHelpers(false);
      context.setInputArrays(op.inputArguments());
      context.setOutputArrays(op.outputArguments());
      context.setIArguments(op.iArgs());
      Nd4j.getExecutioner().exec(op, context);
    } catch (Exception e) {
      throw e instanceof RuntimeException r ? r : new IllegalStateException(op.opName() + " failed", e);
    }
  }

  static Tensor pool2d(Tensor input, Pool2dSpec spec, boolean max) {
    String name = max ? "maxpool2d" : "avgpool2d";
    long[] x = input.shape();
    Shapes.requireRank(name, "input (N, C, H, W)", x, 4);
    long outH = spec.outH(x[2]);
    long outW = spec.outW(x[3]);
    if (outH < 1 || outW < 1) {
      throw new ShapeException(name + ": window " + spec.kernelH() + "x" + spec.kernelW() + " does not fit input "
          + Arrays.toString(x));
    }
    // For average pooling, libnd4j's extra parameter is 0 to exclude padding from the divisor, 1 to include it.
    int extra = max ? 0 : (spec.countPadding() ? 1 : 0);
    int[] iArgs = {spec.kernelH(), spec.kernelW(), spec.strideH(), spec.strideW(), spec.padH(), spec.padW(),
        1, 1, EXPLICIT_PADDING, extra, NCHW};
    INDArray xv = input.array();
    if (max && MaxPoolKernel.supports(xv)) {
      MaxPoolKernel.Pooled pooled = MaxPoolKernel.forward(xv, spec, (int) outH, (int) outW);
      INDArray argmax = pooled.argmax();
      return Tensor.fromOp(name, pooled.out(), List.of(input), g -> new INDArray[] {MaxPoolKernel.backward(g, argmax, x)});
    }
    INDArray out = Nd4j.createUninitialized(input.dataType(), x[0], x[1], outH, outW);
    Nd4j.exec(DynamicCustomOp.builder(name).addInputs(xv).addOutputs(out).addIntegerArguments(iArgs).build());
    return Tensor.fromOp(name, out, List.of(input), g -> {
      INDArray gradInput = Nd4j.createUninitialized(xv.dataType(), xv.shape());
      Nd4j.exec(DynamicCustomOp.builder(name + "_bp").addInputs(xv, Ops.contiguous(g)).addOutputs(gradInput)
          .addIntegerArguments(iArgs).build());
      return new INDArray[] {gradInput};
    });
  }
}
