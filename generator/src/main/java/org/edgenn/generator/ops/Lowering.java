package org.edgenn.generator.ops;

/**
 * The outcome of lowering one node to int8 steps ({@link OpTraits#lower}): done, or a typed "unsupported" with the
 * reason, which the planner reports with the node's name, op and {@code file:line}.
 */
public sealed interface Lowering permits Lowering.Lowered, Lowering.Unsupported {
    /** The node's steps (if any) were added to the plan. */
    Lowering DONE = new Lowered();

    static Lowering unsupported(String reason) {
        return new Unsupported(reason);
    }

    record Lowered() implements Lowering {
    }

    record Unsupported(String reason) implements Lowering {
    }
}
