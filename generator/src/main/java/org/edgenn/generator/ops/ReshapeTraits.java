package org.edgenn.generator.ops;

import org.edgenn.generator.JavaLiterals;
import org.edgenn.generator.inference.plan.InferencePlan.MoveKind;
import org.edgenn.ir.graph.Node;
import org.edgenn.ir.ops.Reshape;
import org.edgenn.runtime.cost.Workload;

/** {@code reshape}: a view. */
public final class ReshapeTraits implements OpTraits<Reshape> {
    @Override
    public Class<Reshape> opClass() {
        return Reshape.class;
    }

    @Override
    public QuantRole quantRole(Reshape op) {
        return QuantRole.PRESERVES;
    }

    @Override
    public Workload workload(Reshape op, Node n, WorkloadBits bits) {
        return null;
    }

    @Override
    public void emitTraining(Reshape op, TrainingEmission out) {
        out.line(out.head() + "sd.reshape(" + out.name() + ", " + out.input(0) + ", -1, " + JavaLiterals.dims(op.to()) + ");" + out.comment());
    }

    @Override
    public Lowering lower(Reshape op, Node n, LoweringContext ctx) {
        return Lowerings.move(n, MoveKind.RESHAPE, 0, ctx);
    }
}
