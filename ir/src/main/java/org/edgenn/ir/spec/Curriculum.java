package org.edgenn.ir.spec;

/**
 * A training curriculum run before the joint epochs. {@code layerwise}: for each unroll step k in order, train
 * that step's parameters alone (step 0 also the parameters outside the unroll block) on the loss of its own
 * output, the steps before it frozen, for {@code epochsPerStage} epochs.
 */
public record Curriculum(String kind, int epochsPerStage) {
    public static final String LAYERWISE = "layerwise";

    public Curriculum {
        if (epochsPerStage < 1) {
            throw new IllegalArgumentException("a curriculum stage runs at least one epoch");
        }
    }
}
