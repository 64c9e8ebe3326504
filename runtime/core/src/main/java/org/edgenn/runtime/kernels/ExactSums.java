package org.edgenn.runtime.kernels;

/**
 * The exactness bound of every kernel that sums integer products in float32 (the native family, whose oneDNN kernels
 * round-trip int32 sums through float; the pure-Java float Winograd kernel used it until issue 19's session 9):
 * such a sum is exact as long as every partial sum is an integer of magnitude at most {@link #FLOAT_EXACT}, and a
 * layer may use such a kernel only where that is <em>proved</em> from its weights, per output channel, before it runs.
 *
 * <p>For inputs {@code x_i ∈ [lo, hi]} with {@code lo ≤ 0 ≤ hi} and coefficients {@code c_i}, every term
 * {@code x_i·c_i} lies in {@code [min(lo·c_i, hi·c_i), max(lo·c_i, hi·c_i)]}, an interval containing 0, so every
 * partial sum over any subset (in any order) lies in {@code [Σ min, Σ max]}: {@link #bound} is the larger magnitude of
 * the two ends. Reductions that do not fit are cut into equal slices of the input channels ({@link #equalSlices}), each
 * summed exactly in float and converted to int32, the slices then added in (wrapping) int32 like the reference.
 */
public final class ExactSums {
    private ExactSums() {}

    /** Largest integer magnitude that float32 holds exactly together with all smaller integers (and int32 → float32 → int32 keeps). */
    public static final long FLOAT_EXACT = 1L << 24;

    /** Slice counts tried by {@link #equalSlices} at most, unless a caller asks for fewer. */
    public static final int MAX_SLICES = 4;

    /** Whether input channels [c0, c0 + cw) of a layer sum exactly in one slice. */
    @FunctionalInterface
    public interface SliceFit {
        boolean fits(int c0, int cw);
    }

    /**
     * The largest magnitude of any partial sum of {@code Σ x_i·c[i]}, i in [from, to), over inputs {@code x_i ∈ [lo, hi]}.
     *
     * @throws IllegalArgumentException unless lo ≤ 0 ≤ hi (the subset argument above needs 0 in the input range)
     */
    public static long bound(int[] c, int from, int to, int lo, int hi) {
        return bound(i -> c[i], from, to, lo, hi);
    }

    /** {@link #bound} of int8 coefficients. */
    public static long bound(byte[] c, int from, int to, int lo, int hi) {
        return bound(i -> c[i], from, to, lo, hi);
    }

    // layers call these once when they are prepared, never per inference
    private static long bound(java.util.function.IntUnaryOperator c, int from, int to, int lo, int hi) {
        if (lo > 0 || hi < 0) throw new IllegalArgumentException("input range [" + lo + ", " + hi + "] must contain 0");
        long max = 0, min = 0;
        for (int i = from; i < to; i++) {
            long a = (long) lo * c.applyAsInt(i), b = (long) hi * c.applyAsInt(i);
            max += Math.max(a, b);
            min += Math.min(a, b);
        }
        return Math.max(max, -min);
    }

    /**
     * The fewest equal slices of {@code channels} input channels (slice j = [⌊c·j/n⌋, ⌊c·(j+1)/n⌋)), at most
     * {@code maxSlices}, for which every slice fits; 0 when none does.
     */
    public static int equalSlices(int channels, int maxSlices, SliceFit fit) {
        for (int n = 1; n <= maxSlices && n <= channels; n++) {
            boolean ok = true;
            for (int j = 0; j < n && ok; j++) {
                int c0 = sliceStart(channels, n, j);
                ok = fit.fits(c0, sliceStart(channels, n, j + 1) - c0);
            }
            if (ok) return n;
        }
        return 0;
    }

    /** First channel of slice j of n equal slices of {@code channels}. */
    public static int sliceStart(int channels, int n, int j) {
        return (int) ((long) channels * j / n);
    }
}
