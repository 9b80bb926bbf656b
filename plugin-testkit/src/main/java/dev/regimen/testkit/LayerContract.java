package dev.regimen.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.host.HostServices;
import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.LayerConfig;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.GradientCheck;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.ShapeException;
import dev.regimen.api.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The contract every layer keeps, as one JUnit 5 test base that every layer test extends (Keras'
 * {@code run_layer_test}): the built-in layers' tests in framework-core, this repository's plugins and
 * any third-party plugin reach it through the {@code regimen-testkit} artifact in test scope. It is
 * written against framework-api and JUnit only; its checkpoint round trip runs through the host's
 * checkpoint files ({@link HostServices}), so the tests need the host at run time: framework-core in
 * test scope, or the distribution's {@code lib/} on the test class path as the plugin kit has it. A
 * container's test overrides {@link #recreate} to rebuild its children.
 *
 * <p>A subclass says what to test: the factory, its options, and a per-sample input shape, either in
 * its constructor or by overriding {@link #factory()}, {@link #options()} and {@link #inputShape()}
 * (where they must be computed); the rest has defaults that it may override:
 *
 * <pre>{@code
 * class DenseTest extends LayerContract {
 *   DenseTest() {
 *     super(new Dense.Factory(), Map.of("units", 3), 4);
 *   }
 *
 *   @Test
 *   void matchesAHandComputedExample() { ... }   // the layer's own checks
 * }
 * }</pre>
 *
 * <p>The contract, one test each:
 *
 * <ul>
 *   <li>the factory makes a layer of its kind and name, unbuilt;
 *   <li>the gradients of the input and of every parameter match central finite differences, in
 *       float64, with inputs drawn from a seeded {@link Rng} ({@link #input} can keep them away from
 *       kinks), and every parameter receives a gradient;
 *   <li>shape inference ({@link Layer#outputShape}) equals the shape forward produces, for two batch
 *       sizes;
 *   <li>training and evaluation behave as declared: seeded training passes repeat, evaluation passes
 *       repeat and record no graph, and (unless {@link #sameInTrainingAndEvaluation()} is false, as
 *       for dropout) training and evaluation give identical outputs;
 *   <li>the config holds plain values only and rebuilds the layer: recreated through the factory
 *       ({@link #recreate}), with the parameters and buffers copied by name, it gives the same output
 *       and the same config;
 *   <li>a checkpoint round trip restores the layer: saved by the host as a checkpoint folder
 *       ({@link HostServices#saveModel}) after a training pass has moved its state, read back into a
 *       fresh layer built from another seed ({@link HostServices#modelFromCheckpoint}, {@link
 *       HostServices#restoreWeights}), it has the same config and gives the same outputs, in
 *       evaluation and in training; state kept outside the parameters and buffers, or a config or
 *       array that does not survive the files, fails it;
 *   <li>parameter and buffer names are stable from build to build, follow {@code <layer>.<local>}
 *       ({@code dense_1.weight}) after {@link Layers#build}, and are unique;
 *   <li>parameters and buffers are created in {@link Tensor#defaultType()} and seeded: the same seed
 *       gives the same initial values; building again for the same shape keeps them;
 *   <li>a batch of another per-sample shape is refused with an error naming the layer and the shape.
 * </ul>
 *
 * <p>To change one check for a layer, override its test method (with {@code @Test}) or the hook it
 * uses, and say in a comment why the layer needs it; every check still runs.
 */
public abstract class LayerContract {
  /** The seed of the weights; inputs and projections use seeds derived from it. */
  protected static final long SEED = 20240611L;

  private static final Pattern LOCAL_NAME = Pattern.compile("[a-z][a-z0-9_]*");

  private final ComponentFactory<Layer> declaredFactory;
  private final Map<String, ?> declaredOptions;
  private final long[] declaredInputShape;

  /** For a subclass that overrides {@link #factory()} and {@link #inputShape()} (and {@link #options()}). */
  protected LayerContract() {
    this(null, Map.of());
  }

  /**
   * For a subclass that declares what it tests: the layer's factory, its options and the per-sample
   * input shape.
   */
  protected LayerContract(ComponentFactory<Layer> factory, Map<String, ?> options, long... inputShape) {
    this.declaredFactory = factory;
    this.declaredOptions = Map.copyOf(options);
    this.declaredInputShape = inputShape == null || inputShape.length == 0 ? null : inputShape.clone();
  }

  // ------------------------------------------------------------------ what a subclass provides

  /** The factory of the layer under test: the constructor's, unless overridden. */
  protected ComponentFactory<Layer> factory() {
    if (declaredFactory == null) {
      throw new IllegalStateException(getClass().getSimpleName()
          + " names no layer factory: pass it to the contract's constructor or override factory()");
    }
    return declaredFactory;
  }

  /** The options the layer is made with: the constructor's (none by default), unless overridden. */
  protected Map<String, ?> options() {
    return declaredOptions;
  }

  /**
   * The per-sample input shape, without the batch axis: {@code {4}} for features, {@code {C, H, W}}
   * for images; the constructor's, unless overridden.
   */
  protected long[] inputShape() {
    if (declaredInputShape == null) {
      throw new IllegalStateException(getClass().getSimpleName()
          + " names no input shape: pass it to the contract's constructor or override inputShape()");
    }
    return declaredInputShape.clone();
  }

  /** The batch size of the contract's inputs: small, so that the gradient check stays fast. */
  protected int batchSize() {
    return 3;
  }

  /** A new, unbuilt layer under test; containers override this to pass their children as objects. */
  protected Layer newLayer() {
    return factory().create(options());
  }

  /**
   * A batch of inputs of the given shape (batch axis first) in {@link Tensor#defaultType()}, drawn from
   * {@code rng}: standard normal by default. Override to keep away from kinks (see {@link Inputs}).
   */
  protected INDArray input(long[] batchShape, Rng rng) {
    return Inputs.normal(Tensor.defaultType(), rng, batchShape);
  }

  /**
   * A fresh training context for one pass; every call must give the same random stream, so that a
   * stochastic layer draws the same noise in each pass of the gradient check.
   */
  protected ForwardContext trainingContext() {
    return ForwardContext.training(new Rng(SEED + 1));
  }

  /** The gradient check used, {@link GradientCheck#defaults()} unless a layer needs a looser tolerance. */
  protected GradientCheck gradientCheck() {
    return GradientCheck.defaults();
  }

  /** Whether training and evaluation passes give identical outputs (true for deterministic layers). */
  protected boolean sameInTrainingAndEvaluation() {
    return true;
  }

  /**
   * The factory of a layer type named in a checkpoint's config, for the checkpoint round trip: the
   * factory under test for its own name, the host's built-in layer for any other (a container's
   * children). A test whose layer holds layers of other plugins overrides this.
   */
  protected ComponentFactory<Layer> checkpointFactory(String type) {
    return type.equals(factory().name()) ? factory() : host().builtInLayer(type);
  }

  /**
   * Recreates a layer from a config through the factory under test, with the config's name. A leaf
   * layer needs nothing more; a container overrides this to rebuild its children too (framework-core's
   * tests use {@code LayerFactories.fromConfig}), and is told so if it does not.
   */
  protected Layer recreate(LayerConfig config) {
    if (!config.children().isEmpty()) {
      fail(config.type() + " has children in its config: its test overrides recreate(LayerConfig) to rebuild them");
    }
    Layer layer = factory().create(config.options());
    if (config.name() != null) {
      layer.assignName(config.name());
    }
    return layer;
  }

  // ------------------------------------------------------------------ helpers for subclasses

  /** {@link #inputShape()} with the batch axis in front. */
  protected final long[] batchShape(int batchSize) {
    long[] sample = inputShape();
    long[] shape = new long[sample.length + 1];
    shape[0] = batchSize;
    System.arraycopy(sample, 0, shape, 1, sample.length);
    return shape;
  }

  /** A new layer, named and built as a model root ({@link Layers#build}) with the given seed. */
  protected final Layer builtLayer(long seed) {
    return Layers.build(newLayer(), inputShape(), new Rng(seed));
  }

  /** A constant batch from {@link #input}, drawn with the given seed. */
  protected final Tensor batch(int batchSize, long seed) {
    return Tensor.of(input(batchShape(batchSize), new Rng(seed)));
  }

  /** A forward pass in evaluation mode without recording a graph. */
  @SuppressWarnings("try") // the scope is used for its effect, not referenced
  protected static Tensor evaluate(Layer layer, Tensor input) {
    try (Tensor.GradScope ignored = Tensor.noGrad()) {
      return layer.forward(input, ForwardContext.evaluation());
    }
  }

  /** The elements of a tensor as float64, in row-major order. */
  protected static double[] values(Tensor t) {
    return t.array().castTo(DataType.DOUBLE).dup('c').data().asDouble();
  }

  /** Asserts same shape and bit-identical elements. */
  protected static void assertSameValues(Tensor expected, Tensor actual, String what) {
    assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
    assertArrayEquals(values(expected), values(actual), what);
  }

  // ------------------------------------------------------------------ the contract

  @Test
  public void factoryMakesAnUnbuiltLayerOfItsKindAndName() {
    ComponentFactory<Layer> factory = factory();
    assertEquals(ComponentKind.LAYER, factory.kind(), factory + " kind");
    assertFalse(factory.description().isBlank(), factory + " needs a description");
    Layer layer = newLayer();
    assertEquals(factory.name(), layer.type(), "a layer's type is its factory's name");
    assertFalse(layer.isBuilt(), "a new layer has no parameters yet");
  }

  @Test
  @SuppressWarnings("try") // the scope is used for its effect, not referenced
  public void gradientsMatchFiniteDifferencesForTheInputAndEveryParameter() {
    try (Tensor.GradScope ignored = Tensor.defaultType(DataType.DOUBLE)) {
      Layer layer = builtLayer(SEED);
      Tensor x = Tensor.parameter(input(batchShape(batchSize()), new Rng(SEED + 2)).castTo(DataType.DOUBLE));
      List<Parameter> parameters = Layers.parameters(layer);
      List<Tensor> inputs = new ArrayList<>();
      inputs.add(x);
      parameters.forEach(p -> inputs.add(p.value()));

      GradientCheck.Result result = gradientCheck().check(
          in -> layer.forward(in.get(0), trainingContext()), inputs, new Rng(SEED + 3));

      assertTrue(result.passed(), () -> layer + ": gradient check failed at " + result.worst()
          + " (relative error " + result.maxRelativeError() + "; inputs: 0 is the input, then "
          + parameters.stream().map(Parameter::name).toList() + ")");
      for (Parameter p : parameters) {
        assertNotNull(p.value().grad(), p.name() + " received no gradient: is it used in forward?");
      }
    }
  }

  @Test
  public void shapeInferenceMatchesTheForwardShape() {
    Layer layer = newLayer();
    long[] inferred = layer.outputShape(inputShape());
    Layers.build(layer, inputShape(), new Rng(SEED));
    assertArrayEquals(inferred, layer.outputShape(inputShape()), "inference before and after build");
    for (int n : new int[] {batchSize(), 1}) {
      Tensor y = evaluate(layer, batch(n, SEED + 2));
      long[] expected = new long[inferred.length + 1];
      expected[0] = n;
      System.arraycopy(inferred, 0, expected, 1, inferred.length);
      assertArrayEquals(expected, y.shape(), "forward shape for a batch of " + n);
      assertEquals(Tensor.defaultType(), y.dataType(), "output type");
    }
  }

  @Test
  public void trainingAndEvaluationBehaveAsDeclared() {
    Layer layer = builtLayer(SEED);
    Tensor x = batch(batchSize(), SEED + 2);

    Tensor train1 = layer.forward(x, trainingContext());
    Tensor train2 = layer.forward(x, trainingContext());
    assertSameValues(train1, train2, "two training passes with the same seed");

    Tensor eval1 = evaluate(layer, x);
    Tensor eval2 = evaluate(layer, x);
    assertSameValues(eval1, eval2, "two evaluation passes");
    assertFalse(eval1.requiresGrad(), "a no-grad evaluation pass records no graph");

    if (sameInTrainingAndEvaluation()) {
      assertSameValues(eval1, train1, "training and evaluation outputs");
    }
  }

  @Test
  public void configRebuildsAnEquivalentLayer() {
    Layer original = builtLayer(SEED);
    Tensor x = batch(batchSize(), SEED + 2);
    original.forward(x, trainingContext()); // moves any running statistics away from their initial values
    LayerConfig config = original.config();
    assertPlainValues(config);

    Layer copy = recreate(config);
    assertEquals(config, copy.config(), "the recreated layer's config");
    Layers.build(copy, inputShape(), new Rng(SEED + 99));

    Map<String, Tensor> from = namedTensors(original);
    Map<String, Tensor> to = namedTensors(copy);
    assertEquals(List.copyOf(from.keySet()), List.copyOf(to.keySet()), "parameter and buffer names of the copy");
    for (Map.Entry<String, Tensor> e : from.entrySet()) {
      Tensor target = to.get(e.getKey());
      assertArrayEquals(e.getValue().shape(), target.shape(), e.getKey() + " shape");
      target.array().assign(e.getValue().array());
    }
    assertSameValues(evaluate(original, x), evaluate(copy, x), "output of the recreated layer");
  }

  @Test
  public void aCheckpointRestoresTheLayerIntoAFreshOne() throws IOException {
    HostServices host = host();
    Layer original = builtLayer(SEED);
    Tensor x = batch(batchSize(), SEED + 2);
    original.forward(x, trainingContext()); // moves any running statistics away from their initial values
    Path dir = Files.createTempDirectory("regimen-layer-contract-");
    try {
      Path checkpoint = dir.resolve("checkpoint");
      host.saveModel(original, checkpoint);
      Layer restored = host.modelFromCheckpoint(checkpoint, this::checkpointFactory);
      assertEquals(original.config(), restored.config(), "the config read back from the checkpoint");
      Layers.build(restored, inputShape(), new Rng(SEED + 99));
      if (!namedTensors(restored).isEmpty()) { // the host refuses to restore a model that holds no arrays
        host.restoreWeights(restored, checkpoint);
      }

      assertSameValues(evaluate(original, x), evaluate(restored, x),
          "evaluation output of the layer restored from its checkpoint");
      assertSameValues(original.forward(x, trainingContext()), restored.forward(x, trainingContext()),
          "training output of the layer restored from its checkpoint");
    } finally {
      deleteRecursively(dir);
    }
  }

  @Test
  public void namesAreStableModelWideAndUnique() {
    Layer a = builtLayer(SEED);
    Layer b = builtLayer(SEED + 1);
    assertEquals(List.copyOf(namedTensors(a).keySet()), List.copyOf(namedTensors(b).keySet()),
        "names from two builds");
    assertEquals(a.type().replace('.', '_') + "_1", a.name(), "a model root is named <type>_1");

    Set<String> expected = new HashSet<>();
    for (Layer layer : Layers.all(a)) {
      assertNotNull(layer.name(), "every layer of a built model is named");
      for (String local : concat(layer.parameters().keySet(), layer.buffers().keySet())) {
        assertTrue(LOCAL_NAME.matcher(local).matches(), "local name '" + local + "' of " + layer
            + " should be lower snake case");
        assertTrue(expected.add(layer.name() + "." + local), "duplicate name " + layer.name() + "." + local);
      }
    }
    Set<String> actual = new HashSet<>();
    for (Parameter p : Layers.parameters(a)) {
      assertTrue(actual.add(p.name()), "duplicate parameter name " + p.name());
    }
    for (String buffer : Layers.buffers(a).keySet()) {
      assertTrue(actual.add(buffer), "a buffer shares a parameter's name: " + buffer);
    }
    assertEquals(expected, actual, "model-wide names are <layer>.<local>");
  }

  @Test
  @SuppressWarnings("try") // the scope is used for its effect, not referenced
  public void parametersAreSeededAndInTheDefaultType() {
    for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      try (Tensor.GradScope ignored = Tensor.defaultType(type)) {
        Layer a = builtLayer(SEED);
        Layer b = builtLayer(SEED);
        Map<String, Tensor> first = namedTensors(a);
        Map<String, Tensor> second = namedTensors(b);
        for (Map.Entry<String, Tensor> e : first.entrySet()) {
          assertEquals(type, e.getValue().dataType(), e.getKey() + " in the default type");
          assertSameValues(e.getValue(), second.get(e.getKey()), e.getKey() + " from the same seed");
        }
        for (Parameter p : Layers.parameters(a)) {
          assertTrue(p.value().requiresGrad(), p.name() + " is trainable");
        }
      }
    }
  }

  @Test
  public void buildingAgainForTheSameShapeKeepsTheParameters() {
    Layer layer = builtLayer(SEED);
    Map<String, Tensor> before = namedTensors(layer);
    layer.build(inputShape(), new Rng(SEED + 5));
    Map<String, Tensor> after = namedTensors(layer);
    assertEquals(before.keySet(), after.keySet());
    before.forEach((name, t) -> assertSame(t, after.get(name), name + " is the same tensor"));
  }

  @Test
  public void aBatchOfAnotherShapeIsRefusedNamingTheLayerAndTheShape() {
    Layer layer = builtLayer(SEED);
    long[] wrong = batchShape(2);
    wrong[wrong.length - 1] += 1;
    Tensor x = Tensor.of(input(wrong, new Rng(SEED + 4)));
    ShapeException e = assertThrows(ShapeException.class, () -> evaluate(layer, x));
    assertTrue(e.getMessage().contains(layer.name()), "the message names the layer: " + e.getMessage());
    assertTrue(e.getMessage().contains(Arrays.toString(wrong)), "the message echoes the shape: " + e.getMessage());
  }

  // ------------------------------------------------------------------ internals

  /** The running host's services, or a failure that says how a test gets them. */
  private static HostServices host() {
    try {
      return HostServices.get();
    } catch (IllegalStateException e) {
      return fail("The layer contract's checkpoint round trip saves and restores through the host's checkpoint"
          + " files, and no host is on the test class path: add framework-core in test scope (the plugin kit's"
          + " tests have it from the distribution's lib/)", e);
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** Parameters and buffers of a whole tree by model-wide name, parameters first. */
  private static Map<String, Tensor> namedTensors(Layer root) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Parameter p : Layers.parameters(root)) {
      out.put(p.name(), p.value());
    }
    out.putAll(Layers.buffers(root));
    return out;
  }

  private static List<String> concat(Set<String> a, Set<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  /** A config must be writable as JSON: numbers, strings, booleans and lists of them. */
  private static void assertPlainValues(LayerConfig config) {
    for (Map.Entry<String, Object> e : config.options().entrySet()) {
      if (!isPlain(e.getValue())) {
        fail("option '" + e.getKey() + "' of the config of " + config.type() + " is not a plain value: "
            + e.getValue().getClass().getName() + "; containers keep children in LayerConfig.children()");
      }
    }
    config.children().forEach(LayerContract::assertPlainValues);
  }

  private static boolean isPlain(Object value) {
    if (value instanceof List<?> list) {
      return list.stream().allMatch(LayerContract::isPlain);
    }
    return value instanceof Number || value instanceof String || value instanceof Boolean;
  }
}
