package org.edgenn.onnx.proto;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * ONNX models written and read with protobuf-java's {@link DynamicMessage}, from a descriptor of the subset of
 * {@code onnx.proto} (onnx/onnx, proto2) that EdgeNN's exporter writes and its importer reads; field numbers and
 * types are ONNX's, so protobuf-java does all wire encoding and decoding. ONNX Runtime's Java API can run but
 * not build or inspect models, and no maintained Java artifact of the ONNX protos is on Maven Central.
 *
 * <p>Also builds the ONNX Runtime peers' models: OrtComparisonTest (this module's tests) and runtime/bench.
 */
public final class OnnxModels {
    public static final int FLOAT = 1, UINT8 = 2, INT8 = 3, INT16 = 5, INT32 = 6, INT64 = 7, INT4 = 22;
    private static final int ATTR_FLOAT = 1, ATTR_INT = 2, ATTR_STRING = 3, ATTR_FLOATS = 6, ATTR_INTS = 7;
    public static final long IR_VERSION = 8;
    public static final long OPSET = 13;

    private static final Descriptor MODEL, GRAPH, NODE, ATTRIBUTE, TENSOR, VALUE_INFO, TYPE, TYPE_TENSOR, SHAPE, DIM, OPSET_ID;

    static {
        FileDescriptorProto file = FileDescriptorProto.newBuilder()
                .setName("onnx_subset.proto").setPackage("onnx").setSyntax("proto2")
                .addMessageType(msg("ModelProto", f("ir_version", 1, Type.TYPE_INT64), f("producer_name", 2, Type.TYPE_STRING),
                        m("graph", 7, "GraphProto"), rm("opset_import", 8, "OperatorSetIdProto")))
                .addMessageType(msg("OperatorSetIdProto", f("domain", 1, Type.TYPE_STRING), f("version", 2, Type.TYPE_INT64)))
                .addMessageType(msg("GraphProto", rm("node", 1, "NodeProto"), f("name", 2, Type.TYPE_STRING),
                        rm("initializer", 5, "TensorProto"), rm("input", 11, "ValueInfoProto"), rm("output", 12, "ValueInfoProto"),
                        rm("value_info", 13, "ValueInfoProto")))
                .addMessageType(msg("NodeProto", r("input", 1, Type.TYPE_STRING), r("output", 2, Type.TYPE_STRING),
                        f("name", 3, Type.TYPE_STRING), f("op_type", 4, Type.TYPE_STRING), rm("attribute", 5, "AttributeProto"),
                        f("domain", 7, Type.TYPE_STRING)))
                .addMessageType(msg("AttributeProto", f("name", 1, Type.TYPE_STRING), f("f", 2, Type.TYPE_FLOAT), f("i", 3, Type.TYPE_INT64), f("s", 4, Type.TYPE_BYTES),
                        m("t", 5, "TensorProto"), r("floats", 7, Type.TYPE_FLOAT), r("ints", 8, Type.TYPE_INT64),
                        r("strings", 9, Type.TYPE_BYTES), f("type", 20, Type.TYPE_INT32)))
                .addMessageType(msg("TensorProto", r("dims", 1, Type.TYPE_INT64), f("data_type", 2, Type.TYPE_INT32),
                        f("name", 8, Type.TYPE_STRING), f("raw_data", 9, Type.TYPE_BYTES),
                        packed("float_data", 4, Type.TYPE_FLOAT), packed("int32_data", 5, Type.TYPE_INT32),
                        packed("int64_data", 7, Type.TYPE_INT64), packed("double_data", 10, Type.TYPE_DOUBLE),
                        f("data_location", 14, Type.TYPE_INT32)))
                .addMessageType(msg("ValueInfoProto", f("name", 1, Type.TYPE_STRING), m("type", 2, "TypeProto")))
                .addMessageType(msg("TypeProto", m("tensor_type", 1, "TypeProtoTensor")))
                .addMessageType(msg("TypeProtoTensor", f("elem_type", 1, Type.TYPE_INT32), m("shape", 2, "TensorShapeProto")))
                .addMessageType(msg("TensorShapeProto", rm("dim", 1, "Dimension")))
                .addMessageType(msg("Dimension", f("dim_value", 1, Type.TYPE_INT64), f("dim_param", 2, Type.TYPE_STRING)))
                .build();
        try {
            Descriptors.FileDescriptor fd = Descriptors.FileDescriptor.buildFrom(file, new Descriptors.FileDescriptor[0]);
            MODEL = fd.findMessageTypeByName("ModelProto");
            GRAPH = fd.findMessageTypeByName("GraphProto");
            NODE = fd.findMessageTypeByName("NodeProto");
            ATTRIBUTE = fd.findMessageTypeByName("AttributeProto");
            TENSOR = fd.findMessageTypeByName("TensorProto");
            VALUE_INFO = fd.findMessageTypeByName("ValueInfoProto");
            TYPE = fd.findMessageTypeByName("TypeProto");
            TYPE_TENSOR = fd.findMessageTypeByName("TypeProtoTensor");
            SHAPE = fd.findMessageTypeByName("TensorShapeProto");
            DIM = fd.findMessageTypeByName("Dimension");
            OPSET_ID = fd.findMessageTypeByName("OperatorSetIdProto");
        } catch (Descriptors.DescriptorValidationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static DescriptorProto msg(String name, FieldDescriptorProto... fields) {
        DescriptorProto.Builder b = DescriptorProto.newBuilder().setName(name);
        for (FieldDescriptorProto f : fields) b.addField(f);
        return b.build();
    }

    private static FieldDescriptorProto f(String name, int num, Type t) {
        return FieldDescriptorProto.newBuilder().setName(name).setNumber(num).setType(t).setLabel(Label.LABEL_OPTIONAL).build();
    }

    private static FieldDescriptorProto r(String name, int num, Type t) {
        return FieldDescriptorProto.newBuilder().setName(name).setNumber(num).setType(t).setLabel(Label.LABEL_REPEATED).build();
    }

    /** A repeated scalar as ONNX declares it in proto2 ({@code [packed = true]}); the parser accepts both encodings. */
    private static FieldDescriptorProto packed(String name, int num, Type t) {
        return r(name, num, t).toBuilder().setOptions(com.google.protobuf.DescriptorProtos.FieldOptions.newBuilder().setPacked(true)).build();
    }

    private static FieldDescriptorProto m(String name, int num, String type) {
        return FieldDescriptorProto.newBuilder().setName(name).setNumber(num).setType(Type.TYPE_MESSAGE)
                .setTypeName(".onnx." + type).setLabel(Label.LABEL_OPTIONAL).build();
    }

    private static FieldDescriptorProto rm(String name, int num, String type) {
        return FieldDescriptorProto.newBuilder().setName(name).setNumber(num).setType(Type.TYPE_MESSAGE)
                .setTypeName(".onnx." + type).setLabel(Label.LABEL_REPEATED).build();
    }

    /** A graph under construction: one node list, initializers, typed inputs/outputs. */
    public static final class Graph {
        private final DynamicMessage.Builder graph = DynamicMessage.newBuilder(GRAPH);
        private final List<DynamicMessage> nodes = new ArrayList<>();
        private final java.util.Map<String, Long> extraOpsets = new java.util.LinkedHashMap<>();
        private long opset = OPSET, irVersion = IR_VERSION;

        public Graph(String name) {
            set(graph, "name", name);
        }

        public Graph input(String name, int elemType, long... dims) {
            graph.addRepeatedField(GRAPH.findFieldByName("input"), valueInfo(name, elemType, dims));
            return this;
        }

        public Graph output(String name, int elemType, long... dims) {
            graph.addRepeatedField(GRAPH.findFieldByName("output"), valueInfo(name, elemType, dims));
            return this;
        }

        /** An initializer from raw little-endian bytes. */
        public Graph initializer(String name, int dataType, byte[] raw, long... dims) {
            DynamicMessage.Builder t = DynamicMessage.newBuilder(TENSOR);
            for (long d : dims) t.addRepeatedField(TENSOR.findFieldByName("dims"), d);
            set(t, "data_type", dataType);
            set(t, "name", name);
            set(t, "raw_data", ByteString.copyFrom(raw));
            graph.addRepeatedField(GRAPH.findFieldByName("initializer"), t.build());
            return this;
        }

        public Graph floats(String name, float[] v, long... dims) {
            ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
            for (float x : v) b.putFloat(x);
            return initializer(name, FLOAT, b.array(), dims);
        }

        public Graph ints(String name, int[] v, long... dims) {
            ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
            for (int x : v) b.putInt(x);
            return initializer(name, INT32, b.array(), dims);
        }

        /** Raises the default-domain opset (and the IR version that carries it), e.g. 21 / 10 for int4 tensors. */
        public Graph defaultOpset(long version, long ir) {
            this.opset = Math.max(opset, version);
            this.irVersion = Math.max(irVersion, ir);
            return this;
        }

        /** Imports another operator domain (e.g. {@code com.microsoft} for ONNX Runtime's QLinearAdd). */
        public Graph opset(String domain, long version) {
            extraOpsets.put(domain, version);
            return this;
        }

        /** A node of another domain (imported with {@link #opset}). */
        public Graph node(String domain, String opType, String[] inputs, String[] outputs, Object... attrs) {
            node(opType, inputs, outputs, attrs);
            DynamicMessage last = nodes.remove(nodes.size() - 1);
            DynamicMessage.Builder n = last.toBuilder();
            set(n, "domain", domain);
            nodes.add(n.build());
            return this;
        }

        /** A node; attributes as alternating name, value (Integer/Long, long[], Float, float[] or String). */
        public Graph node(String opType, String[] inputs, String[] outputs, Object... attrs) {
            DynamicMessage.Builder n = DynamicMessage.newBuilder(NODE);
            for (String in : inputs) n.addRepeatedField(NODE.findFieldByName("input"), in);
            for (String out : outputs) n.addRepeatedField(NODE.findFieldByName("output"), out);
            set(n, "op_type", opType);
            set(n, "name", opType + "_" + nodes.size());
            for (int i = 0; i < attrs.length; i += 2) {
                DynamicMessage.Builder a = DynamicMessage.newBuilder(ATTRIBUTE);
                set(a, "name", attrs[i]);
                Object value = attrs[i + 1];
                if (value instanceof long[] vs) {
                    for (long v : vs) a.addRepeatedField(ATTRIBUTE.findFieldByName("ints"), v);
                    set(a, "type", ATTR_INTS);
                } else if (value instanceof float[] fs) {
                    for (float v : fs) a.addRepeatedField(ATTRIBUTE.findFieldByName("floats"), v);
                    set(a, "type", ATTR_FLOATS);
                } else if (value instanceof Float f) {
                    set(a, "f", f);
                    set(a, "type", ATTR_FLOAT);
                } else if (value instanceof String str) {
                    set(a, "s", ByteString.copyFromUtf8(str));
                    set(a, "type", ATTR_STRING);
                } else {
                    set(a, "i", ((Number) attrs[i + 1]).longValue());
                    set(a, "type", ATTR_INT);
                }
                n.addRepeatedField(NODE.findFieldByName("attribute"), a.build());
            }
            nodes.add(n.build());
            return this;
        }

        /** The serialized ModelProto (ir_version 8, default-domain opset 13, unless {@link #defaultOpset} raised them). */
        public byte[] toModelBytes() {
            for (DynamicMessage n : nodes) graph.addRepeatedField(GRAPH.findFieldByName("node"), n);
            DynamicMessage.Builder model = DynamicMessage.newBuilder(MODEL);
            set(model, "ir_version", irVersion);
            set(model, "producer_name", "edgenn");
            set(model, "graph", graph.build());
            DynamicMessage.Builder opset = DynamicMessage.newBuilder(OPSET_ID);
            set(opset, "domain", "");
            set(opset, "version", this.opset);
            model.addRepeatedField(MODEL.findFieldByName("opset_import"), opset.build());
            for (java.util.Map.Entry<String, Long> e : extraOpsets.entrySet()) {
                DynamicMessage.Builder extra = DynamicMessage.newBuilder(OPSET_ID);
                set(extra, "domain", e.getKey());
                set(extra, "version", e.getValue());
                model.addRepeatedField(MODEL.findFieldByName("opset_import"), extra.build());
            }
            return model.build().toByteArray();
        }
    }

    private static DynamicMessage valueInfo(String name, int elemType, long... dims) {
        DynamicMessage.Builder shape = DynamicMessage.newBuilder(SHAPE);
        for (long d : dims) {
            DynamicMessage.Builder dim = DynamicMessage.newBuilder(DIM);
            set(dim, "dim_value", d);
            shape.addRepeatedField(SHAPE.findFieldByName("dim"), dim.build());
        }
        DynamicMessage.Builder tt = DynamicMessage.newBuilder(TYPE_TENSOR);
        set(tt, "elem_type", elemType);
        set(tt, "shape", shape.build());
        DynamicMessage.Builder type = DynamicMessage.newBuilder(TYPE);
        set(type, "tensor_type", tt.build());
        DynamicMessage.Builder vi = DynamicMessage.newBuilder(VALUE_INFO);
        set(vi, "name", name);
        set(vi, "type", type.build());
        return vi.build();
    }

    private static void set(DynamicMessage.Builder b, String field, Object value) {
        b.setField(b.getDescriptorForType().findFieldByName(field), value);
    }

    private OnnxModels() {}

    /** Message types, for readers of a parsed model. */
    public static Descriptor model() {
        return MODEL;
    }

    /**
     * A serialized ModelProto, parsed; fields outside the subset are kept as unknown fields and ignored.
     *
     * @throws com.google.protobuf.InvalidProtocolBufferException when the bytes are not a protobuf message
     */
    public static DynamicMessage parse(byte[] bytes) throws com.google.protobuf.InvalidProtocolBufferException {
        return DynamicMessage.parseFrom(MODEL, bytes);
    }
}
