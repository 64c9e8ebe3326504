package org.edgenn.generator.ops;

import org.edgenn.ir.Shape;
import org.edgenn.ir.graph.Node;
import org.edgenn.runtime.cost.Workload;

/** Loop nests shared by several ops' traits. */
final class Workloads {
    private Workloads() {
    }

    /**
     * One op per output element: channels on C, the rest of the shape on OY x OX. Point-wise ops map to an
     * element-wise pass over their output; the network schedule fuses it into the producer's output stage.
     */
    static Workload pointwise(Node n, WorkloadBits bits) {
        Shape y = n.shape();
        int channels = y.rank() == 0 ? 1 : y.dim(0);
        int oy = y.rank() >= 2 ? y.dim(1) : 1;
        int ox = y.rank() >= 3 ? y.dim(2) : 1;
        return Workload.elementwise(n.name(), 1, channels, oy, ox, bits.activationBits());
    }
}
