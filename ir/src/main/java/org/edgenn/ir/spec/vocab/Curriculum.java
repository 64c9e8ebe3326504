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
     * ends at its best evaluated point. One-value parameters (step sizes, thresholds) train at {@code scalarLr} times
     * the phase's learning rate: Adam moves every element by about the learning rate, which suits a 250x500 matrix at
     * 5e-4 but leaves a threshold that must fall from 0.1 to 0.001 over the steps nearly where it started.
     */
    record Stagewise(int steps, int eval, int betterWait, double scalarLr) implements Curriculum {
        public Stagewise {
            if (steps < 1 || eval < 1 || betterWait < 0 || !(scalarLr > 0)) {
                throw new IllegalArgumentException("stagewise needs steps >= 1, eval >= 1, better_wait >= 0, scalar_lr > 0");
            }
        }

        /** Every parameter at the phase's learning rate. */
        public Stagewise(int steps, int eval, int betterWait) {
            this(steps, eval, betterWait, 1);
        }
    }
}
