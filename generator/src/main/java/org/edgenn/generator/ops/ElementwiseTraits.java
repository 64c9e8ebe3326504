package org.edgenn.generator.ops;

import java.util.OptionalDouble;
import org.edgenn.generator.JavaLiterals;
import org.edgenn.generator.inference.plan.InferencePlan.Bounds;
import org.edgenn.generator.inference.plan.InferencePlan.Function;
import org.edgenn.generator.inference.plan.InferencePlan.Role;
import org.edgenn.generator.inference.plan.InferencePlan.Tensor;
import org.edgenn.generator.inference.plan.InferencePlan;
import org.edgenn.ir.graph.Node;
import org.edgenn.ir.ops.Elementwise;
import org.edgenn.runtime.cost.Workload;

/** {@code +}, {@code -}, {@code *}, {@code /}: a requantized sum of two tensors, or a table with a scalar operand. */
public final class ElementwiseTraits implements OpTraits<Elementwise> {
    @Override
    public Class<Elementwise> opClass() {
        return Elementwise.class;
    }

    @Override
    public QuantRole quantRole(Elementwise op) {
        return QuantRole.OBSERVED;
    }

    @Override
    public Workload workload(Elementwise op, Node n, WorkloadBits bits) {
        return Workloads.pointwise(n, bits);
    }

    @Override
    public boolean inlinesScalarConstants(Elementwise op) {
        return true;
    }

    /** A constant operand is written inline ({@code x.mul(name, 0.5)}, {@code x.rsub(name, 1.0)} for {@code 1 - x}). */
    @Override
    public void emitTraining(Elementwise op, TrainingEmission out) {
        String method = switch (op.operator()) {
            case ADD -> "add";
            case SUB -> "sub";
            case MUL -> "mul";
            case DIV -> "div";
        };
        OptionalDouble a = out.inlineConstant(0);
        OptionalDouble c = out.inlineConstant(1);
        String expr;
        if (c.isPresent()) {
            expr = out.input(0) + "." + method + "(" + out.name() + ", " + JavaLiterals.num(c.getAsDouble()) + ")";
        } else if (a.isPresent()) {
            String reversed = switch (op.operator()) {
                case ADD -> "add";
                case SUB -> "rsub";
                case MUL -> "mul";
                case DIV -> "rdiv";
            };
            expr = out.input(1) + "." + reversed + "(" + out.name() + ", " + JavaLiterals.num(a.getAsDouble()) + ")";
        } else {
            expr = out.input(0) + "." + method + "(" + out.name() + ", " + out.input(1) + ")";
        }
        out.line(out.head() + expr + ";" + out.comment());
    }

    /** Either operand may be a single-valued parameter or constant: arithmetic with a scalar is a table. */
    @Override
    public boolean takesScalar(Elementwise op, int input) {
        return true;
    }

    /**
     * With a scalar operand: a table. Two tensors: a requantized sum or difference (a ReLU-like consumer folded into
     * its output clamp); {@code x ± 0} and {@code 0 − x} (an unrolled state's first step) a re-quantization or
     * negation of the other operand.
     */
    @Override
    public Lowering lower(Elementwise op, Node n, LoweringContext ctx) {
        String a = n.inputs().get(0);
        String b = n.inputs().get(1);
        boolean aScalar = ctx.isScalar(a);
        boolean bScalar = ctx.isScalar(b);
        if (aScalar && bScalar) {
            return Lowering.unsupported("arithmetic between two scalars belongs in a constant");
        }
        if (aScalar || bScalar) {
            Function f = switch (op.operator()) {
                case ADD -> Function.ADD;
                case SUB -> bScalar ? Function.SUB : Function.RSUB;
                case MUL -> Function.MUL;
                case DIV -> bScalar ? Function.DIV : Function.RDIV;
            };
            Node scalar = ctx.node(aScalar ? a : b);
            if (!scalar.shape().isScalarLike()) {
                return Lowering.unsupported("arithmetic with the tensor parameter " + scalar.name() + " " + scalar.shape()
                        + " is not lowered (only with single values)");
            }
            Tensor in = ctx.tensor(aScalar ? b : a);
            ctx.define(n, Role.COMPUTED);
            ctx.add(new InferencePlan.Table(n.name(), ctx.where(n), in.node(), n.name(), f, ctx.scalar(aScalar ? a : b)));
            return Lowering.DONE;
        }
        if (op.operator() != Elementwise.Kind.ADD && op.operator() != Elementwise.Kind.SUB) {
            return Lowering.unsupported("element-wise " + op.kind() + " of two tensors has no int8 lowering (only with a scalar)");
        }
        Tensor ta = ctx.tensor(a);
        Tensor tb = ctx.tensor(b);
        if (ta.size() != tb.size()) {
            return Lowering.unsupported("broadcasting a single-element tensor is not lowered; make it a param or constant");
        }
        if (ta.role() == Role.ZEROS || tb.role() == Role.ZEROS) {
            Tensor other = ta.role() == Role.ZEROS ? tb : ta;
            boolean negate = op.operator() == Elementwise.Kind.SUB && ta.role() == Role.ZEROS;
            ctx.define(n, Role.COMPUTED);
            ctx.add(new InferencePlan.Table(n.name(), ctx.where(n), other.node(), n.name(), negate ? Function.NEGATE : Function.RESCALE, null));
            return Lowering.DONE;
        }
        Node fused = ctx.foldConsumer(n);
        ctx.define(n, Role.COMPUTED);
        ctx.add(new InferencePlan.Sum(n.name(), ctx.where(n), ta.node(), tb.node(), n.name(), op.operator() == Elementwise.Kind.SUB,
                fused == null ? Bounds.NONE : ctx.clampOf(fused), fused == null ? null : fused.name()));
        return Lowering.DONE;
    }
}
