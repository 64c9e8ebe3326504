package org.edgenn.generator.ops;

import org.edgenn.generator.inference.plan.InferencePlan;
import org.edgenn.generator.inference.plan.InferencePlan.Role;
import org.edgenn.generator.inference.plan.InferencePlan.Tensor;
import org.edgenn.ir.graph.Node;
import org.edgenn.ir.ops.SupportSelect;
import org.edgenn.runtime.cost.Workload;

/** {@code ss(x, theta, p=, pmax=)}: support selection; input 1 is the threshold θ, the step's percentage is in the op. */
public final class SupportSelectTraits implements OpTraits<SupportSelect> {
    @Override
    public Class<SupportSelect> opClass() {
        return SupportSelect.class;
    }

    @Override
    public QuantRole quantRole(SupportSelect op) {
        return QuantRole.PRESERVES;
    }

    @Override
    public Workload workload(SupportSelect op, Node n, WorkloadBits bits) {
        return Workloads.pointwise(n, bits);
    }

    /** A learnable threshold is {@code softplus(rho)}; any other threshold expression is clipped at 0. */
    @Override
    public void emitTraining(SupportSelect op, TrainingEmission out) {
        String x = out.input(0);
        String theta = out.input(1);
        int n = out.shape().dim(0);
        String percent = org.edgenn.generator.JavaLiterals.num(op.percent());
        if (out.learnableThreshold(1) && !out.teacher()) {
            out.line(out.head() + "SupportSelect.apply(sd, " + out.name() + ", " + x + ", " + theta + ", " + percent + ", " + n + ");"
                    + out.comment() + " (" + op.count(n) + " of " + n + " bypass)");
        } else {
            out.line(out.head() + "SupportSelect.applyFixed(sd, " + out.name() + ", " + x + ", sd.nn.relu(" + theta + ", 0.0), " + percent
                    + ", " + n + ");" + out.comment() + " (" + op.count(n) + " of " + n + " bypass)");
        }
    }

    @Override
    public boolean takesThreshold(SupportSelect op, int input) {
        return input == 1;
    }

    @Override
    public boolean takesScalar(SupportSelect op, int input) {
        return input == 1;
    }

    /** In the input's quantization: one vector of n values, θ broadcast to every element, {@code count(n)} may bypass. */
    @Override
    public Lowering lower(SupportSelect op, Node n, LoweringContext ctx) {
        Tensor in = ctx.input(n, 0);
        String th = n.inputs().get(1);
        if (!ctx.isScalar(th)) {
            return Lowering.unsupported("the threshold " + th + " must be a param or a constant");
        }
        int size = (int) in.size();
        int values = (int) ctx.node(th).shape().size();
        if (values != 1 && values != size) {
            return Lowering.unsupported("ss needs one threshold or one per element");
        }
        ctx.define(n, Role.COMPUTED);
        ctx.add(new InferencePlan.Select(n.name(), ctx.where(n), in.node(), n.name(), ctx.scalar(th), values, size, op.count(size)));
        return Lowering.DONE;
    }
}
