package org.edgenn.generator.ops;

import org.edgenn.generator.JavaLiterals;
import org.edgenn.generator.inference.plan.InferencePlan.Bounds;
import org.edgenn.ir.graph.Node;
import org.edgenn.ir.ops.Clamp;
import org.edgenn.runtime.cost.Workload;

/** {@code clamp(x, min, max)}. */
public final class ClampTraits implements OpTraits<Clamp> {
    @Override
    public Class<Clamp> opClass() {
        return Clamp.class;
    }

    @Override
    public QuantRole quantRole(Clamp op) {
        return QuantRole.PRESERVES;
    }

    @Override
    public Workload workload(Clamp op, Node n, WorkloadBits bits) {
        return Workloads.pointwise(n, bits);
    }

    @Override
    public void emitTraining(Clamp op, TrainingEmission out) {
        out.line(out.head() + "MoreOps.clamp(sd, " + out.name() + ", " + out.input(0) + ", " + JavaLiterals.num(op.min()) + ", "
                + JavaLiterals.num(op.max()) + ");" + out.comment());
    }

    @Override
    public Bounds int8Clamp(Clamp op) {
        return new Bounds(op.min(), op.max());
    }

    @Override
    public Lowering lower(Clamp op, Node n, LoweringContext ctx) {
        return Lowerings.clamp(n, int8Clamp(op), ctx);
    }
}
