package dev.regimen.api.tensor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class SmokeGradTest {
  Rng rng = new Rng(1);
  Tensor p(long... shape) { return Tensor.parameter(rng.normal(DataType.DOUBLE, 0, 1, shape)); }
  void ok(Function<List<Tensor>, Tensor> f, Tensor... in) {
    var r = GradientCheck.defaults().check(f, List.of(in), rng);
    System.out.println(r);
    assertTrue(r.passed(), r.worst());
  }
  @Test void ops() {
    ok(t -> t.get(0).add(t.get(1)), p(2, 3), p(3));
    ok(t -> t.get(0).mul(t.get(1)), p(2, 1), p(1, 3));
    ok(t -> t.get(0).div(t.get(1).abs().add(1)), p(2, 3), p(2, 3));
    ok(t -> t.get(0).matmul(t.get(1)), p(2, 3), p(3, 4));
    ok(t -> t.get(0).softmax(1), p(3, 4));
    ok(t -> t.get(0).logSoftmax(0), p(3, 4));
    ok(t -> t.get(0).gelu(), p(3, 4));
    ok(t -> t.get(0).max(false, 1), p(3, 4));
    ok(t -> t.get(0).var(true, 0), p(3, 4));
    ok(t -> t.get(0).gather(1, 0, 2, 2), p(3, 4));
    ok(t -> t.get(0).conv2d(t.get(1), t.get(2), Conv2dSpec.of(2, 1, 1)), p(2, 3, 6, 5), p(4, 3, 3, 3), p(4));
    ok(t -> t.get(0).conv2d(t.get(1), null, Conv2dSpec.of(1, 2, 2)), p(1, 2, 6, 6), p(3, 2, 3, 3));
    ok(t -> t.get(0).maxPool2d(Pool2dSpec.of(2, 2, 0)), p(2, 3, 4, 4));
    ok(t -> t.get(0).avgPool2d(Pool2dSpec.of(3, 2, 1)), p(2, 3, 5, 5));
  }
}
