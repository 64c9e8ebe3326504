package org.edgenn.ir.spec.vocab;

/**
 * A train block's {@code curriculum}: how the steps of an unrolled network are trained before the joint epochs. Both
 * kinds train in stages, stage k on the loss of unroll step k's output, with step k's parameters starting as step
 * k−1's trained ones.
 */
public sealed interface Curriculum {

    /** {@code layerwise(epochs=N)}: stage k trains step k alone, the steps before it frozen, for N epochs. */
    record Layerwise(int epochs) implements Curriculum {
        public Layerwise {
            if (epochs < 1) {
                throw new IllegalArgumentException("a curriculum stage runs at least one epoch");
            }
        }
    }

    /**
     * {@code stagewise(steps=, eval=, better_wait=)}: the recipe of Chen et al. (NeurIPS 2018) and Liu et al. (ICLR 2019).
     * Stage k runs three phases, each a fresh optimizer: step k's parameters alone at the train block's learning rate,
     * then every step up to k at 0.2× and at 0.02× it. A phase runs at most {@code steps} steps, evaluates the
     * held-out metric every {@code eval} steps, stops after {@code betterWait} steps without improvement (0: never) and
     * ends at its best evaluated point.
     */
    record Stagewise(int steps, int eval, int betterWait) implements Curriculum {
        public Stagewise {
            if (steps < 1 || eval < 1 || betterWait < 0) {
                throw new IllegalArgumentException("stagewise needs steps >= 1, eval >= 1, better_wait >= 0");
            }
        }
    }
}
