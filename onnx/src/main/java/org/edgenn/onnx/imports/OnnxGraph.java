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

    private static Object attribute(DynamicMessage a) {
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

    /** A tensor's values as floats (FLOAT, INT32, INT64, DOUBLE, from raw_data or the typed fields). */
    static Tensor tensor(DynamicMessage t) {
        List<?> d = (List<?>) get(t, "dims");
        long[] dims = new long[d.size()];
        for (int i = 0; i < dims.length; i++) dims[i] = (Long) d.get(i);
        long n = 1;
        for (long x : dims) n *= x;
        int type = get(t, "data_type") == null ? 0 : (Integer) get(t, "data_type");
        Integer location = (Integer) get(t, "data_location");
        if (location != null && location == 1 || n > Integer.MAX_VALUE) return new Tensor(dims, null);   // EXTERNAL
        float[] v = new float[(int) n];
        ByteString raw = (ByteString) get(t, "raw_data");
        if (raw != null && !raw.isEmpty()) {
            ByteBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            int width = type == OnnxModels.INT64 || type == 11 ? 8 : 4;
            if (b.remaining() != n * width) return new Tensor(dims, null);
            for (int i = 0; i < v.length; i++) {
                v[i] = switch (type) {
                    case OnnxModels.FLOAT -> b.getFloat();
                    case OnnxModels.INT32 -> b.getInt();
                    case OnnxModels.INT64 -> b.getLong();
                    case 11 -> (float) b.getDouble();
                    default -> Float.NaN;
                };
            }
            return type == OnnxModels.FLOAT || type == OnnxModels.INT32 || type == OnnxModels.INT64 || type == 11 ? new Tensor(dims, v) : new Tensor(dims, null);
        }
        String field = switch (type) {
            case OnnxModels.FLOAT -> "float_data";
            case OnnxModels.INT64 -> "int64_data";
            case 11 -> "double_data";
            default -> "int32_data";
        };
        List<?> l = (List<?>) get(t, field);
        if (l.size() != n) return new Tensor(dims, null);
        for (int i = 0; i < v.length; i++) v[i] = ((Number) l.get(i)).floatValue();
        return new Tensor(dims, v);
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
