package org.edgenn.generator.ops;

import org.edgenn.generator.inference.plan.InferencePlan.Geometry;
import org.edgenn.ir.graph.Node;
import org.edgenn.ir.ops.Dense;
import org.edgenn.runtime.cost.Workload;

/** {@code dense}: y = W x (+ b). */
public final class DenseTraits implements OpTraits<Dense> {
    @Override
    public Class<Dense> opClass() {
        return Dense.class;
    }

    @Override
    public QuantRole quantRole(Dense op) {
        return QuantRole.MAC;
    }

    @Override
    public Workload workload(Dense op, Node n, WorkloadBits bits) {
        return Workload.dense(n.name(), 1, op.out(), op.in(), bits.macs());
    }

    @Override
    public void emitTraining(Dense op, TrainingEmission out) {
        String bias = op.bias() ? out.weight(1) : null;
        out.line(out.head() + "Layers.dense(sd, " + out.name() + ", " + out.input(0) + ", " + out.weight(0) + ", " + bias + ");" + out.comment());
        if (bias != null) {
            out.bias(bias);
        }
    }

    /** The 1x1 convolution over a 1x1 image with c = in, k = out. */
    @Override
    public Lowering lower(Dense op, Node n, LoweringContext ctx) {
        return Lowerings.mac(n, true, new Geometry(op.in(), 1, 1, op.out(), 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1), ctx);
    }
}
