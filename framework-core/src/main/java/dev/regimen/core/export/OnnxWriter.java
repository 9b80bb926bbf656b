package dev.regimen.core.export;

import dev.regimen.api.export.OnnxGraph;
import dev.regimen.api.export.OnnxLayer;
import dev.regimen.api.nn.Layer;
import dev.regimen.core.proto.ProtoWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes an ONNX model ({@code ModelProto}, https://github.com/onnx/onnx/blob/main/onnx/onnx.proto) by
 * hand through {@link ProtoWriter}: the {@link OnnxGraph} that layers add their nodes and weights to, and
 * {@link #model} that wraps the graph with its input, output and opset.
 *
 * <p>The messages and the field numbers used (IR version {@value #IR_VERSION}, the default domain at
 * opset {@value #OPSET}):
 * <ul>
 *   <li>{@code ModelProto}: {@code ir_version = 1}, {@code producer_name = 2}, {@code producer_version =
 *       3}, {@code doc_string = 6}, {@code graph = 7}, {@code opset_import = 8} ({@code OperatorSetIdProto}:
 *       {@code domain = 1}, {@code version = 2}), {@code metadata_props = 14} ({@code StringStringEntryProto}:
 *       {@code key = 1}, {@code value = 2});
 *   <li>{@code GraphProto}: {@code node = 1}, {@code name = 2}, {@code initializer = 5}, {@code input = 11},
 *       {@code output = 12};
 *   <li>{@code NodeProto}: {@code input = 1}, {@code output = 2}, {@code name = 3}, {@code op_type = 4},
 *       {@code attribute = 5};
 *   <li>{@code AttributeProto}: {@code name = 1}, {@code f = 2}, {@code i = 3}, {@code s = 4}, {@code
 *       floats = 7}, {@code ints = 8}, {@code type = 20} (FLOAT 1, INT 2, STRING 3, FLOATS 6, INTS 7);
 *   <li>{@code TensorProto}: {@code dims = 1}, {@code data_type = 2} (FLOAT 1, INT64 7), {@code name = 8},
 *       {@code raw_data = 9} (the values little-endian, in C order);
 *   <li>{@code ValueInfoProto}: {@code name = 1}, {@code type = 2}; {@code TypeProto.tensor_type = 1};
 *       {@code TypeProto.Tensor}: {@code elem_type = 1}, {@code shape = 2}; {@code TensorShapeProto.dim = 1};
 *       {@code Dimension}: {@code dim_value = 1}, {@code dim_param = 2}.
 * </ul>
 * Repeated numbers are written unpacked, which every protobuf parser reads.
 */
public final class OnnxWriter implements OnnxGraph {
  /** The opset of the default domain: LayerNormalization needs 17; onnxruntime 1.12 and later run it. */
  public static final int OPSET = 17;
  /** The IR version that goes with opset 17 (ONNX 1.12). */
  public static final long IR_VERSION = 8;
  /** The symbolic name of the batch dimension of the graph's input and output. */
  public static final String BATCH = "N";

  private static final int FLOAT = 1;
  private static final int INT64 = 7;

  private final List<ProtoWriter> nodes = new ArrayList<>();
  private final List<ProtoWriter> initializers = new ArrayList<>();
  private final Set<String> names = new HashSet<>();
  private final Map<String, Integer> counters = new HashMap<>();

  @Override
  public int opset() {
    return OPSET;
  }

  /** Reserves a value name (the graph's input) so that nothing else takes it. */
  public String reserve(String name) {
    return unique(name);
  }

  @Override
  public String node(String opType, List<String> inputs, Map<String, ?> attributes) {
    Objects.requireNonNull(opType, "opType");
    return node(opType, inputs, attributes, unique(opType.toLowerCase(Locale.ROOT)));
  }

  /** Names the graph's output: an {@code Identity} of {@code value} whose output is called {@code name}. */
  public String output(String name, String value) {
    return node("Identity", List.of(value), Map.of(), unique(name));
  }

  private String node(String opType, List<String> inputs, Map<String, ?> attributes, String output) {
    ProtoWriter node = new ProtoWriter();
    for (String input : inputs) {
      node.string(1, input);
    }
    node.string(2, output).string(3, output).string(4, opType);
    attributes.forEach((name, value) -> node.message(5, attribute(opType, name, value)));
    nodes.add(node);
    return output;
  }

  @Override
  public String constant(String name, INDArray value) {
    INDArray floats = value.castTo(DataType.FLOAT).dup('c');
    ByteBuffer raw = ByteBuffer.allocate(Math.toIntExact(floats.length() * 4)).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : floats.data().asFloat()) {
      raw.putFloat(f);
    }
    return initializer(name, FLOAT, floats.rank() == 0 ? new long[0] : floats.shape(), raw.array());
  }

  @Override
  public String scalar(String name, float value) {
    return initializer(name, FLOAT, new long[0],
        ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value).array());
  }

  @Override
  public String int64s(String name, long... values) {
    ByteBuffer raw = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      raw.putLong(v);
    }
    return initializer(name, INT64, new long[] {values.length}, raw.array());
  }

  @Override
  public String layer(Layer layer, String input, long[] inputShape) {
    if (layer instanceof OnnxLayer onnx) {
      return onnx.toOnnx(this, input, inputShape);
    }
    throw new ExportException("layer '" + (layer.name() == null ? layer.type() : layer.name()) + "' (" + layer.type()
        + ") has no ONNX form: its class " + layer.getClass().getName() + " does not implement "
        + OnnxLayer.class.getName() + "; export to safetensors instead, or give the layer an ONNX form");
  }

  /**
   * The whole model: this graph with one float32 input and one output, each {@code [N, ...sampleShape]}
   * with the batch size {@value #BATCH} left open.
   *
   * @param metadata strings stored as the model's {@code metadata_props}
   */
  public byte[] model(String graphName, String input, long[] inputShape, String output, long[] outputShape,
      String producerVersion, String docString, Map<String, String> metadata) {
    ProtoWriter graph = new ProtoWriter();
    nodes.forEach(n -> graph.message(1, n));
    graph.string(2, graphName);
    initializers.forEach(t -> graph.message(5, t));
    graph.message(11, valueInfo(input, inputShape));
    graph.message(12, valueInfo(output, outputShape));
    ProtoWriter model = new ProtoWriter()
        .varint(1, IR_VERSION)
        .string(2, "regimen")
        .string(3, producerVersion)
        .string(6, docString)
        .message(7, graph)
        .message(8, new ProtoWriter().string(1, "").varint(2, OPSET));
    metadata.forEach((k, v) -> model.message(14, new ProtoWriter().string(1, k).string(2, v)));
    return model.toByteArray();
  }

  private String initializer(String name, int dataType, long[] dims, byte[] raw) {
    String unique = unique(name);
    ProtoWriter tensor = new ProtoWriter();
    for (long d : dims) {
      tensor.varint(1, d);
    }
    tensor.varint(2, dataType).string(8, unique).bytes(9, raw);
    initializers.add(tensor);
    return unique;
  }

  private static ProtoWriter valueInfo(String name, long[] sampleShape) {
    ProtoWriter shape = new ProtoWriter().message(1, new ProtoWriter().string(2, BATCH));
    for (long d : sampleShape) {
      shape.message(1, new ProtoWriter().varint(1, d));
    }
    ProtoWriter tensorType = new ProtoWriter().varint(1, FLOAT).message(2, shape);
    return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
  }

  private static ProtoWriter attribute(String opType, String name, Object value) {
    ProtoWriter a = new ProtoWriter().string(1, name);
    if (value instanceof Integer || value instanceof Long) {
      a.varint(3, ((Number) value).longValue()).varint(20, 2);
    } else if (value instanceof Float || value instanceof Double) {
      a.float32(2, ((Number) value).floatValue()).varint(20, 1);
    } else if (value instanceof String s) {
      a.string(4, s).varint(20, 3);
    } else if (value instanceof int[] ints) {
      for (int i : ints) {
        a.varint(8, i);
      }
      a.varint(20, 7);
    } else if (value instanceof long[] longs) {
      for (long l : longs) {
        a.varint(8, l);
      }
      a.varint(20, 7);
    } else if (value instanceof float[] floats) {
      for (float f : floats) {
        a.float32(7, f);
      }
      a.varint(20, 6);
    } else if (value instanceof double[] doubles) {
      for (double d : doubles) {
        a.float32(7, (float) d);
      }
      a.varint(20, 6);
    } else {
      throw new IllegalArgumentException("Attribute '" + name + "' of " + opType + " must be an int, long, float,"
          + " double, String or an array of numbers. Received: " + (value == null ? "null"
          : value.getClass().getSimpleName() + " " + value));
    }
    return a;
  }

  /** The hint itself if free, else the hint with {@code _2}, {@code _3}... */
  private String unique(String hint) {
    String base = hint == null || hint.isBlank() ? "value" : hint;
    if (names.add(base)) {
      return base;
    }
    int k = counters.getOrDefault(base, 1);
    String candidate;
    do {
      k++;
      candidate = base + "_" + k;
    } while (!names.add(candidate));
    counters.put(base, k);
    return candidate;
  }
}
