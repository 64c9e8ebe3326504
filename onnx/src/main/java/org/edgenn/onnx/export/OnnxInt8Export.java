package org.edgenn.onnx.export;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.edgenn.runtime.kernels.Add;
import org.edgenn.runtime.kernels.Conv2d;
import org.edgenn.runtime.kernels.Conv2dSpec;
import org.edgenn.runtime.kernels.Movement;
import org.edgenn.runtime.kernels.Pool2d;
import org.edgenn.runtime.net.Int8Layer;
import org.edgenn.runtime.net.Int8Network;
import org.edgenn.onnx.proto.OnnxModels;
import org.edgenn.runtime.quant.QuantParams;

/**
 * The int8 network a generated class runs, as an ONNX model (QDQ / QLinear ops) for ONNX Runtime and other ONNX
 * tools: the same weights, zero points and scales ({@code edgenn export-onnx}, the benchmark's peer). Built from the network's {@link Int8Network#layers()}
 * (the prepared ops that actually ran), not from the IR, so the two sides cannot drift apart.
 *
 * <p>Conventions:
 * <ul>
 *   <li>Activations are uint8 with zero point {@code zp + 128} (the same real values as EdgeNN's int8; ONNX
 *       Runtime's fast u8×s8 kernels), weights int8 per output channel, biases int32.</li>
 *   <li>Every tensor is 4-D NCHW; a vector of F features is {@code [1, F, 1, 1]}, so dense layers are 1×1
 *       {@code QLinearConv}s and flatten is a {@code Reshape} (EdgeNN flattens channel-first, like NCHW).</li>
 *   <li>Arithmetic follows ONNX Runtime's own int8 ops where ONNX has them ({@code QLinearConv}; {@code Add},
 *       {@code Sub} and average pooling as DequantizeLinear → op → QuantizeLinear, which ONNX Runtime fuses
 *       where it can): they requantize in float, so results may differ from EdgeNN's fixed-point
 *       requantization by one unit per layer. Soft threshold, clamps, max pooling, tables and data
 *       movement have no rounding and are exported in the integer domain, exactly.</li>
 *   <li>16-bit activations (an int16 state) are ONNX int16 tensors with their own zero points (no offset); the layers
 *       that read or write them go through {@code DequantizeLinear} / float op / {@code QuantizeLinear} (int16 Q/DQ:
 *       opset 21), the soft threshold in int32 as for int8.</li>
 *   <li>Batch 1 only (latency is measured per sample).</li>
 * </ul>
 */
public final class OnnxInt8Export {
    /** A prepared layer the exporter has no ONNX form for. */
    public static final class UnsupportedLayerException extends IllegalArgumentException {
        public UnsupportedLayerException(String message) {
            super(message);
        }
    }

    /** Prefix of the per-layer graph outputs. */
    public static final String LAYER_OUTPUT = "layer:";
    private final OnnxModels.Graph graph;
    private final Map<byte[], Tensor> tensors = new IdentityHashMap<>();
    /** Declared weight widths by layer name; layers absent are int8. */
    private final Map<String, Integer> weightBits;
    private int counter;
    /** Width of the network input. */
    private int inputBits = 8;

    private record Tensor(String name, long[] nchw, int bits) {
        Tensor(String name, long[] nchw) {
            this(name, nchw, 8);
        }

        long channels() { return nchw[1]; }
    }

    /** The ONNX element type of an activation of {@code bits}: uint8 (EdgeNN's int8 + 128) or int16. */
    static int type(int bits) {
        return bits > 8 ? OnnxModels.INT16 : OnnxModels.UINT8;
    }

    private OnnxInt8Export(String name, Map<String, Integer> weightBits) {
        this.graph = new OnnxModels.Graph(name);
        this.weightBits = weightBits;
    }

    /**
     * The model of a loaded network; {@code inputShape} is the network's logical input shape ({@code [C, H, W]}
     * or {@code [F]}). The network must have run once: its input buffer is recognised as the one unproduced
     * buffer holding the last run's input, every other unproduced buffer (a zero state, for example) becomes
     * a constant.
     */
    public static byte[] export(Int8Network net, int[] inputShape, byte[] lastInput) {
        return export(net, inputShape, lastInput, false);
    }

    /**
     * As {@link #export(Int8Network, int[], byte[])}; with {@code everyLayer} each layer's output is also a graph
     * output named {@code layer:<name>} (for layer-by-layer comparisons).
     */
    public static byte[] export(Int8Network net, int[] inputShape, byte[] lastInput, boolean everyLayer) {
        return export(net, inputShape, lastInput, everyLayer, Map.of());
    }

    /**
     * As {@link #export(Int8Network, int[], byte[], boolean)}, with the declared weight width of layers whose weights
     * are narrower than 8 bits ({@code weightBits}: layer name → 2 or 4): those export as int4 initializers (ONNX has
     * no int2; int2 values are int4 values) through {@code DequantizeLinear} (opset 21), a float {@code Conv} and
     * {@code QuantizeLinear}.
     */
    public static byte[] export(Int8Network net, int[] inputShape, byte[] lastInput, boolean everyLayer,
                                Map<String, Integer> weightBits) {
        if (net.batch() != 1) throw new IllegalArgumentException("export a network loaded with batch 1, got " + net.batch());
        OnnxInt8Export e = new OnnxInt8Export(net.name(), weightBits);
        long[] in = nchw(inputShape);
        e.inputBits = net.inputQuant().bits();
        boolean wide = e.inputBits > 8 || net.layers().stream().anyMatch(l -> l.outputBits() > 8);
        if (wide) e.graph.defaultOpset(21, 10);   // int16 QuantizeLinear / DequantizeLinear
        e.graph.input("input", type(e.inputBits), in);
        Tensor last = null;
        for (Int8Layer layer : net.layers()) {
            last = layer.accept(e.new LayerExport(lastInput, in));
            e.tensors.put(layer.output(), last);
            if (everyLayer) {
                e.graph.node("Identity", new String[] {last.name()}, new String[] {LAYER_OUTPUT + layer.name()});
                e.graph.output(LAYER_OUTPUT + layer.name(), type(last.bits()), last.nchw());
            }
        }
        if (last == null) throw new IllegalArgumentException("network " + net.name() + " has no layers");
        e.graph.node("Identity", new String[] {last.name()}, new String[] {"output"});
        e.graph.output("output", type(last.bits()), last.nchw());
        return e.graph.toModelBytes();
    }

    /** Logical shape → NCHW with batch 1. */
    public static long[] nchw(int[] shape) {
        return Nchw.shape(shape);
    }

    /** An operand not produced by a layer: the network input, or a constant buffer (a state's initial zeros). */
    private void bind(byte[] buffer, byte[] lastInput, long[] inputShape, long[] shape) {
        if (tensors.containsKey(buffer)) return;
        if (java.util.Arrays.equals(buffer, lastInput)) {
            tensors.put(buffer, new Tensor("input", inputShape, inputBits));
            return;
        }
        String name = fresh("const");
        if (buffer.length == 2 * shape[1] * shape[2] * shape[3]) {   // a 16-bit constant (two bytes per value)
            if (shape[2] * shape[3] > 1) throw new UnsupportedLayerException("no ONNX export for a 16-bit constant image");
            graph.initializer(name, OnnxModels.INT16, buffer, shape);
            tensors.put(buffer, new Tensor(name, shape, 16));
            return;
        }
        byte[] nchw = shape[2] * shape[3] > 1 ? Nchw.fromNhwc(buffer, new int[] {(int) shape[1], (int) shape[2], (int) shape[3]}) : buffer;
        graph.initializer(name, OnnxModels.UINT8, Nchw.toU8(nchw), shape);
        tensors.put(buffer, new Tensor(name, shape));
    }

    /**
     * One layer as ONNX nodes, chosen by the layer's own {@link Int8Layer.Visitor} method: a new kind of layer does
     * not compile until it says how it exports. Operands no layer produced are bound first (the input, constants).
     */
    private final class LayerExport implements Int8Layer.Visitor<Tensor> {
        private final byte[] lastInput;
        private final long[] inputShape;

        LayerExport(byte[] lastInput, long[] inputShape) {
            this.lastInput = lastInput;
            this.inputShape = inputShape;
        }

        /** Binds the unproduced operands of {@code layer}; {@code geometry} is the NCHW shape it reads them as, if known. */
        private void operands(Int8Layer layer, long[] geometry) {
            for (byte[] b : layer.inputs()) bind(b, lastInput, inputShape, geometry != null ? geometry : operandShape(layer, b));
        }

        @Override
        public Tensor mac(Int8Layer.Mac m) {
            Conv2dSpec s = m.op().spec();
            operands(m, new long[] {1, s.c(), s.h(), s.w()});   // a dense layer (batch 1) is a 1×1 image
            return OnnxInt8Export.this.mac(m);
        }

        @Override
        public Tensor sum(Int8Layer.Sum s) {
            operands(s, null);
            return OnnxInt8Export.this.sum(s);
        }

        @Override
        public Tensor shrink(Int8Layer.Shrink s) {
            operands(s, null);
            return OnnxInt8Export.this.shrink(s);
        }

        @Override
        public Tensor select(Int8Layer.Select s) {
            throw new UnsupportedLayerException("no ONNX export for layer " + s.name()
                    + ": support selection (top-p magnitudes per sample) has no ONNX operator here");
        }

        @Override
        public Tensor clamp(Int8Layer.Clamp c) {
            operands(c, null);
            return clip(c.name(), in(c.input()), c.lo(), c.hi());
        }

        @Override
        public Tensor pool(Int8Layer.Pool p) {
            operands(p, null);
            return OnnxInt8Export.this.pool(p);
        }

        @Override
        public Tensor table(Int8Layer.Table t) {
            if (t.outputBits() != 8) {
                throw new UnsupportedLayerException("no ONNX export for layer " + t.name() + ": a table into 16-bit values is exported "
                        + "for 8-bit outputs only");
            }
            operands(t, null);
            return OnnxInt8Export.this.table(t);
        }

        @Override
        public Tensor move(Int8Layer.Move m) {
            operands(m, null);
            return OnnxInt8Export.this.move(m);
        }
    }

    /** The NCHW shape an element-wise or data-movement layer reads {@code operand} as: its other operand's shape. */
    private long[] operandShape(Int8Layer layer, byte[] operand) {
        for (byte[] other : layer.inputs()) {
            if (other != operand && tensors.containsKey(other)) return tensors.get(other).nchw();
        }
        return new long[] {1, operand.length, 1, 1};
    }

    private Tensor in(byte[] buffer) {
        Tensor t = tensors.get(buffer);
        if (t == null) throw new IllegalStateException("operand of no known tensor");
        return t;
    }

    private Tensor mac(Int8Layer.Mac m) {
        Conv2d conv = m.op();
        Conv2dSpec s = conv.spec();
        Tensor x = in(m.input());
        // a dense layer at batch 1 is a 1×1 convolution of a feature vector [1, F, 1, 1]
        String p = m.name();
        int cg = s.inC();
        byte[] w = new byte[s.weightSize()];
        byte[] kernel = conv.weights();   // [K][FY][FX][C/g] -> ONNX [K][C/g][FY][FX]
        for (int k = 0; k < s.k(); k++)
            for (int fy = 0; fy < s.fy(); fy++)
                for (int fx = 0; fx < s.fx(); fx++)
                    for (int c = 0; c < cg; c++) {
                        w[((k * cg + c) * s.fy() + fy) * s.fx() + fx] = kernel[((k * s.fy() + fy) * s.fx() + fx) * cg + c];
                    }
        int bits = weightBits.getOrDefault(m.name(), 8);
        if (bits < 8 || conv.quant().wide()) {
            return floatMac(m, x, w, bits < 8);
        }
        graph.initializer(p + ".w", OnnxModels.INT8, w, s.k(), cg, s.fy(), s.fx());
        graph.floats(p + ".w_scale", conv.quant().weights().toArray(), s.k());
        graph.initializer(p + ".w_zero_point", OnnxModels.INT8, new byte[s.k()], s.k());
        graph.ints(p + ".bias", conv.bias(), s.k());
        quantParams(p + ".x", conv.quant().in());
        quantParams(p + ".y", conv.quant().out());
        long[] out = {1, s.k(), s.outH(), s.outW()};
        String y = fresh(p);
        graph.node("QLinearConv", new String[] {x.name(), p + ".x_scale", p + ".x_zero_point", p + ".w", p + ".w_scale",
                        p + ".w_zero_point", p + ".y_scale", p + ".y_zero_point", p + ".bias"}, new String[] {y},
                "kernel_shape", new long[] {s.fy(), s.fx()}, "strides", new long[] {s.strideY(), s.strideX()},
                "dilations", new long[] {s.dilationY(), s.dilationX()}, "group", (long) s.groups(),
                "pads", new long[] {s.padTop(), s.padLeft(), s.padBottom(), s.padRight()});
        Tensor t = new Tensor(y, out);
        int lo = conv.quant().actMin(), hi = conv.quant().actMax();
        return lo > -128 || hi < 127 ? clip(m.name() + ".act", t, lo, hi) : t;
    }

    /**
     * A MAC layer with sub-byte weights or a 16-bit input or output: int4 weights (packed low nibble first, ONNX's and
     * the artifact's order; int8 ones as they are) and zero points, {@code DequantizeLinear} per output channel (axis 0),
     * the input dequantized, a float {@code Conv} with the real bias {@code b·s_in·s_w[k]}, {@code QuantizeLinear} to
     * the output; float requantization, hence within one unit of the fixed-point kernels like the int8 layers.
     */
    private Tensor floatMac(Int8Layer.Mac m, Tensor x, byte[] onnxWeights, boolean subByte) {
        Conv2d conv = m.op();
        Conv2dSpec s = conv.spec();
        String p = m.name();
        graph.defaultOpset(21, 10);
        if (subByte) {
            graph.initializer(p + ".w", OnnxModels.INT4, org.edgenn.runtime.artifact.SubByte.pack(onnxWeights, 4), s.k(), s.inC(), s.fy(), s.fx());
            graph.initializer(p + ".w_zero_point", OnnxModels.INT4, new byte[(s.k() + 1) / 2], s.k());
        } else {
            graph.initializer(p + ".w", OnnxModels.INT8, onnxWeights, s.k(), s.inC(), s.fy(), s.fx());
            graph.initializer(p + ".w_zero_point", OnnxModels.INT8, new byte[s.k()], s.k());
        }
        float[] ws = conv.quant().weights().toArray();
        graph.floats(p + ".w_scale", ws, s.k());
        String wf = fresh(p + ".wf");
        graph.node("DequantizeLinear", new String[] {p + ".w", p + ".w_scale", p + ".w_zero_point"}, new String[] {wf},
                "axis", 0L);
        String xf = dequantize(p + ".x", x, conv.quant().in());
        float[] bias = new float[s.k()];
        int[] bq = conv.bias();
        for (int k = 0; k < s.k(); k++) bias[k] = (float) ((double) bq[k] * conv.quant().in().scale() * ws[k]);
        graph.floats(p + ".bias_f", bias, s.k());
        String yf = fresh(p + ".yf");
        graph.node("Conv", new String[] {xf, wf, p + ".bias_f"}, new String[] {yf},
                "kernel_shape", new long[] {s.fy(), s.fx()}, "strides", new long[] {s.strideY(), s.strideX()},
                "dilations", new long[] {s.dilationY(), s.dilationX()}, "group", (long) s.groups(),
                "pads", new long[] {s.padTop(), s.padLeft(), s.padBottom(), s.padRight()});
        QuantParams q = conv.quant().out();
        Tensor t = new Tensor(quantize(p, yf, q), new long[] {1, s.k(), s.outH(), s.outW()}, q.bits());
        int lo = conv.quant().actMin(), hi = conv.quant().actMax();
        return lo > QuantParams.min(q.bits()) || hi < QuantParams.max(q.bits()) ? clip(m.name() + ".act", t, lo, hi) : t;
    }

    /** Add or subtract: DequantizeLinear both, the float op, QuantizeLinear; then the fused clamp. */
    private Tensor sum(Int8Layer.Sum s) {
        Add op = s.op();
        Tensor a = in(s.a()), b = in(s.b());
        String p = s.name();
        String da = dequantize(p + ".a", a, op.a()), db = dequantize(p + ".b", b, op.b());
        String r = fresh(p + ".f");
        graph.node(op.isSubtraction() ? "Sub" : "Add", new String[] {da, db}, new String[] {r});
        int bits = op.out().bits();
        Tensor t = new Tensor(quantize(p, r, op.out()), a.nchw(), bits);
        return op.actMin() > QuantParams.min(bits) || op.actMax() < QuantParams.max(bits) ? clip(s.name() + ".act", t, op.actMin(), op.actMax()) : t;
    }

    /** {@code zp + sign(d)·max(|d| − θ[c], 0)} with {@code d = x − zp}, in int32: exact. */
    private Tensor shrink(Int8Layer.Shrink s) {
        Tensor x = in(s.input());
        String p = s.name();
        int bits = s.op().bits();
        int zp = s.op().zeroPoint() + (bits > 8 ? 0 : 128);   // uint8 holds int8 + 128; int16 is itself
        int[] theta = new int[s.op().channels()];
        for (int i = 0; i < theta.length; i++) theta[i] = s.op().threshold(i);
        graph.ints(p + ".zp", new int[] {zp}, 1);
        graph.ints(p + ".theta", theta, 1, theta.length, 1, 1);
        graph.ints(p + ".zero", new int[] {0}, 1);
        String xi = fresh(p + ".i"), d = fresh(p + ".d"), abs = fresh(p + ".abs"), minus = fresh(p + ".minus"),
                mag = fresh(p + ".mag"), sign = fresh(p + ".sign"), signed = fresh(p + ".signed"), shifted = fresh(p + ".shifted"),
                y = fresh(p);
        graph.node("Cast", new String[] {x.name()}, new String[] {xi}, "to", (long) OnnxModels.INT32);
        graph.node("Sub", new String[] {xi, p + ".zp"}, new String[] {d});
        graph.node("Abs", new String[] {d}, new String[] {abs});
        graph.node("Sub", new String[] {abs, p + ".theta"}, new String[] {minus});
        graph.node("Max", new String[] {minus, p + ".zero"}, new String[] {mag});
        graph.node("Sign", new String[] {d}, new String[] {sign});
        graph.node("Mul", new String[] {sign, mag}, new String[] {signed});
        graph.node("Add", new String[] {signed, p + ".zp"}, new String[] {shifted});
        graph.node("Cast", new String[] {shifted}, new String[] {y}, "to", (long) type(bits));
        return new Tensor(y, x.nchw(), bits);
    }

    private Tensor clip(String name, Tensor x, int lo, int hi) {
        String p = name;
        graph.initializer(p + ".lo", type(x.bits()), value(lo, x.bits()));
        graph.initializer(p + ".hi", type(x.bits()), value(hi, x.bits()));
        String y = fresh(p);
        graph.node("Clip", new String[] {x.name(), p + ".lo", p + ".hi"}, new String[] {y});
        return new Tensor(y, x.nchw(), x.bits());
    }

    /** One activation value as ONNX stores it: uint8 {@code v + 128}, or int16 little-endian. */
    private static byte[] value(int v, int bits) {
        return bits > 8 ? new byte[] {(byte) v, (byte) (v >> 8)} : new byte[] {(byte) (v + 128)};
    }

    private Tensor pool(Int8Layer.Pool p) {
        Pool2d op = p.op();
        Tensor x = in(p.input());
        String n = p.name();
        int padBottom = Math.max(0, (op.outH() - 1) * op.strideY() + op.fy() - op.h() - op.padTop());
        int padRight = Math.max(0, (op.outW() - 1) * op.strideX() + op.fx() - op.w() - op.padLeft());
        Object[] attrs = {"kernel_shape", new long[] {op.fy(), op.fx()}, "strides", new long[] {op.strideY(), op.strideX()},
                "pads", new long[] {op.padTop(), op.padLeft(), padBottom, padRight}};
        long[] out = {1, x.channels(), op.outH(), op.outW()};
        String y = fresh(n);
        if (op.kind() == Pool2d.Kind.MAX) {
            graph.node("MaxPool", new String[] {x.name()}, new String[] {y}, attrs);
            return new Tensor(y, out);
        }
        // the average of int8 values keeps the input's quantization: any scale gives the same rounding point
        QuantParams unit = new QuantParams(1f, 0);
        String f = dequantize(n + ".x", x, unit), avg = fresh(n + ".f");
        Object[] avgAttrs = java.util.Arrays.copyOf(attrs, attrs.length + 2);
        avgAttrs[attrs.length] = "count_include_pad";
        avgAttrs[attrs.length + 1] = 0L;
        graph.node("AveragePool", new String[] {f}, new String[] {avg}, avgAttrs);
        return new Tensor(quantize(n, avg, unit), out);
    }

    /** A 256-entry table as Gather over the uint8 value as index (uint8 value = int8 value + 128 = table index). */
    private Tensor table(Int8Layer.Table t) {
        Tensor x = in(t.input());
        String p = t.name();
        graph.initializer(p + ".table", OnnxModels.UINT8, Nchw.toU8(t.table()), t.table().length);
        String idx = fresh(p + ".index"), y = fresh(p);
        graph.node("Cast", new String[] {x.name()}, new String[] {idx}, "to", (long) OnnxModels.INT32);
        graph.node("Gather", new String[] {p + ".table", idx}, new String[] {y}, "axis", 0L);
        return new Tensor(y, x.nchw());
    }

    private Tensor move(Int8Layer.Move m) {
        Movement op = m.op();
        int[] g = op.geometry();
        String p = m.name();
        String y = fresh(p);
        switch (op.kind()) {
            case RESHAPE: {
                long[] to = nchw(g);
                ByteBuffer b = ByteBuffer.allocate(8 * to.length).order(ByteOrder.LITTLE_ENDIAN);
                for (long d : to) b.putLong(d);
                graph.initializer(p + ".shape", OnnxModels.INT64, b.array(), to.length);
                graph.node("Reshape", new String[] {in(m.inputs().get(0)).name(), p + ".shape"}, new String[] {y});
                return new Tensor(y, to);
            }
            case CONCAT: {
                List<byte[]> ins = m.inputs();
                String[] names = new String[ins.size()];
                long channels = 0;
                for (int i = 0; i < names.length; i++) {
                    names[i] = in(ins.get(i)).name();
                    channels += in(ins.get(i)).channels();
                }
                long[] first = in(ins.get(0)).nchw();
                graph.node("Concat", names, new String[] {y}, "axis", 1L);
                return new Tensor(y, new long[] {1, channels, first[2], first[3]});
            }
            case PIXEL_SHUFFLE: {
                int c = g[0], h = g[1], w = g[2], r = g[3];
                graph.node("DepthToSpace", new String[] {in(m.inputs().get(0)).name()}, new String[] {y}, "blocksize", (long) r, "mode", "CRD");
                return new Tensor(y, new long[] {1, c, (long) h * r, (long) w * r});
            }
            case UPSAMPLE_NEAREST: {
                int c = g[0], h = g[1], w = g[2], f = g[3];
                graph.floats(p + ".scales", new float[] {1, 1, f, f}, 4);
                graph.node("Resize", new String[] {in(m.inputs().get(0)).name(), "", p + ".scales"}, new String[] {y},
                        "mode", "nearest", "coordinate_transformation_mode", "asymmetric", "nearest_mode", "floor");
                return new Tensor(y, new long[] {1, c, (long) h * f, (long) w * f});
            }
            case PAD_EDGE: {
                // replicate the border: ONNX Pad, mode edge, pads [n, c, top, left, n, c, bottom, right]
                int c = g[0], h = g[1], w = g[2], pad = g[3];
                long[] pads = {0, 0, pad, pad, 0, 0, pad, pad};
                ByteBuffer b = ByteBuffer.allocate(8 * pads.length).order(ByteOrder.LITTLE_ENDIAN);
                for (long d : pads) b.putLong(d);
                graph.initializer(p + ".pads", OnnxModels.INT64, b.array(), pads.length);
                graph.node("Pad", new String[] {in(m.inputs().get(0)).name(), p + ".pads"}, new String[] {y}, "mode", "edge");
                return new Tensor(y, new long[] {1, c, h + 2L * pad, w + 2L * pad});
            }
            default:
                throw new UnsupportedLayerException("no ONNX export for movement " + op.kind() + " (layer " + m.name() + ")");
        }
    }

    private void quantParams(String prefix, QuantParams q) {
        graph.floats(prefix + "_scale", new float[] {q.scale()});
        graph.initializer(prefix + "_zero_point", type(q.bits()), value(q.zeroPoint(), q.bits()));
    }

    private String dequantize(String prefix, Tensor x, QuantParams q) {
        quantParams(prefix, q);
        String y = fresh(prefix + ".f");
        graph.node("DequantizeLinear", new String[] {x.name(), prefix + "_scale", prefix + "_zero_point"}, new String[] {y});
        return y;
    }

    private String quantize(String prefix, String x, QuantParams q) {
        quantParams(prefix + ".y", q);
        String y = fresh(prefix);
        graph.node("QuantizeLinear", new String[] {x, prefix + ".y_scale", prefix + ".y_zero_point"}, new String[] {y});
        return y;
    }

    /** A new tensor name; IR names ({@code S[3]}, {@code x[0].add}) are kept as prefixes for a readable graph. */
    private String fresh(String base) {
        return base + "#" + counter++;
    }
}
