package org.edgenn.runtime.cost;

import java.util.List;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.ir.accel.Operand;

/**
 * Closed-form tile arithmetic of one (workload, spatial unrolling, temporal loop list): the number of
 * distinct operand elements in the tile under a cut, how often that tile is (re)filled, and how many
 * distinct tiles there are. The loop-nest simulator computes the same quantities by enumeration.
 */
public final class Tiles {
    private static final LoopDim[] DIM_VALUES = LoopDim.values();
    private static final Operand[] OPS = Operand.values();
    private static final int DIMS = DIM_VALUES.length;
    private static final int N = LoopDim.N.ordinal();
    private static final int G = LoopDim.G.ordinal();
    private static final int K = LoopDim.K.ordinal();
    private static final int C = LoopDim.C.ordinal();
    private static final int OY = LoopDim.OY.ordinal();
    private static final int OX = LoopDim.OX.ordinal();
    private static final int FY = LoopDim.FY.ordinal();
    private static final int FX = LoopDim.FX.ordinal();

    private final Workload workload;
    private final int[] spatial;
    private final int[] dims;
    private final int[] factors;
    /** prefix[c][d]: product of the factors of temporal loops 0..c-1 on dimension d. */
    private final long[][] prefix;
    /** suffix products over all loops, and over loops relevant to each operand. */
    private final long[] suffixAll;
    private final long[][] suffixRelevant;
    /** firstRelevantAtOrAbove[op][c]: index of the first loop >= c relevant to op (size() if none). */
    private final int[][] firstRelevant;

    public Tiles(Workload workload, int[] spatialFactors, List<Loop> temporal) {
        this.workload = workload;
        this.spatial = spatialFactors.clone();
        int n = temporal.size();
        dims = new int[n];
        factors = new int[n];
        for (int i = 0; i < n; i++) {
            dims[i] = temporal.get(i).dim().ordinal();
            factors[i] = temporal.get(i).factor();
        }
        prefix = new long[n + 1][];
        long[] first = new long[DIMS];
        java.util.Arrays.fill(first, 1);
        prefix[0] = first;
        for (int i = 0; i < n; i++) {
            prefix[i + 1] = prefix[i].clone();
            prefix[i + 1][dims[i]] *= factors[i];
        }
        Operand[] ops = OPS;
        suffixAll = new long[n + 1];
        suffixRelevant = new long[ops.length][n + 1];
        firstRelevant = new int[ops.length][n + 1];
        suffixAll[n] = 1;
        for (Operand op : ops) {
            suffixRelevant[op.ordinal()][n] = 1;
            firstRelevant[op.ordinal()][n] = n;
        }
        for (int i = n - 1; i >= 0; i--) {
            suffixAll[i] = suffixAll[i + 1] * factors[i];
            for (Operand op : ops) {
                boolean rel = Relevance.relevant(op, DIM_VALUES[dims[i]]);
                suffixRelevant[op.ordinal()][i] = suffixRelevant[op.ordinal()][i + 1] * (rel ? factors[i] : 1);
                firstRelevant[op.ordinal()][i] = rel ? i : firstRelevant[op.ordinal()][i + 1];
            }
        }
    }

    public int loopCount() {
        return dims.length;
    }

    /** Temporal iterations: each is one cycle of the whole array in the ideal schedule. */
    public long iterations() {
        return suffixAll[0];
    }

    /** Per loop dimension (by ordinal), the product of the factors of temporal loops {@code 0..c-1}. */
    public long[] prefixProducts(int c) {
        return prefix[c].clone();
    }

    /** {@code prefixProducts(c)[d]} without the copy (the allocator's inner loop). */
    public long prefixProduct(int c, int d) {
        return prefix[c][d];
    }

    /** Iterations of the temporal loops {@code 0..c-1} (the loops under cut {@code c}). */
    public long iterationsBelow(int c) {
        return suffixAll[0] / suffixAll[c];
    }

    /**
     * Times a tile under cut {@code c} is (re)loaded: the product of all loops above the cut except the
     * run of {@code op}-irrelevant loops directly above it (while those iterate, the tile stays: temporal reuse).
     */
    public long fills(Operand op, int c) {
        int first = firstRelevant[op.ordinal()][c];
        return suffixAll[first];
    }

    /** Number of different tiles under cut {@code c}: the product of the {@code op}-relevant loops above it. */
    public long distinct(Operand op, int c) {
        return suffixRelevant[op.ordinal()][c];
    }

    /**
     * Distinct elements of {@code op} in the tile spanned by temporal loops {@code 0..c-1}, per PE
     * ({@code withSpatial == false}) or over the whole array ({@code true}).
     */
    public long size(Operand op, int c, boolean withSpatial) {
        return size(workload, spatial, prefix[c], op, withSpatial ? spatial : Sharing.onesShared());
    }

    /**
     * The same for one instance of a level that sees the spatial factors {@code inner} (see
     * {@link Sharing#inner}): for every dimension either 1 (the instance serves one PE along it) or the whole
     * spatial factor, for the window dimensions (OY, OX, FY, FX) of inputs.
     */
    public long size(Operand op, int c, int[] inner) {
        return size(workload, spatial, prefix[c], op, inner);
    }

    /**
     * The same for a caller that tracks the temporal prefix products itself ({@code prefixProducts[d]} =
     * product of the factors of the temporal loops under the cut on dimension {@code d}); used by the
     * search to judge a loop-order prefix before the order is complete.
     */
    public static long size(Workload w, int[] spatial, long[] prefixProducts, Operand op, boolean withSpatial) {
        return size(w, spatial, prefixProducts, op, withSpatial ? spatial : Sharing.onesShared());
    }

    /** The same per instance of a level seeing the spatial factors {@code inner}. */
    public static long size(Workload w, int[] spatial, long[] prefixProducts, Operand op, int[] inner) {
        long[] p = prefixProducts;
        return switch (op) {
            case W -> p[G] * inner[G] * p[K] * inner[K] * p[C] * inner[C] * p[FY] * inner[FY] * p[FX] * inner[FX];
            case O -> p[N] * inner[N] * p[G] * inner[G] * p[K] * inner[K] * p[OY] * inner[OY] * p[OX] * inner[OX];
            case I -> p[N] * inner[N] * p[G] * inner[G] * p[C] * inner[C]
                    * window(p, spatial, inner, OY, FY, w.strideY(), w.dilationY())
                    * window(p, spatial, inner, OX, FX, w.strideX(), w.dilationX());
        };
    }

    /**
     * Input rows touched by {@code a} output positions and {@code b} filter taps. Per PE the positions
     * are strided by the spatial factor ({@code o = o0 + k*S_o}, {@code f = f0 + j*S_f}), so the rows are
     * the sum set {@code {k*A + j*B}} with {@code A = S_o*stride}, {@code B = S_f*dilation}; with
     * {@code g = gcd(A, B)}, two pairs collide exactly along the lattice step {@code (B/g, -A/g)}, giving
     * {@code a*b - max(0, a - B/g) * max(0, b - A/g)} distinct rows. With the spatial loops included the
     * positions are contiguous ({@code A = stride}, {@code B = dilation}). An instance that sees the spatial
     * factor of one dimension and not of the other mixes the two cases, dimension by dimension.
     */
    private static long window(long[] p, int[] spatial, int[] inner, int outDim, int filterDim, int stride,
                               int dilation) {
        long a = p[outDim] * inner[outDim];
        long b = p[filterDim] * inner[filterDim];
        long stepA = (spatial[outDim] / inner[outDim]) * (long) stride;
        long stepB = (spatial[filterDim] / inner[filterDim]) * (long) dilation;
        return sumSetSize(a, stepA, b, stepB);
    }

    /** {@code |{x*A + y*B : 0 <= x < a, 0 <= y < b}|}. */
    public static long sumSetSize(long a, long stepA, long b, long stepB) {
        if (a == 1 || b == 1) {
            return a * b;
        }
        long g = stepA == 1 || stepB == 1 ? 1 : stepA == stepB ? stepA : gcd(stepA, stepB); // hot: skip Euclid
        long ra = stepA / g;
        long rb = stepB / g;
        return a * b - Math.max(0, a - rb) * Math.max(0, b - ra);
    }

    private static long gcd(long x, long y) {
        while (y != 0) {
            long t = x % y;
            x = y;
            y = t;
        }
        return x;
    }
}
