package org.edgenn.generator.ops;

import org.edgenn.generator.inference.plan.InferencePlan.Bounds;
import org.edgenn.generator.inference.plan.InferencePlan.Function;
import org.edgenn.ir.graph.Node;
import org.edgenn.ir.ops.Activation;
import org.edgenn.runtime.cost.Workload;

/** {@code relu}, {@code relu6} (clamps in the int8 domain), {@code tanh}, {@code sigmoid} (tables), {@code softmax} (float only). */
public final class ActivationTraits implements OpTraits<Activation> {
    @Override
    public Class<Activation> opClass() {
        return Activation.class;
    }

    @Override
    public QuantRole quantRole(Activation op) {
        return switch (op.function()) {
            case RELU, RELU6 -> QuantRole.PRESERVES;
            case TANH, SIGMOID -> QuantRole.OBSERVED;
            case SOFTMAX -> QuantRole.NONE;
        };
    }

    @Override
    public Workload workload(Activation op, Node n, WorkloadBits bits) {
        return Workloads.pointwise(n, bits);
    }

    @Override
    public void emitTraining(Activation op, TrainingEmission out) {
        String call = switch (op.function()) {
            case RELU -> "Layers.relu";
            case RELU6 -> "MoreOps.relu6";
            case SIGMOID -> "Layers.sigmoid";
            case TANH -> "Layers.tanh";
            case SOFTMAX -> "MoreOps.softmax";
        };
        out.line(out.head() + call + "(sd, " + out.name() + ", " + out.input(0) + ");" + out.comment());
    }

    @Override
    public Bounds int8Clamp(Activation op) {
        return switch (op.function()) {
            case RELU -> new Bounds(0, Double.POSITIVE_INFINITY);
            case RELU6 -> new Bounds(0, 6);
            default -> null;
        };
    }

    @Override
    public Lowering lower(Activation op, Node n, LoweringContext ctx) {
        return switch (op.function()) {
            case RELU, RELU6 -> Lowerings.clamp(n, int8Clamp(op), ctx);
            case TANH -> Lowerings.table(n, Function.TANH, ctx);
            case SIGMOID -> Lowerings.table(n, Function.SIGMOID, ctx);
            case SOFTMAX -> Lowering.unsupported("softmax has no int8 lowering (leave it to the caller on the dequantized logits)");
        };
    }
}
