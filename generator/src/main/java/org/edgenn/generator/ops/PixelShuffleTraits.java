package org.edgenn.generator.ops;

import org.edgenn.generator.inference.plan.InferencePlan.MoveKind;
import org.edgenn.ir.Shape;
import org.edgenn.ir.graph.Node;
import org.edgenn.ir.ops.PixelShuffle;
import org.edgenn.runtime.cost.Workload;

/** {@code pixelshuffle}: depth-to-space, pure data movement. */
public final class PixelShuffleTraits implements OpTraits<PixelShuffle> {
    @Override
    public Class<PixelShuffle> opClass() {
        return PixelShuffle.class;
    }

    @Override
    public QuantRole quantRole(PixelShuffle op) {
        return QuantRole.PRESERVES;
    }

    @Override
    public Workload workload(PixelShuffle op, Node n, WorkloadBits bits) {
        return Workloads.pointwise(n, bits);
    }

    @Override
    public void emitTraining(PixelShuffle op, TrainingEmission out) {
        Shape x = out.inputShape(0);
        out.line(out.head() + "MoreOps.pixelShuffle(sd, " + out.name() + ", " + out.input(0) + ", " + op.factor() + ", " + out.shape().dim(0) + ", "
                + x.dim(1) + ", " + x.dim(2) + ");" + out.comment());
    }

    @Override
    public Lowering lower(PixelShuffle op, Node n, LoweringContext ctx) {
        return Lowerings.move(n, MoveKind.PIXEL_SHUFFLE, op.factor(), ctx);
    }
}
