package dev.regimen.api.nn;

import dev.regimen.api.tensor.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Draws the initial values of a parameter from its shape and fans (He, Glorot, zeros, ...). */
@FunctionalInterface
public interface Initializer {

  /**
   * @param fanIn inputs feeding one output unit (in features, or in channels times kernel area)
   * @param fanOut outputs fed by one input unit
   */
  INDArray initialize(long[] shape, long fanIn, long fanOut, DataType type, Rng rng);
}
