package org.edgenn.runtime.cost;

import java.util.Arrays;

/**
 * Records, for one mapping search, every decision that read a memory's size: "do {@code bytes} fit in level {@code l}"
 * (the allocator's cuts, the stall model's double buffering) with its answer. The search is a deterministic function of
 * those answers (the sizes are read nowhere else), so it gives the same mapping and cost on any sizes that answer every
 * recorded question the same way: at least the largest {@code bytes} that fitted ({@link #needed}) and below the
 * smallest that did not ({@link #refused}), level by level ({@link #admits}). The pass search keys its cache on that:
 * the depth-first stage searches the same small tile nests on many slightly different capacities.
 */
public final class CapacityProbe {
    private final double[] needed;
    private final double[] refused;

    public CapacityProbe(int levels) {
        needed = new double[levels];
        refused = new double[levels];
        Arrays.fill(refused, Double.POSITIVE_INFINITY);
    }

    /** Records that {@code bytes} were judged against level {@code level}'s size, and whether they {@code fit}. */
    void record(int level, double bytes, boolean fit) {
        if (fit) {
            needed[level] = Math.max(needed[level], bytes);
        } else {
            refused[level] = Math.min(refused[level], bytes);
        }
    }

    /** Per level, the most bytes judged to fit. */
    public double[] needed() {
        return needed.clone();
    }

    /** Per level, the fewest bytes judged not to fit (+inf: none). */
    public double[] refused() {
        return refused.clone();
    }

    /**
     * Whether a hierarchy of levels of {@code sizes} answers every recorded question as the probed search's, which ran
     * on {@code searched}: level by level the same size, or one within the recorded range with a margin of a byte
     * and a relative 1e-9 on each side (the stall model decides on sums of ratios, recorded here as bytes).
     */
    public boolean admits(long[] sizes, long[] searched) {
        return admits(java.util.Arrays.stream(sizes).asDoubleStream().toArray(),
                java.util.Arrays.stream(searched).asDoubleStream().toArray());
    }

    /** As {@link #admits(long[], long[])} for sizes in bytes that are whole numbers of bits (a 4-bit register: 0.5). */
    public boolean admits(double[] sizes, double[] searched) {
        for (int l = 0; l < needed.length; l++) {
            if (sizes[l] == searched[l]) {
                continue;
            }
            double s = sizes[l];
            if (s < needed[l] + Math.max(1, needed[l] * 1e-9)) {
                return false;
            }
            if (Double.isFinite(refused[l]) && s > refused[l] - Math.max(1, refused[l] * 1e-9)) {
                return false;
            }
        }
        return true;
    }
}
