package org.edgenn.generator.ops;

import org.edgenn.generator.JavaLiterals;
import org.edgenn.generator.inference.plan.InferencePlan.Bounds;
import org.edgenn.ir.graph.Node;
import org.edgenn.ir.ops.Project;
import org.edgenn.runtime.cost.Workload;

/** {@code project_box}, {@code project_nonneg} (clamps in the int8 domain) and {@code project_l2} (a norm: float only). */
public final class ProjectTraits implements OpTraits<Project> {
    @Override
    public Class<Project> opClass() {
        return Project.class;
    }

    @Override
    public QuantRole quantRole(Project op) {
        return op.set() == Project.Set.L2_BALL ? QuantRole.NONE : QuantRole.PRESERVES;
    }

    @Override
    public Workload workload(Project op, Node n, WorkloadBits bits) {
        return Workloads.pointwise(n, bits);
    }

    @Override
    public void emitTraining(Project op, TrainingEmission out) {
        String call = switch (op.set()) {
            case BOX -> "MoreOps.projectBox(sd, " + out.name() + ", " + out.input(0) + ", " + JavaLiterals.num(op.lo()) + ", "
                    + JavaLiterals.num(op.hi()) + ")";
            case NONNEG -> "MoreOps.projectNonNeg(sd, " + out.name() + ", " + out.input(0) + ")";
            case L2_BALL -> "MoreOps.projectL2(sd, " + out.name() + ", " + out.input(0) + ", " + JavaLiterals.num(op.hi()) + ", "
                    + out.shape().rank() + ")";
        };
        out.line(out.head() + call + ";" + out.comment());
    }

    @Override
    public Bounds int8Clamp(Project op) {
        return op.set() == Project.Set.L2_BALL ? null : new Bounds(op.lo(), op.hi());
    }

    @Override
    public Lowering lower(Project op, Node n, LoweringContext ctx) {
        if (op.set() == Project.Set.L2_BALL) {
            return Lowering.unsupported("the l2-ball projection needs a norm over the tensor");
        }
        return Lowerings.clamp(n, int8Clamp(op), ctx);
    }
}
