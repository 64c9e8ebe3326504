package org.edgenn.generator.ops;

import org.edgenn.generator.inference.plan.InferencePlan.Geometry;
import org.edgenn.ir.graph.Node;
import org.edgenn.ir.ops.DenseTransposed;
import org.edgenn.runtime.cost.Workload;

/** {@code A^T(r)}: y = Wᵀ x with the weight of dense layer A, the same tensor A uses. */
public final class DenseTransposedTraits implements OpTraits<DenseTransposed> {
    @Override
    public Class<DenseTransposed> opClass() {
        return DenseTransposed.class;
    }

    @Override
    public QuantRole quantRole(DenseTransposed op) {
        return QuantRole.MAC;
    }

    /** On the accelerator a matrix-vector product like any dense layer: the transpose is in how the weights are read. */
    @Override
    public Workload workload(DenseTransposed op, Node n, WorkloadBits bits) {
        return Workload.dense(n.name(), 1, op.out(), op.in(), bits.macs());
    }

    @Override
    public void emitTraining(DenseTransposed op, TrainingEmission out) {
        out.line(out.head() + "Layers.denseTransposed(sd, " + out.name() + ", " + out.input(0) + ", " + out.weight(0) + ");" + out.comment());
    }

    /** The 1x1 convolution with c = in, k = out over the stored weight read transposed ({@code Int8Artifact.denseTransposed}). */
    @Override
    public Lowering lower(DenseTransposed op, Node n, LoweringContext ctx) {
        return Lowerings.mac(n, true, true, new Geometry(op.in(), 1, 1, op.out(), 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1), ctx);
    }
}
