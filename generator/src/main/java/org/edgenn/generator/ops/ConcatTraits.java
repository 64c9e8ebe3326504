package org.edgenn.generator.ops;

import java.util.ArrayList;
import java.util.List;
import org.edgenn.generator.inference.plan.InferencePlan.Function;
import org.edgenn.generator.inference.plan.InferencePlan.MoveKind;
import org.edgenn.generator.inference.plan.InferencePlan.Quant;
import org.edgenn.generator.inference.plan.InferencePlan.Role;
import org.edgenn.generator.inference.plan.InferencePlan.Tensor;
import org.edgenn.generator.inference.plan.InferencePlan;
import org.edgenn.ir.graph.Node;
import org.edgenn.ir.ops.Concat;
import org.edgenn.runtime.cost.Workload;

/** {@code concat} along the channel axis: its own quantization, each input rescaled to it. */
public final class ConcatTraits implements OpTraits<Concat> {
    @Override
    public Class<Concat> opClass() {
        return Concat.class;
    }

    @Override
    public QuantRole quantRole(Concat op) {
        return QuantRole.OBSERVED;
    }

    /** A view: producers write into the concatenated buffer. */
    @Override
    public Workload workload(Concat op, Node n, WorkloadBits bits) {
        return null;
    }

    @Override
    public void emitTraining(Concat op, TrainingEmission out) {
        List<String> ins = new ArrayList<>();
        for (int i = 0; i < out.inputCount(); i++) {
            ins.add(out.input(i));
        }
        out.line(out.head() + "sd.concat(" + out.name() + ", 1, " + String.join(", ", ins) + ");" + out.comment());
    }

    /** Each input re-quantized by table to the concatenation's quantization, then moved. */
    @Override
    public Lowering lower(Concat op, Node n, LoweringContext ctx) {
        List<String> ins = new ArrayList<>();
        Quant out = ctx.observed(n);
        for (String i : n.inputs()) {
            Tensor t = ctx.tensor(i);
            String rescaled = n.name() + "." + i + ".rescale";
            ctx.intermediate(rescaled, t.shape(), out);
            ctx.add(new InferencePlan.Table(rescaled, ctx.where(n), t.node(), rescaled, Function.RESCALE, null));
            ins.add(rescaled);
        }
        ctx.define(n, Role.COMPUTED);
        ctx.add(new InferencePlan.Move(n.name(), ctx.where(n), ins, n.name(), MoveKind.CONCAT, 0));
        return Lowering.DONE;
    }
}
