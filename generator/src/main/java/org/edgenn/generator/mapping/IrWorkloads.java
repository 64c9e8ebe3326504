package org.edgenn.generator.mapping;

import java.util.List;
import java.util.Map;
import org.edgenn.generator.mapping.schedule.WorkloadGraph;
import org.edgenn.generator.ops.QuantPlacement;
import org.edgenn.generator.ops.OpTraitsRegistry;
import org.edgenn.generator.ops.WorkloadBits;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.accel.SparseSupport;
import org.edgenn.ir.graph.ChannelPruning;
import org.edgenn.ir.graph.LayerStats;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Weight;
import org.edgenn.ir.graph.Node;
import org.edgenn.ir.spec.Compression;
import org.edgenn.runtime.cost.Workload;

/**
 * The loop nests of a network's inference graph, one workload per node that does work on the
 * accelerator, each from its op's traits ({@code OpTraits.workload}). MAC layers map to conv/dense/depthwise nests; pooling to a pool nest; every
 * point-wise op (activations, thresholds, projections, arithmetic, up-sampling) to an element-wise
 * pass over its output (the network schedule, {@code NetworkScheduler}, fuses them into their producer; layer by layer
 * they are passes of their own).
 * Only views cost nothing: flatten, reshape and concat (producers write into the concatenated
 * buffer), and sources and constants (loaded by their first consumer).
 */
public final class IrWorkloads {
    private IrWorkloads() {
    }

    public static List<Workload> of(Network declared, AcceleratorSpec accelerator) {
        return graph(declared, accelerator).workloads();
    }

    /**
     * The same workloads with the graph around them, for the network-level schedule: per workload its node's input
     * tensors and weights, and every tensor's size, width and origin. A tensor is named by the node that owns its
     * buffer (views resolve to their input's owner); a weight by {@code "weight:" + name}.
     */
    public static WorkloadGraph graph(Network declared, AcceleratorSpec accelerator) {
        // structured pruning: the mapper sees the compact layers; unstructured and N:M: the weight density
        Network network = ChannelPruning.compact(declared).network();
        Compression c = network.compression();
        // widths as declared, per node: weights at their layer's width, activations at their quantization's
        // (QuantPlacement); an unquantized network moves MAC-width operands
        Map<String, Integer> activations = QuantPlacement.activationBits(network);
        Map<String, String> sources = activations.isEmpty() ? Map.of() : QuantPlacement.sources(network);
        int defaultActivation = c.activations() == null ? accelerator.macBits() : c.activations().bits();
        WorkloadGraph.Builder graph = new WorkloadGraph.Builder(network.outputs());
        for (Node n : network.inferenceNodes()) {
            int weightBits = weightBits(network, n, accelerator.macBits());
            int outBits = activationBits(n.name(), sources, activations, defaultActivation);
            int inBits = n.inputs().isEmpty() ? outBits
                    : activationBits(n.inputs().get(0), sources, activations, defaultActivation);
            Workload.Precision macs = new Workload.Precision(weightBits, inBits, outBits, accelerator.accumulatorBits());
            Workload w = OpTraitsRegistry.workload(n, new WorkloadBits(macs, outBits, accelerator.accumulatorBits()));
            if (w != null) {
                graph.layer(withSparsity(w, network, n, accelerator), n, outBits);
            } else {
                graph.other(n, outBits);
            }
        }
        return graph.build();
    }

    /** The declared width of the node's weights (its first weight's layer), the MAC width without quantization. */
    private static int weightBits(Network network, Node n, int macBits) {
        Compression c = network.compression();
        if (n.weights().isEmpty()) {
            return c.weights() == null ? macBits : c.weights().bits();
        }
        Compression.Quantization q = c.weightsOf(network.weight(n.weights().get(0)).layer());
        return q == null ? macBits : q.bits();
    }

    private static int activationBits(String node, Map<String, String> sources, Map<String, Integer> widths, int dflt) {
        String src = sources.get(node);
        Integer bits = src == null ? null : widths.get(src);
        return bits == null ? dflt : bits;
    }

    /**
     * The node's weight density (non-zeros over elements of its weight tensor, {@link LayerStats#nonZeros}) and the
     * bits the target stores per weight position at that density ({@code SparseSupport.storedBitsPerWeight}).
     */
    private static Workload withSparsity(Workload w, Network network, Node n, AcceleratorSpec accelerator) {
        if (!w.kind().hasWeights() || n.weights().isEmpty()) {
            return w;
        }
        Weight weight = network.weight(n.weights().get(0));
        long size = weight.shape().size();
        long nonZeros = LayerStats.nonZeros(network, weight);
        if (nonZeros >= size) {
            return w;
        }
        double density = nonZeros / (double) size;
        SparseSupport sparse = accelerator.sparse().appliesTo(density);
        return w.withWeightSparsity(density, sparse.storedBitsPerWeight(w.weightBits(), density));
    }
}
