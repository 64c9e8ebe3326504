package org.edgenn.generator.ops;

import org.edgenn.generator.JavaLiterals;
import org.edgenn.generator.inference.plan.InferencePlan.Scalar;
import org.edgenn.ir.graph.Node;
import org.edgenn.ir.ops.Constant;
import org.edgenn.runtime.cost.Workload;

/** A scalar constant: an operand, never a tensor of its own. */
public final class ConstantTraits implements OpTraits<Constant> {
    @Override
    public Class<Constant> opClass() {
        return Constant.class;
    }

    @Override
    public QuantRole quantRole(Constant op) {
        return QuantRole.NONE;
    }

    @Override
    public Workload workload(Constant op, Node n, WorkloadBits bits) {
        return null;
    }

    @Override
    public void emitTraining(Constant op, TrainingEmission out) {
        out.line(out.head() + "sd.constant(" + out.name() + ", Nd4j.scalar((float) " + JavaLiterals.num(op.value()) + "));" + out.comment());
    }

    /** A scalar operand of its users (arithmetic, thresholds). */
    @Override
    public Lowering lower(Constant op, Node n, LoweringContext ctx) {
        ctx.defineScalar(n, Scalar.constant(op.value()));
        return Lowering.DONE;
    }
}
