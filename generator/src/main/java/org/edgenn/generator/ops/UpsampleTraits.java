package org.edgenn.generator.ops;

import java.util.List;
import org.edgenn.generator.inference.plan.InferencePlan.Bounds;
import org.edgenn.generator.inference.plan.InferencePlan.Geometry;
import org.edgenn.generator.inference.plan.InferencePlan.MoveKind;
import org.edgenn.generator.inference.plan.InferencePlan.Role;
import org.edgenn.generator.inference.plan.InferencePlan.Tensor;
import org.edgenn.generator.inference.plan.InferencePlan;
import org.edgenn.ir.Shape;
import org.edgenn.ir.graph.Node;
import org.edgenn.ir.ops.Upsample;
import org.edgenn.runtime.cost.Workload;

/** {@code upsample}: nearest (data movement, keeps the quantization) or bilinear (a fixed filter, observed). */
public final class UpsampleTraits implements OpTraits<Upsample> {
    @Override
    public Class<Upsample> opClass() {
        return Upsample.class;
    }

    @Override
    public QuantRole quantRole(Upsample op) {
        return op.mode() == Upsample.Mode.NEAREST ? QuantRole.PRESERVES : QuantRole.OBSERVED;
    }

    /**
     * Nearest: one element-wise pass over the output. Bilinear: the loop nest the generated code runs (see
     * {@link #lower}), a depthwise 3x3 over the edge-padded nearest-upsampled plane, 9 MACs per output; the two data
     * moves before it are views the mapper does not cost. (An element-wise pass here made the hardware model's mapped
     * execution refuse the layer: the mapped nest was not the executed one.)
     */
    @Override
    public Workload workload(Upsample op, Node n, WorkloadBits bits) {
        if (op.mode() == Upsample.Mode.BILINEAR && op.factor() == 2) {
            org.edgenn.ir.Shape y = n.shape();
            return Workload.depthwise(n.name(), 1, y.dim(0), y.dim(1), y.dim(2), 3, 3, 1, 0, bits.macs());
        }
        return Workloads.pointwise(n, bits);
    }

    @Override
    public void emitTraining(Upsample op, TrainingEmission out) {
        Shape x = out.inputShape(0);
        if (op.mode() == Upsample.Mode.BILINEAR) {
            out.line(out.head() + "MoreOps.upsampleBilinear(sd, " + out.name() + ", " + out.input(0) + ", " + op.factor() + ", " + x.dim(0) + ", "
                    + x.dim(1) + ", " + x.dim(2) + ");" + out.comment());
        } else {
            out.line(out.head() + "MoreOps.upsampleNearest(sd, " + out.name() + ", " + out.input(0) + ", " + op.factor() + ");" + out.comment());
        }
    }

    /**
     * Nearest: data movement. Bilinear x2 (half-pixel) = nearest x2, replicate-pad 1, depthwise 3x3
     * {@code [1 2 1]ᵀ[1 2 1]/16} ({@code FixedFilters.bilinearX2}) requantizing to the node's own quantization.
     */
    @Override
    public Lowering lower(Upsample op, Node n, LoweringContext ctx) {
        if (op.mode() == Upsample.Mode.NEAREST) {
            return Lowerings.move(n, MoveKind.UPSAMPLE_NEAREST, op.factor(), ctx);
        }
        if (op.factor() != 2) {
            return Lowering.unsupported("bilinear up-sampling is lowered for factor 2 only (use mode=nearest)");
        }
        Tensor in = ctx.input(n, 0);
        int[] s = in.shape();
        int c = s[0], h = 2 * s[1], w = 2 * s[2];
        String nearest = n.name() + ".nearest";
        String padded = n.name() + ".padded";
        ctx.intermediate(nearest, new int[] {c, h, w}, in.quant());
        ctx.add(new InferencePlan.Move(nearest, ctx.where(n), List.of(in.node()), nearest, MoveKind.UPSAMPLE_NEAREST, 2));
        ctx.intermediate(padded, new int[] {c, h + 2, w + 2}, in.quant());
        ctx.add(new InferencePlan.Move(padded, ctx.where(n), List.of(nearest), padded, MoveKind.PAD_EDGE, 1));
        ctx.define(n, Role.COMPUTED);
        ctx.add(new InferencePlan.Mac(n.name(), ctx.where(n), padded, n.name(), false,
                new Geometry(c, h + 2, w + 2, c, 3, 3, 1, 1, 0, 0, 0, 0, 1, 1, c), null, InferencePlan.Filter.BILINEAR_X2, null,
                Bounds.NONE, null));
        return Lowering.DONE;
    }
}
