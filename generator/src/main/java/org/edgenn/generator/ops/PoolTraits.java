package org.edgenn.generator.ops;

import org.edgenn.generator.inference.plan.InferencePlan.Geometry;
import org.edgenn.generator.inference.plan.InferencePlan.Role;
import org.edgenn.generator.inference.plan.InferencePlan.Tensor;
import org.edgenn.generator.inference.plan.InferencePlan;
import org.edgenn.ir.Shape;
import org.edgenn.ir.graph.Node;
import org.edgenn.ir.ops.Padding;
import org.edgenn.ir.ops.Pool;
import org.edgenn.ir.ops.Window;
import org.edgenn.runtime.cost.LayerKind;
import org.edgenn.runtime.cost.Workload;

/** {@code maxpool}, {@code avgpool}, {@code globalavgpool}. */
public final class PoolTraits implements OpTraits<Pool> {
    @Override
    public Class<Pool> opClass() {
        return Pool.class;
    }

    @Override
    public QuantRole quantRole(Pool op) {
        return QuantRole.PRESERVES;
    }

    /** Max pooling keeps its running value at the activation width, average pooling sums in the accumulator. */
    @Override
    public Workload workload(Pool op, Node n, WorkloadBits bits) {
        Window w = op.window();
        Shape y = n.shape();
        int[] bounds = {1, y.dim(0), 1, 1, y.dim(1), y.dim(2), w.kh(), w.kw()};
        int pooled = op.pool() == Pool.Kind.MAX ? bits.activationBits() : bits.accumulatorBits();
        return Workload.of(n.name(), LayerKind.POOL, bounds, w.sh(), w.sw(), 1, 1, w.padding().top(),
                w.padding().left(), new Workload.Precision(0, bits.activationBits(), bits.activationBits(), pooled));
    }

    @Override
    public void emitTraining(Pool op, TrainingEmission out) {
        Window w = op.window();
        Padding p = w.padding();
        boolean max = op.pool() == Pool.Kind.MAX;
        if (w.kh() == w.kw() && w.sh() == w.sw() && p.equals(Padding.NONE) && w.dh() == 1 && w.dw() == 1) {
            out.line(out.head() + "Layers." + (max ? "maxPool2d" : "avgPool2d") + "(sd, " + out.name() + ", " + out.input(0) + ", " + w.kh() + ", "
                    + w.sh() + ");" + out.comment());
        } else {
            out.line(out.head() + "MoreOps.pool2d(sd, " + out.name() + ", " + out.input(0) + ", " + max + ", " + w.kh() + ", " + w.kw() + ", "
                    + w.sh() + ", " + w.sw() + ", " + p.top() + ", " + p.left() + ", " + p.bottom() + ", " + p.right() + ");" + out.comment());
        }
    }

    /** The window's geometry as a convolution with k = c; dilation and padding of a whole window are not lowered. */
    @Override
    public Lowering lower(Pool op, Node n, LoweringContext ctx) {
        Tensor in = ctx.input(n, 0);
        Window w = op.window();
        Padding pad = w.padding();
        if (w.dh() != 1 || w.dw() != 1) {
            return Lowering.unsupported("dilated pooling is not lowered");
        }
        if (pad.top() >= w.kh() || pad.bottom() >= w.kh() || pad.left() >= w.kw() || pad.right() >= w.kw()) {
            return Lowering.unsupported("pooling padding must be smaller than the window");
        }
        int[] s = in.shape();
        ctx.define(n, Role.COMPUTED);
        ctx.add(new InferencePlan.Pool(n.name(), ctx.where(n), in.node(), n.name(), op.pool() == Pool.Kind.MAX,
                new Geometry(s[0], s[1], s[2], s[0], w.kh(), w.kw(), w.sh(), w.sw(), pad.top(), pad.left(), pad.bottom(), pad.right(), 1, 1, s[0])));
        return Lowering.DONE;
    }
}
