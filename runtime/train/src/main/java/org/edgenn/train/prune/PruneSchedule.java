package org.edgenn.train.prune;

/**
 * When and how much to prune, in global optimizer steps (0-based).
 *
 * <p>{@link #gradual} is the cubic schedule of Zhu &amp; Gupta (2017):
 * {@code s(t) = s_f + (s_i - s_f) (1 - (t - t0) / (t1 - t0))^3} for {@code t0 <= t <= t1}, recomputing the
 * mask every {@code frequency} steps and at {@code t1}; before {@code t0} nothing is pruned, after {@code t1}
 * the final mask stays fixed and enforced. {@link #oneShot} prunes to the target at one step.
 */
public record PruneSchedule(double initialSparsity, double finalSparsity, long beginStep, long endStep, long frequency) {

    public PruneSchedule {
        if (!(finalSparsity >= 0 && finalSparsity < 1)) throw new IllegalArgumentException("final sparsity must be in [0,1): " + finalSparsity);
        if (!(initialSparsity >= 0 && initialSparsity <= finalSparsity)) throw new IllegalArgumentException("initial sparsity must be in [0, final]");
        if (beginStep < 0 || endStep < beginStep) throw new IllegalArgumentException("need 0 <= beginStep <= endStep");
        if (frequency < 1) throw new IllegalArgumentException("frequency must be >= 1");
    }

    public static PruneSchedule gradual(double finalSparsity, long beginStep, long endStep, long frequency) {
        return new PruneSchedule(0, finalSparsity, beginStep, endStep, frequency);
    }

    /** Gradual schedule expressed in epochs: pruning starts at the first step of {@code beginEpoch} and reaches the target at the first step of {@code endEpoch}. */
    public static PruneSchedule gradualEpochs(double finalSparsity, int beginEpoch, int endEpoch, int batchesPerEpoch) {
        long freq = Math.max(1, batchesPerEpoch / 10);
        return gradual(finalSparsity, (long) beginEpoch * batchesPerEpoch, (long) endEpoch * batchesPerEpoch, freq);
    }

    public static PruneSchedule oneShot(double sparsity, long atStep) {
        return new PruneSchedule(sparsity, sparsity, atStep, atStep, 1);
    }

    /** Target sparsity at step {@code t}. */
    public double sparsityAt(long t) {
        if (t < beginStep) return 0;
        if (t >= endStep) return finalSparsity;
        double frac = (double) (t - beginStep) / (endStep - beginStep);
        double r = 1 - frac;
        return finalSparsity + (initialSparsity - finalSparsity) * r * r * r;
    }

    /** Whether the mask is recomputed at step {@code t}. */
    public boolean isUpdateStep(long t) {
        if (t < beginStep || t > endStep) return false;
        return t == endStep || (t - beginStep) % frequency == 0;
    }
}
