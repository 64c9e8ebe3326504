package org.edgenn.generator.ops;

import java.util.OptionalDouble;
import org.edgenn.generator.JavaLiterals;
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
}
