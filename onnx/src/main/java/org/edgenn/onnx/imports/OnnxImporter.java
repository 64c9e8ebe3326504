package org.edgenn.onnx.imports;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.edgenn.onnx.imports.OnnxGraph.Node;
import org.edgenn.onnx.imports.OnnxGraph.Tensor;

/**
 * An ONNX graph (batch 1, NCHW, float) as a {@code .edgenn} network and its weights. The op set is the one the
 * language covers: Conv (groups, dilation), Gemm/MatMul, Relu/Clip, MaxPool/AveragePool/GlobalAveragePool,
 * Add/Sub/Mul, Concat, Reshape/Flatten, Resize (nearest, integer factor), DepthToSpace (CRD), BatchNormalization
 * (folded into the Conv before it), plus what exporters put around them (Constant, Cast/Concat of constants,
 * Identity, Dropout, zero Pad). Every node outside the set is reported in one error before anything is translated.
 */
public final class OnnxImporter {
    static final Set<String> SUPPORTED = Set.of("Conv", "Gemm", "MatMul", "Relu", "Clip", "MaxPool", "AveragePool",
            "GlobalAveragePool", "Add", "Sub", "Mul", "Concat", "Reshape", "Flatten", "Resize", "DepthToSpace",
            "BatchNormalization", "Constant", "Cast", "Identity", "Dropout", "Pad");
    private static final Set<String> RESERVED = Set.of("network", "input", "label", "teacher", "layer", "param", "let",
            "state", "unroll", "as", "output", "loss", "compress", "train", "accelerator", "import", "package", "budget",
            "weights", "activations", "on", "true", "false", "relu", "relu6", "conv2d", "dense", "flatten", "reshape",
            "concat", "upsample", "pixelshuffle", "maxpool", "avgpool", "globalavgpool", "clamp", "sigmoid", "tanh",
            "softmax", "depthwise", "shrink", "int8", "f32", "data", "epochs", "batch", "optimizer");

    /** A value of the network: its name in the text and its logical shape ([C, H, W] or [F]). */
    private record Value(String name, int[] shape) {
        boolean vector() {
            return shape.length == 1;
        }
    }

    private final OnnxGraph graph;
    private final Map<String, Value> values = new HashMap<>();
    private final Map<String, Tensor> constants = new HashMap<>();
    private final Map<String, Layer> producedByConv = new HashMap<>();
    private final Map<String, Integer> consumers = new HashMap<>();
    private final Set<String> names = new HashSet<>();
    private final List<Object> body = new ArrayList<>();   // lines (String) and layers (Layer), in order
    private final List<String> problems = new ArrayList<>();
    private final List<Layer> layers = new ArrayList<>();

    private OnnxImporter(OnnxGraph graph) {
        this.graph = graph;
    }

    /** Translates {@code graph} into network {@code name}; {@code source} names the file in the header comment. */
    public static ImportedNetwork translate(OnnxGraph graph, String name, String source) throws OnnxImportException {
        List<String> unsupported = new ArrayList<>();
        for (Node n : graph.nodes()) {
            if (!SUPPORTED.contains(n.opType())) unsupported.add("node " + n.name() + ": op " + n.opType());
        }
        if (!unsupported.isEmpty()) {
            throw new OnnxImportException(unsupported.size() + " node(s) outside the op set EdgeNN imports ("
                    + String.join(", ", new java.util.TreeSet<>(SUPPORTED)) + "):\n  " + String.join("\n  ", unsupported));
        }
        OnnxImporter i = new OnnxImporter(graph);
        return i.run(name, source);
    }

    private ImportedNetwork run(String network, String source) throws OnnxImportException {
        constants.putAll(graph.initializers());
        for (Node n : graph.nodes()) for (String in : n.inputs()) consumers.merge(in, 1, Integer::sum);
        for (String out : graph.outputs()) consumers.merge(out, 1, Integer::sum);
        List<String> inputs = new ArrayList<>();
        for (OnnxGraph.Input in : graph.inputs()) {
            int[] shape = logical(in.dims());
            if (shape == null) {
                problems.add("input " + in.name() + ": shape " + java.util.Arrays.toString(in.dims())
                        + " is not [1, C, H, W] or [1, F] with fixed sizes");
                continue;
            }
            Value v = new Value(fresh(in.name()), shape);
            values.put(in.name(), v);
            inputs.add("  input " + v.name() + ": f32" + java.util.Arrays.toString(shape).replace(" ", " "));
        }
        if (problems.isEmpty()) {
            for (Node n : graph.nodes()) {
                try {
                    node(n);
                } catch (Problem p) {
                    problems.add("node " + n.name() + " (" + n.opType() + "): " + p.getMessage());
                } catch (IndexOutOfBoundsException | ArithmeticException | ClassCastException e) {
                    // an attribute or operand list shorter or of another type than the op's definition: a malformed file
                    problems.add("node " + n.name() + " (" + n.opType() + "): malformed attributes or operands (" + e.getMessage() + ")");
                }
            }
        }
        List<String> outputs = new ArrayList<>();
        for (String out : graph.outputs()) {
            Value v = values.get(out);
            if (v == null && problems.isEmpty()) problems.add("output " + out + " is not computed from the input");
            if (v != null) outputs.add("  output " + v.name());
        }
        if (!problems.isEmpty()) throw new OnnxImportException(String.join("\n", problems));

        StringBuilder text = new StringBuilder();
        text.append("// Imported by edgenn import-onnx from ").append(source).append(" (").append(graph.nodes().size())
                .append(" ONNX nodes; batch norm folded into the convolutions).\n");
        text.append(graph.graphOnly() ? "// Graph only: the file holds no weights (enough to check and map the network).\n"
                : "// Weights: " + network + ".safetensors (float32; conv OHWI, dense [OUT, IN]).\n");
        text.append("network ").append(network).append(" {\n");
        for (String s : inputs) text.append(s).append('\n');
        for (Object o : body) text.append(o instanceof Layer l ? l.declaration() : (String) o).append('\n');
        for (String s : outputs) text.append(s).append('\n');
        text.append("}\n");
        Map<String, ImportedNetwork.Weight> weights = new LinkedHashMap<>();
        if (!graph.graphOnly()) {
            for (Layer l : layers) {
                weights.put(l.name + ".weight", new ImportedNetwork.Weight(l.weightShape, l.weight));
                if (l.bias) weights.put(l.name + ".bias", new ImportedNetwork.Weight(new long[] {l.out}, l.biasValues));
            }
        }
        return new ImportedNetwork(network, text.toString(), weights, graph.nodes().size(), layers.size());
    }

    /** A translation problem of one node (collected, then reported with every other). */
    private static final class Problem extends Exception {
        Problem(String message) {
            super(message);
        }
    }

    private void node(Node n) throws Problem {
        String op = n.opType();
        switch (op) {
            case "Constant": {
                Object t = n.attributes().get("value");
                if (!(t instanceof Tensor tensor)) throw new Problem("only a tensor 'value' is supported");
                constants.put(n.outputs().get(0), tensor);
                return;
            }
            case "Cast": case "Identity": case "Dropout":
                alias(n);
                return;
            case "Pad": {
                Tensor pads = constant(n.input(1));
                for (float p : pads.values()) if (p != 0) throw new Problem("non-zero padding is not imported (fold it into the next Conv or pool)");
                alias(n);
                return;
            }
            case "Concat": {
                if (n.inputs().stream().allMatch(constants::containsKey)) {
                    constants.put(n.outputs().get(0), concatConstants(n));
                    return;
                }
                if (n.i("axis", 1) != 1) throw new Problem("only concatenation along channels (axis 1) is imported");
                List<String> args = new ArrayList<>();
                int channels = 0;
                int[] first = value(n.input(0)).shape();
                for (String in : n.inputs()) {
                    Value v = value(in);
                    // maps of other sizes were concatenated into a network that only edgenn check refused
                    if (v.shape().length != first.length || !java.util.Arrays.equals(v.shape(), 1, v.shape().length, first, 1, first.length)) {
                        throw new Problem("operands " + java.util.Arrays.toString(first) + " and " + java.util.Arrays.toString(v.shape())
                                + " differ in more than the channels");
                    }
                    args.add(v.name());
                    channels += v.shape()[0];
                }
                int[] shape = first.clone();
                shape[0] = channels;
                let(n, "concat(" + String.join(", ", args) + ")", shape);
                return;
            }
            case "Conv": conv(n); return;
            case "BatchNormalization": batchNorm(n); return;
            case "Gemm": case "MatMul": dense(n); return;
            case "Relu": {
                Value x = value(n.input(0));
                let(n, "relu(" + x.name() + ")", x.shape());
                return;
            }
            case "Clip": clip(n); return;
            case "MaxPool": case "AveragePool": pool(n); return;
            case "GlobalAveragePool": {
                Value x = image(n.input(0));
                let(n, "globalavgpool(" + x.name() + ")", new int[] {x.shape()[0], 1, 1});
                return;
            }
            case "Add": case "Sub": case "Mul": arithmetic(n); return;
            case "Flatten": {
                Value x = value(n.input(0));
                if (n.i("axis", 1) != 1) throw new Problem("only axis 1 is imported (batch 1)");
                if (x.vector()) alias(n);
                else let(n, "flatten(" + x.name() + ")", new int[] {size(x.shape())});
                return;
            }
            case "Reshape": reshape(n); return;
            case "Resize": resize(n); return;
            case "DepthToSpace": {
                Value x = image(n.input(0));
                int r = (int) n.i("blocksize", 0);
                if (!"CRD".equals(n.s("mode", "DCR"))) throw new Problem("only mode CRD (PyTorch's pixel_shuffle) is imported, not DCR");
                int[] s = x.shape();
                if (r < 1 || s[0] % (r * r) != 0) throw new Problem("blocksize " + r + " does not divide " + s[0] + " channels");
                let(n, "pixelshuffle(" + x.name() + ", factor=" + r + ")", new int[] {s[0] / (r * r), s[1] * r, s[2] * r});
                return;
            }
            default:
                throw new Problem("not imported");
        }
    }

    private void conv(Node n) throws Problem {
        Value x = image(n.input(0));
        Tensor w = weight(n.input(1), 4);
        int k = (int) w.dims()[0], cg = (int) w.dims()[1], fy = (int) w.dims()[2], fx = (int) w.dims()[3];
        long groups = n.i("group", 1);
        if (!"NOTSET".equals(n.s("auto_pad", "NOTSET"))) throw new Problem("auto_pad is not imported: give explicit pads");
        long[] strides = n.ints("strides", new long[] {1, 1}), dil = n.ints("dilations", new long[] {1, 1});
        long[] pads = symmetricPads(n);
        int c = x.shape()[0];
        geometry(x, new long[] {fy, fx}, strides, pads, dil);
        if (cg * groups != c) throw new Problem("weights take " + cg + " x " + groups + " channels, the input has " + c);
        StringBuilder a = new StringBuilder(", kernel=").append(pair(fy, fx));
        if (strides[0] != 1 || strides[1] != 1) a.append(", stride=").append(pair(strides[0], strides[1]));
        if (pads[0] != 0 || pads[1] != 0) a.append(", padding=").append(pair(pads[0], pads[1]));
        if (dil[0] != 1 || dil[1] != 1) a.append(", dilation=").append(pair(dil[0], dil[1]));
        if (groups != 1) a.append(", groups=").append(groups);
        Layer layer = new Layer(fresh(n.name()), "conv2d", c, k, a.toString(), !n.input(2).isEmpty(), new long[] {k, fy, fx, cg});
        if (w.values() != null) {
            layer.weight = new float[w.values().length];   // [K][C/g][FY][FX] -> [K][FY][FX][C/g]
            for (int o = 0; o < k; o++)
                for (int ci = 0; ci < cg; ci++)
                    for (int y = 0; y < fy; y++)
                        for (int z = 0; z < fx; z++)
                            layer.weight[((o * fy + y) * fx + z) * cg + ci] = w.values()[((o * cg + ci) * fy + y) * fx + z];
        }
        if (layer.bias) {
            Tensor b = weight(n.input(2), 1);
            if (b.size() != k) throw new Problem("bias of " + b.size() + " values for " + k + " output channels");
            layer.biasValues = b.values();
        }
        int h = out(x.shape()[1], fy, strides[0], pads[0], dil[0]), wd = out(x.shape()[2], fx, strides[1], pads[1], dil[1]);
        addLayer(layer);
        let(n, layer.name + "(" + x.name() + ")", new int[] {k, h, wd});
        producedByConv.put(n.outputs().get(0), layer);
    }

    /** y = (x − mean)·γ/√(var + ε) + β folded into the convolution producing x: W·s, (b − mean)·s + β. */
    private void batchNorm(Node n) throws Problem {
        Layer conv = producedByConv.get(n.input(0));
        if (conv == null || consumers.getOrDefault(n.input(0), 0) != 1) {
            throw new Problem("batch norm is imported only right after a Conv whose output it alone reads (folded into it)");
        }
        Tensor gamma = weight(n.input(1), 1), beta = weight(n.input(2), 1), mean = weight(n.input(3), 1), var = weight(n.input(4), 1);
        float eps = n.f("epsilon", 1e-5f);
        for (Tensor t : new Tensor[] {gamma, beta, mean, var}) {
            if (t.size() != conv.out) throw new Problem("batch norm of " + t.size() + " channels after a Conv of " + conv.out);
        }
        for (int k = 0; var.values() != null && k < conv.out; k++) {
            double d = var.values()[k] + (double) eps;
            if (!(d > 0)) throw new Problem("variance + epsilon of channel " + k + " is " + d + ": the scale 1/sqrt of it is not a number");
        }
        if (conv.weight != null && gamma.values() != null && beta.values() != null && mean.values() != null && var.values() != null) {
            int per = conv.weight.length / conv.out;
            float[] bias = new float[conv.out];
            for (int k = 0; k < conv.out; k++) {
                double s = gamma.values()[k] / Math.sqrt(var.values()[k] + (double) eps);
                for (int i = 0; i < per; i++) conv.weight[k * per + i] = (float) (conv.weight[k * per + i] * s);
                double b = conv.biasValues != null ? conv.biasValues[k] : 0;
                bias[k] = (float) ((b - mean.values()[k]) * s + beta.values()[k]);
            }
            conv.biasValues = bias;
        }
        conv.bias = true;
        alias(n);
    }

    private void dense(Node n) throws Problem {
        Value x = value(n.input(0));
        String arg = x.vector() ? x.name() : "flatten(" + x.name() + ")";
        int in = size(x.shape());
        Tensor b = weight(n.input(1), 2);
        boolean transposed = n.opType().equals("Gemm") && n.i("transB", 0) == 1;
        if (n.opType().equals("Gemm") && (n.i("transA", 0) != 0 || n.f("alpha", 1f) != 1f || n.f("beta", 1f) != 1f)) {
            throw new Problem("only Gemm with transA=0, alpha=1, beta=1 is imported");
        }
        int rows = (int) b.dims()[0], cols = (int) b.dims()[1];
        int out = transposed ? rows : cols;
        if ((transposed ? cols : rows) != in) throw new Problem("weights take " + (transposed ? cols : rows) + " features, the input has " + in);
        boolean hasBias = n.opType().equals("Gemm") && !n.input(2).isEmpty();
        Layer layer = new Layer(fresh(n.name()), "dense", in, out, "", hasBias, new long[] {out, in});
        if (b.values() != null) {
            layer.weight = new float[out * in];
            for (int o = 0; o < out; o++)
                for (int i = 0; i < in; i++) layer.weight[o * in + i] = transposed ? b.values()[o * in + i] : b.values()[i * out + o];
        }
        if (hasBias) {
            Tensor c = weight(n.input(2), -1);
            if (c.size() != out) throw new Problem("bias of " + c.size() + " values for " + out + " outputs");
            layer.biasValues = c.values();
        }
        addLayer(layer);
        let(n, layer.name + "(" + arg + ")", new int[] {out});
    }

    private void clip(Node n) throws Problem {
        Value x = value(n.input(0));
        Float lo = bound(n, 1, "min"), hi = bound(n, 2, "max");
        if (lo != null && lo == 0f && hi != null && hi == 6f) let(n, "relu6(" + x.name() + ")", x.shape());
        else if (lo != null && lo == 0f && hi == null) let(n, "relu(" + x.name() + ")", x.shape());
        else if (lo != null && hi != null) let(n, "clamp(" + x.name() + ", min=" + number(lo) + ", max=" + number(hi) + ")", x.shape());
        else throw new Problem("Clip needs constant bounds");
    }

    private Float bound(Node n, int input, String attribute) throws Problem {
        if (!n.input(input).isEmpty()) {
            Tensor t = constant(n.input(input));
            return t.values()[0];
        }
        Object a = n.attributes().get(attribute);   // opset < 11
        return a instanceof Float f ? f : null;
    }

    private void pool(Node n) throws Problem {
        Value x = image(n.input(0));
        long[] k = n.ints("kernel_shape", null);
        if (k == null || k.length != 2) throw new Problem("a 2-D kernel_shape is needed");
        if (n.i("ceil_mode", 0) != 0) throw new Problem("ceil_mode=1 is not imported");
        long[] dil = n.ints("dilations", new long[] {1, 1});
        if (dil[0] != 1 || dil[1] != 1) throw new Problem("dilated pooling is not imported");
        if (!"NOTSET".equals(n.s("auto_pad", "NOTSET"))) throw new Problem("auto_pad is not imported: give explicit pads");
        long[] s = n.ints("strides", new long[] {1, 1});
        long[] p = symmetricPads(n);
        geometry(x, k, s, p, dil);
        String fn = n.opType().equals("MaxPool") ? "maxpool" : "avgpool";
        StringBuilder a = new StringBuilder(fn + "(" + x.name() + ", kernel=" + pair(k[0], k[1]) + ", stride=" + pair(s[0], s[1]));
        if (p[0] != 0 || p[1] != 0) a.append(", padding=").append(pair(p[0], p[1]));
        let(n, a + ")", new int[] {x.shape()[0], out(x.shape()[1], (int) k[0], s[0], p[0], 1), out(x.shape()[2], (int) k[1], s[1], p[1], 1)});
    }

    private void arithmetic(Node n) throws Problem {
        String sign = switch (n.opType()) {
            case "Add" -> " + ";
            case "Sub" -> " - ";
            default -> " * ";
        };
        String a = n.input(0), b = n.input(1);
        if (constants.containsKey(a) && constants.containsKey(b)) throw new Problem("arithmetic on constants only is not imported");
        if (constants.containsKey(a) || constants.containsKey(b)) {
            Tensor c = constant(constants.containsKey(a) ? a : b);
            if (c.size() != 1) throw new Problem("only a single constant value is imported as an operand (a tensor of " + c.size() + " is not)");
            Value v = value(constants.containsKey(a) ? b : a);
            String expr = constants.containsKey(a) ? number(c.values()[0]) + sign + v.name() : v.name() + sign + number(c.values()[0]);
            let(n, expr, v.shape());
            return;
        }
        Value x = value(a), y = value(b);
        if (!java.util.Arrays.equals(x.shape(), y.shape())) {
            throw new Problem("broadcasting " + java.util.Arrays.toString(x.shape()) + " with " + java.util.Arrays.toString(y.shape()) + " is not imported");
        }
        let(n, x.name() + sign + y.name(), x.shape());
    }

    private void reshape(Node n) throws Problem {
        Value x = value(n.input(0));
        float[] target = constant(n.input(1)).values();
        int total = size(x.shape());
        long[] dims = new long[target.length];
        int infer = -1;
        long known = 1;
        for (int i = 0; i < dims.length; i++) {
            dims[i] = (long) target[i];
            if (dims[i] == 0) dims[i] = i == 0 ? 1 : (i - 1 < x.shape().length ? x.shape()[i - 1] : 0);
            if (dims[i] == -1) infer = i;
            else known *= dims[i];
        }
        if (infer >= 0) dims[infer] = total / Math.max(1, known);
        int[] shape = logical(dims);
        if (shape == null || size(shape) != total) throw new Problem("target shape " + java.util.Arrays.toString(target) + " is not [1, F] or [1, C, H, W] of " + total + " values");
        if (shape.length == 1) {
            if (x.vector()) alias(n);
            else let(n, "flatten(" + x.name() + ")", shape);
        } else {
            let(n, "reshape(" + x.name() + ", shape=(" + shape[0] + ", " + shape[1] + ", " + shape[2] + "))", shape);
        }
    }

    private void resize(Node n) throws Problem {
        Value x = image(n.input(0));
        if (!"nearest".equals(n.s("mode", "nearest"))) throw new Problem("only mode nearest is imported, not " + n.s("mode", ""));
        int[] s = x.shape();
        double fy, fx;
        if (!n.input(2).isEmpty() && constant(n.input(2)).size() == 4) {
            float[] scales = constant(n.input(2)).values();
            fy = scales[2];
            fx = scales[3];
        } else if (!n.input(3).isEmpty()) {
            float[] sizes = constant(n.input(3)).values();
            fy = sizes[2] / s[1];
            fx = sizes[3] / s[2];
        } else {
            throw new Problem("constant scales or sizes are needed");
        }
        if (fy != fx || fy != Math.rint(fy) || fy < 1) throw new Problem("only equal integer factors are imported, not " + fy + " x " + fx);
        int f = (int) fy;
        let(n, "upsample(" + x.name() + ", factor=" + f + ")", new int[] {s[0], s[1] * f, s[2] * f});
    }

    private Tensor concatConstants(Node n) throws Problem {
        List<Float> all = new ArrayList<>();
        for (String in : n.inputs()) for (float v : constant(in).values()) all.add(v);
        float[] v = new float[all.size()];
        for (int i = 0; i < v.length; i++) v[i] = all.get(i);
        return new Tensor(new long[] {v.length}, v);
    }

    private void alias(Node n) throws Problem {
        String in = n.input(0), out = n.outputs().get(0);
        if (constants.containsKey(in)) constants.put(out, constants.get(in));
        else values.put(out, value(in));
        if (producedByConv.containsKey(in) && n.opType().equals("BatchNormalization")) producedByConv.put(out, producedByConv.get(in));
    }

    private void let(Node n, String expression, int[] shape) {
        String name = fresh(n.outputs().get(0));
        body.add("  let " + name + " = " + expression + "      // " + java.util.Arrays.toString(shape));
        values.put(n.outputs().get(0), new Value(name, shape));
    }

    private void addLayer(Layer l) {
        layers.add(l);
        body.add(l);
    }

    private Value value(String tensor) throws Problem {
        Value v = values.get(tensor);
        if (v == null) throw new Problem(constants.containsKey(tensor) ? "operand " + tensor + " is a constant tensor, not imported there" : "operand " + tensor + " is not computed");
        return v;
    }

    private Value image(String tensor) throws Problem {
        Value v = value(tensor);
        if (v.shape().length != 3) throw new Problem("needs an image [C, H, W], got " + java.util.Arrays.toString(v.shape()));
        return v;
    }

    private Tensor constant(String tensor) throws Problem {
        Tensor t = constants.get(tensor);
        if (t == null || t.values() == null) throw new Problem(tensor + " must be a constant with values in the file");
        return t;
    }

    /** A weight: its dimensions always, its values when the file has them. */
    private Tensor weight(String tensor, int rank) throws Problem {
        Tensor t = constants.get(tensor);
        if (t == null) throw new Problem("weights " + tensor + " are not an initializer (computed weights are not imported)");
        if (rank > 0 && t.dims().length != rank) throw new Problem("weights " + tensor + " have rank " + t.dims().length + ", expected " + rank);
        float[] v = t.values();
        for (int i = 0; v != null && i < v.length; i++) {
            // a NaN or infinite weight trained or exported wrong; imported, it would poison every output and the int8 scales
            if (!Float.isFinite(v[i])) throw new Problem("weights " + tensor + " hold the non-finite value " + v[i] + " at index " + i);
        }
        return t;
    }

    private static long[] symmetricPads(Node n) throws Problem {
        long[] p = n.ints("pads", new long[] {0, 0, 0, 0});
        if (p.length == 4 && (p[0] < 0 || p[1] < 0 || p[2] < 0 || p[3] < 0)) {
            throw new Problem("pads " + java.util.Arrays.toString(p) + " must not be negative");
        }
        if (p.length != 4 || p[0] != p[2] || p[1] != p[3]) throw new Problem("asymmetric pads " + java.util.Arrays.toString(p) + " are not imported");
        return new long[] {p[0], p[1]};
    }

    /** A window's attributes checked before any size is computed from them: a stride 0 divided by zero. */
    private static void geometry(Value x, long[] kernel, long[] strides, long[] pads, long[] dilations) throws Problem {
        if (strides.length != 2 || strides[0] < 1 || strides[1] < 1) {
            throw new Problem("strides " + java.util.Arrays.toString(strides) + " must be " + (strides.length != 2 ? "two values of " : "") + "at least 1");
        }
        if (dilations.length != 2 || dilations[0] < 1 || dilations[1] < 1) {
            throw new Problem("dilations " + java.util.Arrays.toString(dilations) + " must be two values of at least 1");
        }
        if (kernel[0] < 1 || kernel[1] < 1) throw new Problem("kernel " + kernel[0] + " x " + kernel[1] + " is empty");
        if (pads[0] < 0 || pads[1] < 0) throw new Problem("pads " + java.util.Arrays.toString(new long[] {pads[0], pads[1], pads[0], pads[1]}) + " must not be negative");
        for (int d = 0; d < 2; d++) {
            if (x.shape()[d + 1] + 2 * pads[d] < dilations[d] * (kernel[d] - 1) + 1) {
                throw new Problem("the kernel " + kernel[0] + " x " + kernel[1] + " (dilation " + dilations[0] + " x " + dilations[1]
                        + ") does not fit the input " + x.shape()[1] + " x " + x.shape()[2] + " with padding " + pads[0] + " x " + pads[1]);
            }
        }
    }

    private static int out(int in, int k, long stride, long pad, long dilation) {
        return (int) ((in + 2 * pad - dilation * (k - 1) - 1) / stride + 1);
    }

    /** NCHW / NF dims with batch 1 → the logical shape; null for anything else. */
    static int[] logical(long[] dims) {
        for (long d : dims) if (d <= 0) return null;
        if (dims.length == 4 && dims[0] == 1) return new int[] {(int) dims[1], (int) dims[2], (int) dims[3]};
        if (dims.length == 2 && dims[0] == 1) return new int[] {(int) dims[1]};
        return null;
    }

    private static int size(int[] shape) {
        int n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    private static String pair(long a, long b) {
        return a == b ? Long.toString(a) : "(" + a + ", " + b + ")";
    }

    private static String number(float v) {
        return new BigDecimal(Float.toString(v)).stripTrailingZeros().toPlainString();
    }

    /** An identifier for the text: letters, digits and _, not a keyword, unique. */
    private String fresh(String onnxName) {
        String s = onnxName.replaceAll("[^A-Za-z0-9_]+", "_").replaceAll("_+", "_").replaceAll("^_|_$", "");
        if (s.endsWith("_output_0")) s = s.substring(0, s.length() - "_output_0".length());
        if (s.isEmpty() || !Character.isLetter(s.charAt(0))) s = "t" + s;
        if (RESERVED.contains(s)) s = s + "_";
        String name = s;
        for (int i = 2; !names.add(name); i++) name = s + "_" + i;
        return name;
    }
}
