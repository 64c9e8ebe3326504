package org.edgenn.ir.graph;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.edgenn.ir.ops.Source;
import org.edgenn.ir.spec.Compression;

/**
 * What {@code budget memory < 256 KiB} bounds: the weights at their widths plus the peak of the activations live at
 * once while the inference schedule (the network's execution order) runs.
 *
 * <p>Weights: every weight tensor of the compact network ({@link ChannelPruning}) once (tied weights are stored once)
 * at the declared weight width, biases at 32 bits (int32 in a quantized network, float otherwise); a float network's
 * weights at 32 bits. Stored dense: zeros of unstructured or N:M pruning take their place unless a target's compressed
 * format says otherwise, which is the mapping's business. Activations: a tensor is live from the step that produces it
 * to the last step that reads it (network outputs to the end); the peak is taken over steps, with a step's inputs and
 * output live together. Flatten and reshape are views of their input (no buffer of their own); sources and per-step
 * zero states are tensors too; scalar constants take no memory.
 *
 * @param weightBytes     the weights at their widths
 * @param activationBytes the peak of live activations
 * @param peakNode        the step where the peak is reached
 */
public record MemoryFootprint(long weightBytes, long activationBytes, String peakNode) {

    public long totalBytes() {
        return weightBytes + activationBytes;
    }

    public static MemoryFootprint of(Network declared) {
        Network network = ChannelPruning.compact(declared).network();
        Compression c = network.compression();
        long weightBits8 = 0;
        for (Weight w : network.weights()) {
            // per-layer widths where declared (mixed precision), else the network's, 32 bits for a float network
            Compression.Quantization q = c == null ? null : c.weightsOf(w.layer());
            int bits = "bias".equals(w.role()) || q == null ? 32 : q.bits();
            weightBits8 = saturated(weightBits8, w.shape().size(), bits);
        }
        List<Node> schedule = network.inferenceNodes();
        // a view's buffer is its input's: resolve every name to the node that owns the buffer
        Map<String, String> owner = new HashMap<>();
        Map<String, Integer> lastUse = new HashMap<>();
        Map<String, Integer> born = new HashMap<>();
        for (int i = 0; i < schedule.size(); i++) {
            Node n = schedule.get(i);
            boolean view = n.op().isView();
            owner.put(n.name(), view ? owner.get(n.inputs().get(0)) : n.name());
            if (!view && allocates(n)) {
                born.put(n.name(), i);
            }
            for (String in : n.inputs()) {
                String o = owner.get(in);
                if (o != null) {
                    lastUse.put(o, i);
                }
            }
        }
        for (String out : network.outputs()) {
            String o = owner.get(out);
            if (o != null) {
                lastUse.put(o, schedule.size() - 1);
            }
        }
        long peak = 0;
        String peakNode = schedule.isEmpty() ? "" : schedule.get(0).name();
        for (int i = 0; i < schedule.size(); i++) {
            long live = 0;
            for (Map.Entry<String, Integer> b : born.entrySet()) {
                int end = lastUse.getOrDefault(b.getKey(), b.getValue());
                if (b.getValue() <= i && i <= end) {
                    live = saturated(live, network.node(b.getKey()).shape().size(), activationBits(c, b.getKey()));
                }
            }
            if (live > peak) {
                peak = live;
                peakNode = schedule.get(i).name();
            }
        }
        return new MemoryFootprint(ceilBytes(weightBits8), ceilBytes(peak), peakNode);
    }

    /** The node's declared activation width (per-tensor overrides included), 32 bits in a float network. */
    private static int activationBits(Compression c, String node) {
        Compression.Quantization q = c == null ? null : c.activationsOf(node);
        return q == null ? 32 : q.bits();
    }

    /** Parameters live with the weights; scalar constants take no memory. */
    private static boolean allocates(Node n) {
        return n.op().constantValue().isEmpty() && n.op().sourceRole() != Source.Role.PARAM;
    }

    private static long ceilBytes(long bits) {
        return bits == Long.MAX_VALUE ? Long.MAX_VALUE / 8 : (bits + 7) / 8;
    }

    /**
     * {@code sum + count * bits}, at most Long.MAX_VALUE: a dense(2e9 -> 2e9) layer's 4e18 weights at 32 bits wrapped
     * to a negative footprint (and so passed every memory budget).
     */
    private static long saturated(long sum, long count, int bits) {
        if (count > (Long.MAX_VALUE - sum) / Math.max(1, bits)) {
            return Long.MAX_VALUE;
        }
        return sum + count * bits;
    }
}
