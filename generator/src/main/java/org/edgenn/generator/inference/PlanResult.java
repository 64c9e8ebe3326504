package org.edgenn.generator.inference;

import org.edgenn.generator.inference.plan.InferencePlan;

/**
 * The outcome of planning a network's int8 inference ({@link InferencePlanner#attempt}): the plan, or the first node
 * without an int8 lowering, with its op, {@code file:line} and the reason its traits gave.
 */
public sealed interface PlanResult permits PlanResult.Planned, PlanResult.Unsupported {

    /** The plan, or an {@link UnsupportedInferenceException} carrying the reason. */
    InferencePlan orElseThrow();

    record Planned(InferencePlan plan) implements PlanResult {
        @Override
        public InferencePlan orElseThrow() {
            return plan;
        }
    }

    /** {@code source} is {@code file:line} or "". */
    record Unsupported(String node, String op, String source, String reason) implements PlanResult {
        @Override
        public InferencePlan orElseThrow() {
            throw new UnsupportedInferenceException(node, op, source, reason);
        }
    }
}
