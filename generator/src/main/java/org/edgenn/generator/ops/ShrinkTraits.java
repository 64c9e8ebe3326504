package org.edgenn.generator.ops;

import org.edgenn.generator.inference.plan.InferencePlan.Role;
import org.edgenn.generator.inference.plan.InferencePlan.Tensor;
import org.edgenn.generator.inference.plan.InferencePlan;
import org.edgenn.ir.Shape;
import org.edgenn.ir.graph.Node;
import org.edgenn.ir.ops.Shrink;
import org.edgenn.runtime.cost.Workload;

/** {@code shrink} (soft threshold) and {@code hardshrink}; input 1 is the threshold θ. */
public final class ShrinkTraits implements OpTraits<Shrink> {
    @Override
    public Class<Shrink> opClass() {
        return Shrink.class;
    }

    @Override
    public QuantRole quantRole(Shrink op) {
        return QuantRole.PRESERVES;
    }

    @Override
    public Workload workload(Shrink op, Node n, WorkloadBits bits) {
        return Workloads.pointwise(n, bits);
    }

    /**
     * A learnable threshold is {@code softplus(rho)} ({@code Shrink.soft}); a teacher's parameter is already the
     * effective threshold; any other threshold expression is clipped at 0. A hard threshold of a fixed expression
     * passes no gradient through the mask.
     */
    @Override
    public void emitTraining(Shrink op, TrainingEmission out) {
        boolean learnable = out.learnableThreshold(1) && !out.teacher();
        String x = out.input(0);
        String theta = out.input(1);
        if (op.threshold() == Shrink.Kind.SOFT) {
            if (learnable) {
                out.line(out.head() + "Shrink.soft(sd, " + out.name() + ", " + x + ", " + theta + ");" + out.comment());
            } else if (out.teacher() && out.inputIsSource(1)) {
                out.line(out.head() + "Shrink.softFixed(sd, " + out.name() + ", " + x + ", " + theta + ");" + out.comment()
                        + " (teacher: effective threshold)");
            } else {
                out.line(out.head() + "Shrink.softFixed(sd, " + out.name() + ", " + x + ", sd.nn.relu(" + theta + ", 0.0));" + out.comment()
                        + " (threshold expression clipped at 0)");
            }
        } else if (learnable) {
            out.line(out.head() + "Shrink.hard(sd, " + out.name() + ", " + x + ", " + theta + ");" + out.comment());
        } else {
            out.line(out.head() + x + ".mul(" + out.name() + ", Ops.stopGradient(sd, sd.math.abs(" + x + ").gt(" + theta
                    + ").castTo(DataType.FLOAT)));" + out.comment() + " (hard threshold, fixed expression)");
        }
    }

    @Override
    public boolean takesThreshold(Shrink op, int input) {
        return input == 1;
    }

    /** The threshold θ (input 1) is a parameter or constant. */
    @Override
    public boolean takesScalar(Shrink op, int input) {
        return input == 1;
    }

    /** Soft thresholding with one θ, one per channel, or (for a vector) one per element; in the input's quantization. */
    @Override
    public Lowering lower(Shrink op, Node n, LoweringContext ctx) {
        Tensor in = ctx.input(n, 0);
        String th = n.inputs().get(1);
        if (!ctx.isScalar(th)) {
            return Lowering.unsupported("the threshold " + th + " must be a param or a constant");
        }
        Shape ts = ctx.node(th).shape();
        int values = (int) ts.size();
        boolean perChannel = in.isImage() && ts.rank() == 1 && ts.dim(0) == in.shape()[0];
        if (values != 1 && !perChannel && (in.isImage() || values != in.size())) {
            return Lowering.unsupported("a per-element threshold over an image is not lowered (use one per channel)");
        }
        ctx.define(n, Role.COMPUTED);
        if (op.threshold() == Shrink.Kind.HARD) {
            // every entry over its threshold is kept: support selection with all of a vector's entries selectable
            int channels = values == 1 ? 1 : perChannel ? in.shape()[0] : values;
            ctx.add(new InferencePlan.Select(n.name(), ctx.where(n), in.node(), n.name(), ctx.scalar(th), values, channels, channels));
            return Lowering.DONE;
        }
        ctx.add(new InferencePlan.Shrink(n.name(), ctx.where(n), in.node(), n.name(), ctx.scalar(th), values));
        return Lowering.DONE;
    }
}
