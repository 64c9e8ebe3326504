package org.edgenn.generator.ops;

import org.edgenn.generator.JavaLiterals;
import org.edgenn.ir.graph.Node;
import org.edgenn.ir.ops.Loss;
import org.edgenn.runtime.cost.Workload;

/** Losses and sparsity penalties: training only (no int8 lowering, no accelerator cost). */
public final class LossTraits implements OpTraits<Loss> {
    @Override
    public Class<Loss> opClass() {
        return Loss.class;
    }

    @Override
    public QuantRole quantRole(Loss op) {
        return QuantRole.NONE;
    }

    @Override
    public Workload workload(Loss op, Node n, WorkloadBits bits) {
        return null;
    }

    /** Penalties reduce over the input's rank; distillation's temperature defaults to 1, the log penalty's ε to 0.01. */
    @Override
    public void emitTraining(Loss op, TrainingEmission out) {
        int rank = out.inputShape(0).rank();
        String a = out.input(0);
        String expr = switch (op.function()) {
            case MSE -> "Losses.mse(sd, " + a + ", " + out.input(1) + ")";
            case NMSE -> "Losses.nmse(sd, " + a + ", " + out.input(1) + ")";
            case CROSS_ENTROPY -> "Losses.crossEntropy(sd, " + a + ", " + out.input(1) + ")";
            case DISTILL -> "Losses.distill(sd, " + a + ", " + out.input(1) + ", " + JavaLiterals.num(op.parameter() > 0 ? op.parameter() : 1.0) + ")";
            case L1 -> "MoreOps.l1(sd, " + a + ", " + rank + ")";
            case L2 -> "MoreOps.l2sq(sd, " + a + ", " + rank + ")";
            case LOG_PENALTY -> "MoreOps.logPenalty(sd, " + a + ", " + JavaLiterals.num(op.parameter() > 0 ? op.parameter() : 0.01) + ", " + rank + ")";
            case HOYER -> "MoreOps.hoyer(sd, " + a + ", " + rank + ")";
        };
        out.line(out.head() + "Losses.named(" + expr + ", " + out.name() + ");" + out.comment());
    }

    /** A classifier's loss: the trainer reports accuracy on the logits it reads. */
    @Override
    public String trainingMetric(Loss op) {
        return op.function() == Loss.Kind.CROSS_ENTROPY ? "accuracy" : null;
    }

    @Override
    public Lowering lower(Loss op, Node n, LoweringContext ctx) {
        return Lowering.unsupported("a loss exists for training only");
    }
}
