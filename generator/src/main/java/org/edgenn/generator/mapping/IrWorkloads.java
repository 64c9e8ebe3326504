package org.edgenn.generator.mapping;

import java.util.ArrayList;
import java.util.List;
import org.edgenn.generator.ops.OpTraitsRegistry;
import org.edgenn.generator.ops.WorkloadBits;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.graph.Network;
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

    public static List<Workload> of(Network network, AcceleratorSpec accelerator) {
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
                out.add(w);
            }
        }
        return out;
    }
}
