package org.edgenn.onnx.imports;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.edgenn.onnx.proto.OnnxModels;

/**
 * The parts of an ONNX model the importer reads: nodes in graph order (ONNX requires a topological order), the
 * initializers (float values, or none for a graph-only file whose weights are external or absent), graph inputs
 * that are not initializers, and graph outputs.
 */
public record OnnxGraph(String name, List<Node> nodes, Map<String, Tensor> initializers, List<Input> inputs, List<String> outputs) {

    /** A node: its name (or {@code op_type#index} when unnamed), op type, inputs ("" for an omitted one), outputs, attributes. */
    public record Node(String name, String opType, List<String> inputs, List<String> outputs, Map<String, Object> attributes) {
        long i(String attr, long otherwise) {
            Object v = attributes.get(attr);
            return v instanceof Long l ? l : otherwise;
        }

        float f(String attr, float otherwise) {
            Object v = attributes.get(attr);
            return v instanceof Float x ? x : otherwise;
        }

        long[] ints(String attr, long[] otherwise) {
            Object v = attributes.get(attr);
            return v instanceof long[] l ? l : otherwise;
        }

        String s(String attr, String otherwise) {
            Object v = attributes.get(attr);
            return v instanceof String x ? x : otherwise;
        }

        String input(int i) {
            return i < inputs.size() ? inputs.get(i) : "";
        }
    }

    /** A constant tensor; {@code values} is null when the file does not hold its data (external or missing). */
    public record Tensor(long[] dims, float[] values) {
        long size() {
            long n = 1;
            for (long d : dims) n *= d;
            return n;
        }
    }

    /** A graph input: its name and dimensions (0 where the file names a symbolic dimension). */
    public record Input(String name, long[] dims) {
    }

    /** Parses a serialized ModelProto. */
    public static OnnxGraph parse(byte[] bytes) throws OnnxImportException {
        DynamicMessage model;
        try {
            model = OnnxModels.parse(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new OnnxImportException("not an ONNX model: " + e.getMessage());
        }
        DynamicMessage graph = (DynamicMessage) get(model, "graph");
        if (graph == null || count(graph, "node") == 0) throw new OnnxImportException("the ONNX model has no graph nodes");
        Map<String, Tensor> initializers = new LinkedHashMap<>();
        for (DynamicMessage t : messages(graph, "initializer")) initializers.put((String) get(t, "name"), tensor(t));
        List<Input> inputs = new ArrayList<>();
        for (DynamicMessage vi : messages(graph, "input")) {
            String name = (String) get(vi, "name");
            if (!initializers.containsKey(name)) inputs.add(new Input(name, dims(vi)));
        }
        List<String> outputs = new ArrayList<>();
        for (DynamicMessage vi : messages(graph, "output")) outputs.add((String) get(vi, "name"));
        List<Node> nodes = new ArrayList<>();
        for (DynamicMessage n : messages(graph, "node")) {
            String op = (String) get(n, "op_type");
            String name = (String) get(n, "name");
            if (name == null || name.isEmpty()) name = op + "#" + nodes.size();
            Map<String, Object> attrs = new LinkedHashMap<>();
            for (DynamicMessage a : messages(n, "attribute")) attrs.put((String) get(a, "name"), attribute(a));
            nodes.add(new Node(name, op, strings(n, "input"), strings(n, "output"), attrs));
        }
        String name = (String) get(graph, "name");
        return new OnnxGraph(name == null ? "" : name, nodes, initializers, inputs, outputs);
    }

    /** True when some initializer has no data in the file (a graph-only model, imported for mapping). */
    public boolean graphOnly() {
        return initializers.values().stream().anyMatch(t -> t.values() == null);
    }

    private static Object attribute(DynamicMessage a) throws OnnxImportException {
        int type = get(a, "type") == null ? 0 : (Integer) get(a, "type");
        switch (type) {
            case 1: return (Float) get(a, "f");
            case 2: return (Long) get(a, "i");
            case 3: return ((ByteString) get(a, "s")).toStringUtf8();
            case 4: return tensor((DynamicMessage) get(a, "t"));
            case 6: {
                List<?> l = (List<?>) get(a, "floats");
                float[] f = new float[l.size()];
                for (int i = 0; i < f.length; i++) f[i] = (Float) l.get(i);
                return f;
            }
            case 7: {
                List<?> l = (List<?>) get(a, "ints");
                long[] v = new long[l.size()];
                for (int i = 0; i < v.length; i++) v[i] = (Long) l.get(i);
                return v;
            }
            default: return null;   // graphs, sparse tensors, strings lists: no supported op reads them
        }
    }

    /**
     * A tensor's values as floats (FLOAT, FLOAT16, BFLOAT16, DOUBLE, INT32, INT64, from raw_data or the typed
     * fields). Values null only when the file holds no data for it (external or absent: a graph-only model); data
     * that is there but cannot be read (a size that disagrees with the dimensions, another data type, a negative
     * dimension) is an error, since taking the model as graph-only would drop its weights without a word.
     */
    static Tensor tensor(DynamicMessage t) throws OnnxImportException {
        String name = get(t, "name") == null ? "(unnamed)" : (String) get(t, "name");
        List<?> d = (List<?>) get(t, "dims");
        long[] dims = new long[d.size()];
        for (int i = 0; i < dims.length; i++) dims[i] = (Long) d.get(i);
        long n = 1;
        for (long x : dims) {
            if (x < 0) throw new OnnxImportException("initializer " + name + ": negative dimension in " + java.util.Arrays.toString(dims));
            n = x == 0 || n == 0 ? 0 : n > Long.MAX_VALUE / x ? Long.MAX_VALUE : n * x;
        }
        int type = get(t, "data_type") == null ? 0 : (Integer) get(t, "data_type");
        Integer location = (Integer) get(t, "data_location");
        if (location != null && location == 1) return new Tensor(dims, null);   // EXTERNAL
        ByteString raw = (ByteString) get(t, "raw_data");
        String field = switch (type) {
            case OnnxModels.FLOAT -> "float_data";
            case OnnxModels.INT64 -> "int64_data";
            case DOUBLE -> "double_data";
            default -> "int32_data";   // INT32, and FLOAT16/BFLOAT16 bit patterns
        };
        List<?> typed = (List<?>) get(t, field);
        boolean hasRaw = raw != null && !raw.isEmpty();
        if (!hasRaw && typed.isEmpty()) return new Tensor(dims, n == 0 ? new float[0] : null);   // no data in the file
        int width = switch (type) {
            case OnnxModels.FLOAT, OnnxModels.INT32 -> 4;
            case OnnxModels.INT64, DOUBLE -> 8;
            case FLOAT16, BFLOAT16 -> 2;
            default -> 0;
        };
        if (width == 0) {
            throw new OnnxImportException("initializer " + name + ": data type " + typeName(type)
                    + " is not imported (float32, float16, bfloat16, float64, int32 and int64 are)");
        }
        String spelled = typeName(type) + " " + java.util.Arrays.toString(dims);
        if (n > Integer.MAX_VALUE) throw new OnnxImportException("initializer " + name + ": " + spelled + " is too large");
        float[] v = new float[(int) n];
        if (hasRaw) {
            if (raw.size() != n * width) {
                throw new OnnxImportException("initializer " + name + ": raw_data holds " + raw.size() + " bytes, " + spelled
                        + " needs " + n * width + " (a truncated or corrupt file)");
            }
            ByteBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < v.length; i++) {
                v[i] = switch (type) {
                    case OnnxModels.FLOAT -> b.getFloat();
                    case OnnxModels.INT32 -> b.getInt();
                    case OnnxModels.INT64 -> b.getLong();
                    case DOUBLE -> (float) b.getDouble();
                    case FLOAT16 -> Half.toFloat(b.getShort());
                    default -> Float.intBitsToFloat((b.getShort() & 0xffff) << 16);   // BFLOAT16: the upper half of a float
                };
            }
            return new Tensor(dims, v);
        }
        if (typed.size() != n) {
            throw new OnnxImportException("initializer " + name + ": " + field + " holds " + typed.size() + " values, " + spelled
                    + " needs " + n);
        }
        for (int i = 0; i < v.length; i++) {
            Number x = (Number) typed.get(i);
            v[i] = type == FLOAT16 ? Half.toFloat((short) x.intValue())
                    : type == BFLOAT16 ? Float.intBitsToFloat((x.intValue() & 0xffff) << 16) : x.floatValue();
        }
        return new Tensor(dims, v);
    }

    private static final int FLOAT16 = 10, DOUBLE = 11, BFLOAT16 = 16;

    /** ONNX's name of a TensorProto data type, as error messages print it. */
    static String typeName(int type) {
        String[] names = {"UNDEFINED", "FLOAT", "UINT8", "INT8", "UINT16", "INT16", "INT32", "INT64", "STRING", "BOOL",
            "FLOAT16", "DOUBLE", "UINT32", "UINT64", "COMPLEX64", "COMPLEX128", "BFLOAT16", "FLOAT8E4M3FN",
            "FLOAT8E4M3FNUZ", "FLOAT8E5M2", "FLOAT8E5M2FNUZ", "UINT4", "INT4"};
        return type >= 0 && type < names.length ? names[type] : "type " + type;
    }

    private static long[] dims(DynamicMessage valueInfo) {
        DynamicMessage type = (DynamicMessage) get(valueInfo, "type");
        DynamicMessage tt = type == null ? null : (DynamicMessage) get(type, "tensor_type");
        DynamicMessage shape = tt == null ? null : (DynamicMessage) get(tt, "shape");
        if (shape == null) return new long[0];
        List<DynamicMessage> dims = messages(shape, "dim");
        long[] out = new long[dims.size()];
        for (int i = 0; i < out.length; i++) {
            Object v = get(dims.get(i), "dim_value");
            out[i] = v == null ? 0 : (Long) v;
        }
        return out;
    }

    private static Object get(DynamicMessage m, String field) {
        FieldDescriptor f = m.getDescriptorForType().findFieldByName(field);
        if (f.isRepeated()) return m.getField(f);
        return m.hasField(f) ? m.getField(f) : null;
    }

    private static int count(DynamicMessage m, String field) {
        return m.getRepeatedFieldCount(m.getDescriptorForType().findFieldByName(field));
    }

    @SuppressWarnings("unchecked")
    private static List<DynamicMessage> messages(DynamicMessage m, String field) {
        return (List<DynamicMessage>) get(m, field);
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(DynamicMessage m, String field) {
        return new ArrayList<>((List<String>) get(m, field));
    }
}
