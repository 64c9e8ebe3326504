package org.edgenn.generator.verify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.edgenn.generator.mapping.DslAccelerators;
import org.edgenn.generator.mapping.schedule.WorkloadGraph;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.runtime.cost.Workload;
import org.edgenn.runtime.kernels.Add;
import org.edgenn.runtime.kernels.Backend;
import org.edgenn.runtime.kernels.Conv2d;
import org.edgenn.runtime.kernels.Conv2dSpec;
import org.edgenn.runtime.kernels.LayerQuant;
import org.edgenn.runtime.kernels.Pool2d;
import org.edgenn.runtime.net.Int8Layer;
import org.edgenn.runtime.quant.ChannelScales;
import org.edgenn.runtime.quant.QuantParams;
import org.edgenn.runtime.quant.RequantMode;

/**
 * Random small chains of int8 layers for the depth-first execution tests: convolutions (strided, padded or not),
 * depthwise convolutions and max/average pooling, with ReLUs (clamps) after some and a residual add at the end (of
 * the chain's input, from outside a stack, or of an intermediate, from inside), run by the scalar kernels (the
 * reference: each layer records its input and output), with the chain's workload graph; and random small accelerators.
 */
final class RandomInt8Chains {
    private RandomInt8Chains() {
    }

    /** The chain's workload graph and its generated layers after the scalar run, by name. */
    record Chain(WorkloadGraph graph, Map<String, Int8Layer> layers) {
    }

    /** Per-PE registers, a shared buffer of random size and bandwidth, DRAM; two array axes of random dimensions. */
    static AcceleratorSpec accelerator(Random r, int index) {
        String[] dims = {"K", "C", "OX", "OY"};
        String rows = dims[r.nextInt(dims.length)];
        String cols = dims[r.nextInt(dims.length)];
        if (cols.equals(rows)) {
            cols = rows.equals("K") ? "OX" : "K";
        }
        return DslAccelerators.randomSmall(r, index, rows, cols);
    }

    /** A chain of {@code depth} spatial layers on a small plane. */
    static Chain chain(Random r, int depth) {
        Builder b = new Builder(r);
        int c0 = b.channels;
        int h0 = b.h;
        int w0 = b.w;
        List<String> sameShape = new ArrayList<>(List.of("x"));
        for (int i = 0; i < depth; i++) {
            int kind = i > 0 && r.nextInt(4) == 0 ? 2 : r.nextInt(4) == 0 ? 1 : 0;
            if (!b.spatial("c" + i, kind)) {
                break;
            }
            if (r.nextBoolean()) {
                b.relu("r" + i);
            }
            if (i < depth - 1 && b.channels == c0 && b.h == h0 && b.w == w0) {
                sameShape.add(b.in);
            }
        }
        if (r.nextBoolean() && b.channels == c0 && b.h == h0 && b.w == w0) {
            String skip = sameShape.get(r.nextInt(sameShape.size()));
            if (!skip.equals(b.in)) {
                b.add("add", skip);
            }
        }
        WorkloadGraph.Tensor last = b.tensors.get(b.in);
        b.tensors.put(b.in, new WorkloadGraph.Tensor(b.in, last.origin(), last.elements(), last.bits(), false, true));
        return new Chain(new WorkloadGraph(b.layers, b.tensors), b.int8);
    }

    /** Builds the chain layer by layer, running each on the scalar kernels as it goes. */
    private static final class Builder {
        final Random r;
        final int n = 1;
        int channels;
        int h;
        int w;
        String in = "x";
        final List<WorkloadGraph.Layer> layers = new ArrayList<>();
        final Map<String, WorkloadGraph.Tensor> tensors = new LinkedHashMap<>();
        final Map<String, Int8Layer> int8 = new LinkedHashMap<>();
        final Map<String, byte[]> values = new LinkedHashMap<>();
        final Map<String, QuantParams> quant = new LinkedHashMap<>();

        Builder(Random r) {
            this.r = r;
            channels = 1 + r.nextInt(3);
            h = 5 + r.nextInt(6);
            w = 5 + r.nextInt(6);
            tensors.put("x", new WorkloadGraph.Tensor("x", WorkloadGraph.Origin.BACKING_STORE, (long) n * channels * h * w, 8,
                    false, false));
            byte[] x = new byte[n * channels * h * w];
            r.nextBytes(x);
            values.put("x", x);
            quant.put("x", new QuantParams(0.05f, r.nextInt(21) - 10));
        }

        /** A convolution (0), depthwise convolution (1) or pooling (2); false when the plane is too small for it. */
        boolean spatial(String name, int kind) {
            boolean pool = kind == 2;
            int f = pool ? 2 : r.nextBoolean() ? 3 : 1 + 2 * r.nextInt(2);
            int s = pool ? 2 : r.nextInt(4) == 0 ? 2 : 1;
            int p = pool || r.nextBoolean() ? 0 : (f - 1) / 2;
            int oy = (h + 2 * p - f) / s + 1;
            int ox = (w + 2 * p - f) / s + 1;
            if (oy < 1 || ox < 1 || h + 2 * p < f || w + 2 * p < f) {
                return false;
            }
            byte[] input = values.get(in);
            String out = "t" + name;
            byte[] output;
            Workload wl;
            Int8Layer layer;
            int k;
            if (pool) {
                boolean max = r.nextBoolean();
                Pool2d op = Pool2d.prepare(max ? Pool2d.Kind.MAX : Pool2d.Kind.AVG, n, h, w, channels, f, f, s, s, p);
                output = new byte[op.outputSize()];
                op.run(input, output);
                k = channels;
                wl = Workload.pool(name, n, channels, oy, ox, f, f, s, p, max, 8, 32);
                layer = new Int8Layer.Pool(name, "", op, input, output);
                quant.put(out, quant.get(in));
            } else {
                boolean depthwise = kind == 1;
                k = depthwise ? channels : 1 + r.nextInt(4);
                int groups = depthwise ? channels : 1;
                Conv2dSpec spec = new Conv2dSpec(n, h, w, channels, k, f, f, s, s, p, p, p, p, 1, 1, groups);
                byte[] weights = new byte[spec.weightSize()];
                for (int i = 0; i < weights.length; i++) {
                    weights[i] = (byte) (r.nextInt(255) - 127);
                }
                int[] bias = new int[k];
                for (int i = 0; i < k; i++) {
                    bias[i] = r.nextInt(4001) - 2000;
                }
                float[] scales = new float[k];
                for (int i = 0; i < k; i++) {
                    scales[i] = 0.002f + r.nextFloat() * 0.02f;
                }
                QuantParams qout = new QuantParams(0.5f + r.nextFloat(), r.nextInt(11) - 5);
                Conv2d op = Conv2d.prepare(spec, weights, bias, LayerQuant.of(quant.get(in), ChannelScales.perChannel(scales),
                        qout, RequantMode.DOUBLE_ROUNDING), Backend.SCALAR);
                output = new byte[spec.outputSize()];
                op.run(input, output);
                wl = depthwise ? Workload.depthwise(name, n, channels, oy, ox, f, f, s, p, Workload.Precision.int8(32))
                        : Workload.conv(name, n, k, channels, oy, ox, f, f, s, p, Workload.Precision.int8(32));
                layer = new Int8Layer.Mac(name, "", op, input, output);
                String weight = "weight:" + name;
                tensors.put(weight, new WorkloadGraph.Tensor(weight, WorkloadGraph.Origin.BACKING_STORE, weights.length, 8,
                        true, false));
                quant.put(out, qout);
            }
            tensors.put(out, new WorkloadGraph.Tensor(out, WorkloadGraph.Origin.PRODUCED, (long) n * k * oy * ox, 8, false, false));
            layers.add(new WorkloadGraph.Layer(wl, List.of(in), pool ? List.of() : List.of("weight:" + name), out));
            int8.put(name, layer);
            values.put(out, output);
            in = out;
            channels = k;
            h = oy;
            w = ox;
            return true;
        }

        /** A ReLU: a clamp at the zero point. */
        void relu(String name) {
            byte[] input = values.get(in);
            int lo = quant.get(in).zeroPoint();
            byte[] output = new byte[input.length];
            for (int i = 0; i < input.length; i++) {
                output[i] = (byte) Math.max(lo, input[i]);
            }
            element(name, new Int8Layer.Clamp(name, "", lo, 127, input, output), List.of(in), output);
        }

        /** A residual add of the flowing value and {@code skip}. */
        void add(String name, String skip) {
            byte[] a = values.get(in);
            byte[] b = values.get(skip);
            QuantParams qo = new QuantParams(0.3f + r.nextFloat(), r.nextInt(11) - 5);
            Add op = Add.prepare(quant.get(in), quant.get(skip), qo, RequantMode.DOUBLE_ROUNDING, -128, 127, Backend.SCALAR);
            byte[] output = new byte[a.length];
            op.run(a, b, output);
            element(name, new Int8Layer.Sum(name, "", op, a, b, output), List.of(in, skip), output);
            quant.put("t" + name, qo);
        }

        private void element(String name, Int8Layer layer, List<String> inputs, byte[] output) {
            String out = "t" + name;
            tensors.put(out, new WorkloadGraph.Tensor(out, WorkloadGraph.Origin.PRODUCED, (long) n * channels * h * w, 8, false, false));
            layers.add(new WorkloadGraph.Layer(Workload.elementwise(name, n, channels, h, w, 8), inputs, List.of(), out));
            int8.put(name, layer);
            values.put(out, output);
            quant.putIfAbsent(out, quant.get(in));
            in = out;
        }
    }
}
