package org.edgenn.runtime.hw;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.edgenn.runtime.kernels.Backend;
import org.edgenn.runtime.net.Int8Layer;
import org.edgenn.runtime.net.Int8Network;
import org.edgenn.runtime.tensor.ActivationBytes;

/**
 * Checks a run of an {@link Int8Network} against the accelerator's {@link FunctionalModel}, bit for bit.
 *
 * <ul>
 *   <li>Per layer: the model re-executes the layer from the inputs the network recorded and its output
 *       must equal the network's; data movement ({@link Int8Layer.Move}) is re-run with the scalar reference.</li>
 *   <li>The chain: the model alone, fed only what no layer computes (the network input and constant
 *       buffers such as a zero initial state), runs layer after layer on its own results; its last
 *       layer must equal the network's last layer (the output).</li>
 * </ul>
 * A mismatch names the layer, its {@code file:line}, the first differing index and both values.
 */
public final class LayerCheck {
    private LayerCheck() {}

    /** Outcome for one layer (or for the chain): {@code firstDifference < 0} when equal. */
    public record Result(String layer, String source, int elements, int firstDifference, int model, int network) {
        public boolean ok() {
            return firstDifference < 0;
        }

        /** {@code S[3] (lista.edgenn:19): 500 elements equal} or the first difference. */
        public String message() {
            String where = layer + (source == null || source.isEmpty() ? "" : " (" + source + ")");
            return ok() ? where + ": " + elements + " elements equal"
                    : where + ": first difference at [" + firstDifference + "]: hardware model " + model + ", network " + network;
        }
    }

    /** Per-layer results in execution order, and the chain's result. */
    public record Report(List<Result> layers, Result chain) {
        public Report {
            layers = List.copyOf(layers);
        }

        public boolean ok() {
            return chain.ok() && layers.stream().allMatch(Result::ok);
        }

        /** The first failing result, or null. */
        public Result firstFailure() {
            for (Result r : layers) if (!r.ok()) return r;
            return chain.ok() ? null : chain;
        }
    }

    /** Checks every layer of {@code net} after a run, and the whole chain. */
    public static Report check(Int8Network net, FunctionalModel model) {
        List<Int8Layer> layers = net.layers();
        if (layers.isEmpty()) throw new IllegalArgumentException("network " + net.name() + " has no layers");
        List<Result> results = new ArrayList<>();
        for (Int8Layer l : layers) {
            byte[] expected = new byte[l.output().length];
            execute(l, l.inputs(), expected, model);
            results.add(compare(l.name(), l.source(), expected, l.output(), l.outputBits()));
        }
        Map<byte[], byte[]> modelBuffers = new IdentityHashMap<>();
        byte[] last = null;
        for (Int8Layer l : layers) {
            List<byte[]> inputs = new ArrayList<>();
            for (byte[] in : l.inputs()) inputs.add(modelBuffers.getOrDefault(in, in));
            last = new byte[l.output().length];
            execute(l, inputs, last, model);
            modelBuffers.put(l.output(), last);
        }
        Int8Layer out = layers.get(layers.size() - 1);
        return new Report(results, compare("chain " + net.name() + " -> " + out.name(), out.source(), last, out.output(), out.outputBits()));
    }

    /**
     * The layer's output as the hardware model computes it from {@code inputs} (operand order as
     * {@link Int8Layer#inputs()}), e.g. to check a layer on another runtime's inputs.
     */
    public static void execute(Int8Layer layer, List<byte[]> inputs, byte[] out, FunctionalModel model) {
        layer.accept(new Int8Layer.Visitor<Void>() {
            @Override public Void mac(Int8Layer.Mac m) { model.run(m.op(), inputs.get(0), out); return null; }
            @Override public Void sum(Int8Layer.Sum s) { model.run(s.op(), inputs.get(0), inputs.get(1), out); return null; }
            @Override public Void shrink(Int8Layer.Shrink s) { model.run(s.op(), inputs.get(0), out); return null; }
            @Override public Void select(Int8Layer.Select s) { model.run(s.op(), inputs.get(0), out); return null; }
            @Override public Void clamp(Int8Layer.Clamp c) { model.clamp(inputs.get(0), out, c.lo(), c.hi()); return null; }
            @Override public Void pool(Int8Layer.Pool p) { model.run(p.op(), inputs.get(0), out); return null; }
            @Override public Void table(Int8Layer.Table t) { model.table(t.table(), inputs.get(0), out); return null; }
            // data movement has no arithmetic: the scalar reference is the model
            @Override public Void move(Int8Layer.Move m) { m.op().run(inputs, out, Backend.SCALAR); return null; }
        });
    }

    /** Value by value at the output's width (int16 outputs two bytes per value): indices and values are the layer's. */
    private static Result compare(String name, String source, byte[] model, byte[] network, int bits) {
        int values = model.length / ActivationBytes.bytesPerValue(bits);
        for (int i = 0; i < values; i++) {
            int m = ActivationBytes.get(model, i, bits), n = ActivationBytes.get(network, i, bits);
            if (m != n) return new Result(name, source, values, i, m, n);
        }
        return new Result(name, source, values, -1, 0, 0);
    }
}
