package org.edgenn.generator.mapping;

import java.util.ArrayList;
import java.util.List;
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
 * pass over its output, because this accelerator model does not fuse them into the producer yet.
 * Only views cost nothing: flatten, reshape and concat (producers write into the concatenated
 * buffer), and sources and constants (loaded by their first consumer).
 */
public final class IrWorkloads {
    private IrWorkloads() {
    }

    public static List<Workload> of(Network declared, AcceleratorSpec accelerator) {
        // structured pruning: the mapper sees the compact layers; unstructured and N:M: the weight density
        Network network = ChannelPruning.compact(declared).network();
        Compression c = network.compression();
        int weightBits = c.weights() == null ? accelerator.macBits() : c.weights().precision().bits();
        int activationBits = c.activations() == null ? accelerator.macBits() : c.activations().precision().bits();
        Workload.Precision macs = new Workload.Precision(weightBits, activationBits, activationBits,
                accelerator.accumulatorBits());
        WorkloadBits bits = new WorkloadBits(macs, activationBits, accelerator.accumulatorBits());
        List<Workload> out = new ArrayList<>();
        for (Node n : network.inferenceNodes()) {
            Workload w = OpTraitsRegistry.workload(n, bits);
            if (w != null) {
                out.add(withSparsity(w, network, n, accelerator));
            }
        }
        return out;
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
