package org.edgenn.generator.ops;

import java.util.ArrayList;
import java.util.List;
import org.edgenn.generator.inference.plan.InferencePlan;
import org.edgenn.generator.inference.plan.InferencePlan.Bounds;
import org.edgenn.generator.inference.plan.InferencePlan.Function;
import org.edgenn.generator.inference.plan.InferencePlan.Geometry;
import org.edgenn.generator.inference.plan.InferencePlan.MoveKind;
import org.edgenn.generator.inference.plan.InferencePlan.Role;
import org.edgenn.generator.inference.plan.InferencePlan.Tensor;
import org.edgenn.ir.graph.Node;

/** Int8 lowerings shared by several ops' traits. */
final class Lowerings {
    private Lowerings() {
    }

    /** Dense or convolution with the artifact's weights (and bias), a ReLU-like consumer folded into its output clamp. */
    static Lowering mac(Node n, boolean dense, Geometry g, LoweringContext ctx) {
        return mac(n, dense, false, g, ctx);
    }

    /** As {@link #mac(Node, boolean, Geometry, LoweringContext)}; {@code transposed}: the stored dense weight read as its transpose. */
    static Lowering mac(Node n, boolean dense, boolean transposed, Geometry g, LoweringContext ctx) {
        Tensor in = ctx.input(n, 0);
        String weight = ctx.artifactName(n.weights().get(0));
        String bias = n.weights().size() > 1 ? ctx.artifactName(n.weights().get(1)) : null;
        Node fused = ctx.foldConsumer(n);
        ctx.define(n, Role.COMPUTED);
        ctx.add(new InferencePlan.Mac(n.name(), ctx.where(n), in.node(), n.name(), dense, g, weight, null, bias,
                fused == null ? Bounds.NONE : ctx.clampOf(fused), fused == null ? null : fused.name(), transposed));
        return Lowering.DONE;
    }

    /** A clamp to real bounds in the input's quantization. */
    static Lowering clamp(Node n, Bounds b, LoweringContext ctx) {
        Tensor in = ctx.input(n, 0);
        ctx.define(n, Role.COMPUTED);
        ctx.add(new InferencePlan.Clamp(n.name(), ctx.where(n), in.node(), n.name(), b));
        return Lowering.DONE;
    }

    /** A 256-entry table from the input's quantization to the node's own. */
    static Lowering table(Node n, Function f, LoweringContext ctx) {
        Tensor in = ctx.input(n, 0);
        ctx.define(n, Role.COMPUTED);
        ctx.add(new InferencePlan.Table(n.name(), ctx.where(n), in.node(), n.name(), f, null));
        return Lowering.DONE;
    }

    /** Data movement of the node's inputs; the output keeps the first input's quantization. */
    static Lowering move(Node n, MoveKind kind, int factor, LoweringContext ctx) {
        ctx.input(n, 0);
        ctx.define(n, Role.COMPUTED);
        List<String> ins = new ArrayList<>();
        for (String i : n.inputs()) {
            ins.add(ctx.tensor(i).node());
        }
        ctx.add(new InferencePlan.Move(n.name(), ctx.where(n), ins, n.name(), kind, factor));
        return Lowering.DONE;
    }
}
