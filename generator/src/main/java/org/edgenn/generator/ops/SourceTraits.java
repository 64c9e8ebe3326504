package org.edgenn.generator.ops;

import java.util.ArrayList;
import java.util.List;
import org.edgenn.generator.JavaLiterals;
import org.edgenn.generator.JavaNames;
import org.edgenn.generator.inference.plan.InferencePlan.Quant;
import org.edgenn.generator.inference.plan.InferencePlan.Role;
import org.edgenn.generator.inference.plan.InferencePlan.Scalar;
import org.edgenn.ir.graph.Node;
import org.edgenn.ir.ops.Source;
import org.edgenn.runtime.cost.Workload;

/**
 * Values from outside: the network input (observed: its quantization is the int8 network's input quantization),
 * labels, parameters, zero states and teachers' outputs.
 */
public final class SourceTraits implements OpTraits<Source> {
    @Override
    public Class<Source> opClass() {
        return Source.class;
    }

    @Override
    public QuantRole quantRole(Source op) {
        return op.role() == Source.Role.INPUT ? QuantRole.OBSERVED : QuantRole.NONE;
    }

    /** Loaded by its first consumer. */
    @Override
    public Workload workload(Source op, Node n, WorkloadBits bits) {
        return null;
    }

    /**
     * Inputs, labels and parameters are the trainer's placeholders and variables (nothing to emit here); a zero state
     * is shaped after the input's batch; a teacher is a call of the frozen teacher graph's method.
     */
    @Override
    public void emitTraining(Source op, TrainingEmission out) {
        if (op.role() == Source.Role.ZEROS) {
            out.line(out.head() + "MoreOps.zeros(sd, " + out.name() + ", " + out.firstInput() + ", " + out.firstInputSize() + ", "
                    + JavaLiterals.dims(out.shape()) + ");" + out.comment() + " (state starts at 0)");
        } else if (op.role() == Source.Role.TEACHER) {
            if (out.teacher()) {
                throw new IllegalArgumentException("a teacher network with teachers of its own is not supported: " + out.network());
            }
            List<String> ins = new ArrayList<>();
            for (int i = 0; i < out.inputCount(); i++) {
                ins.add(out.rawInput(i));
            }
            out.line(out.head() + "teacher_" + JavaNames.sanitize(out.node()) + "(sd" + (ins.isEmpty() ? "" : ", " + String.join(", ", ins)) + ");"
                    + out.comment() + " (teacher " + op.reference() + ", frozen)");
        }
    }

    /** The input is the int8 network's input; a zero state starts at 0 in any quantization; a parameter is a scalar operand. */
    @Override
    public Lowering lower(Source op, Node n, LoweringContext ctx) {
        switch (op.role()) {
            case INPUT -> ctx.define(n, Role.INPUT);
            case ZEROS -> ctx.define(n, Role.ZEROS, Quant.fixed(1f, 0));
            case PARAM -> ctx.defineScalar(n, Scalar.parameter(ctx.artifactName(n.weights().get(0))));
            default -> {
                return Lowering.unsupported("a " + op.kind() + " source cannot feed inference");
            }
        }
        return Lowering.DONE;
    }
}
