package org.edgenn.generator.ops;

import org.edgenn.generator.inference.plan.InferencePlan.Geometry;
import org.edgenn.ir.Shape;
import org.edgenn.ir.graph.Node;
import org.edgenn.ir.ops.Conv2d;
import org.edgenn.ir.ops.Padding;
import org.edgenn.ir.ops.Window;
import org.edgenn.runtime.cost.LayerKind;
import org.edgenn.runtime.cost.Workload;

/**
 * {@code conv2d} and {@code depthwise}: 2-D convolution with groups. Depthwise means {@link Conv2d#isDepthwise()}
 * everywhere ({@code groups == in > 1}, a channel multiplier {@code out / in} allowed): the accelerator's depthwise
 * nest has C = K = 1 per group and the multiplier on K.
 */
public final class Conv2dTraits implements OpTraits<Conv2d> {
    @Override
    public Class<Conv2d> opClass() {
        return Conv2d.class;
    }

    @Override
    public QuantRole quantRole(Conv2d op) {
        return QuantRole.MAC;
    }

    @Override
    public Workload workload(Conv2d op, Node n, WorkloadBits bits) {
        Window w = op.window();
        Shape y = n.shape();
        int groups = op.groups();
        int[] bounds = {1, groups, op.out() / groups, op.in() / groups, y.dim(1), y.dim(2), w.kh(), w.kw()};
        LayerKind kind = op.isDepthwise() ? LayerKind.DEPTHWISE : LayerKind.CONV;
        return Workload.of(n.name(), kind, bounds, w.sh(), w.sw(), w.dh(), w.dw(), w.padding().top(),
                w.padding().left(), bits.macs());
    }

    @Override
    public void emitTraining(Conv2d op, TrainingEmission out) {
        String bias = op.bias() ? out.weight(1) : null;
        Window w = op.window();
        Padding p = w.padding();
        boolean simple = op.groups() == 1 && w.sh() == w.sw() && w.dh() == w.dw() && p.top() == p.bottom() && p.left() == p.right()
                && p.top() == p.left();
        if (simple) {
            out.line(out.head() + "Layers.conv2d(sd, " + out.name() + ", " + out.input(0) + ", " + out.weight(0) + ", " + bias + ", " + w.sh() + ", "
                    + p.top() + ", " + w.dh() + ");" + out.comment());
        } else {
            out.line(out.head() + "MoreOps.conv2d(sd, " + out.name() + ", " + out.input(0) + ", " + out.weight(0) + ", " + bias + ", " + w.sh() + ", " + w.sw()
                    + ", " + p.top() + ", " + p.left() + ", " + p.bottom() + ", " + p.right() + ", " + w.dh() + ", " + w.dw() + ", "
                    + op.groups() + ");" + out.comment() + (op.isDepthwise() ? " (depthwise)" : ""));
        }
        if (bias != null) {
            out.bias(bias);
        }
    }

    @Override
    public Lowering lower(Conv2d op, Node n, LoweringContext ctx) {
        int[] x = ctx.input(n, 0).shape();
        Window w = op.window();
        Padding p = w.padding();
        return Lowerings.mac(n, false, new Geometry(op.in(), x[1], x[2], op.out(), w.kh(), w.kw(), w.sh(), w.sw(),
                p.top(), p.left(), p.bottom(), p.right(), w.dh(), w.dw(), op.groups()), ctx);
    }
}
