package org.edgenn.ir.spec.vocab;

/** How the learning rate changes over training ({@code schedule ...}); counted in optimizer steps. */
public sealed interface Schedule {

    /** The schedule of a train block that names none. */
    Schedule DEFAULT = new Constant();

    record Constant() implements Schedule {
    }

    /** Cosine decay from the learning rate to {@code min} over all steps; {@code min} null: 1 % of the learning rate. */
    record Cosine(Double min) implements Schedule {
    }

    /** The learning rate times {@code gamma} every {@code every} epochs. */
    record Step(double gamma, int every) implements Schedule {
    }

    /** The learning rate times {@code gamma} per epoch, spread evenly over its steps. */
    record Exponential(double gamma) implements Schedule {
    }
}
