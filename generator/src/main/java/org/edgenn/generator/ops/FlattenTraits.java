package org.edgenn.generator.ops;

import org.edgenn.generator.inference.plan.InferencePlan.MoveKind;
import org.edgenn.ir.graph.Node;
import org.edgenn.ir.ops.Flatten;
import org.edgenn.runtime.cost.Workload;

/** {@code flatten}: a view. */
public final class FlattenTraits implements OpTraits<Flatten> {
    @Override
    public Class<Flatten> opClass() {
        return Flatten.class;
    }

    @Override
    public QuantRole quantRole(Flatten op) {
        return QuantRole.PRESERVES;
    }

    @Override
    public Workload workload(Flatten op, Node n, WorkloadBits bits) {
        return null;
    }

    @Override
    public void emitTraining(Flatten op, TrainingEmission out) {
        out.line(out.head() + "Layers.flatten(sd, " + out.name() + ", " + out.input(0) + ", " + out.shape().size() + ");" + out.comment());
    }

    @Override
    public Lowering lower(Flatten op, Node n, LoweringContext ctx) {
        return Lowerings.move(n, MoveKind.RESHAPE, 0, ctx);
    }
}
