package org.edgenn.generator.mapping.search;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.ir.accel.MemoryLevel;
import org.edgenn.ir.accel.Operand;
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.edgenn.runtime.cost.Sharing;
import org.edgenn.runtime.cost.SpatialMapping;
import org.edgenn.runtime.cost.Tiles;
import org.edgenn.runtime.cost.Workload;

/**
 * Stage 2b: where each memory level cuts a loop order (LOMA-style greedy allocation). Levels are filled
 * innermost first; every operand's tile is at least what the level below holds. Two policies for a level
 * shared by several operands, both evaluated by the search:
 * <ul>
 *   <li>{@link Policy#JOINT}: one cut for all its operands, the longest prefix whose tiles fit together;</li>
 *   <li>{@link Policy#OUTPUTS_FIRST}: operands in the order O, I, W each take the longest prefix that fits
 *       next to what the others already need (keeps partial sums on chip; ZigZag's LOMA often lands here).</li>
 *   <li>{@link Policy#MIN_TRAFFIC}: ZigZag's own allocator (LOMA's {@code MemoryAllocator.find_best_loop_combination}):
 *       of all cut combinations that fit together, the one with the least traffic to the level above
 *       (tile bits times the iterations of the loops above the cut), ties to the larger cuts. A ZigZag mapping
 *       file has no allocation, so a mapping exchanged with ZigZag is costed by both tools with this policy.</li>
 * </ul>
 * Tile sizes only grow with the prefix, so "fits" is monotone: cuts are found by binary search and can be
 * decided from a prefix of the order, which {@link ExhaustiveSearch} uses to prune.
 */
public final class LoopAllocator {
    /** How a shared level divides its capacity among the operands it holds. */
    public enum Policy { JOINT, OUTPUTS_FIRST, MIN_TRAFFIC }

    private static final int OPERAND_COUNT = Operand.values().length;
    private static final Operand[] OUTPUTS_FIRST = {Operand.O, Operand.I, Operand.W};
    /** ZigZag's usual operand order within a memory ({@code operands: [I1, I2, O]}): its tie-break order. */
    private static final Operand[] ZIGZAG_ORDER = {Operand.I, Operand.W, Operand.O};

    private final Workload w;
    private final MemoryHierarchy h;
    private final int[] spatial;
    private final Sharing sharing;
    /** The workload's operands as an array: the allocator is the search's inner loop (no iterator per call). */
    private final Operand[] operands;
    /** See {@link #allocate(Tiles, long[][], int, int, Policy, boolean)}; set per call (allocators are per thread). */
    private boolean outputReuseBeyond;
    private int prefixLength;
    private final long[] extents = new long[LoopDim.values().length];
    private static final LoopDim[] REDUCED = {LoopDim.C, LoopDim.FY, LoopDim.FX};
    /**
     * The exhaustive search's own prefix products ({@link #track}), whose tile sizes are kept per cut: a tile under
     * cut c depends on the first c loops only, so every order below one search node shares them, while allocating
     * an order asks for the same sizes many times (binary searches, three policies, the status of every prefix).
     * Rows {@code 0..cachedRows-1} are valid; {@link #prefixChanged} drops the rows from the one rewritten on.
     */
    private long[][] tracked;
    private int cachedRows;
    /** [cut][level][operand]: EdgeNN's exact tile elements, and ZigZag's count ({@link #zigzagElems}). */
    private long[][][] exactCache;
    private double[][][] zigzagCache;

    public LoopAllocator(Workload w, MemoryHierarchy h, SpatialMapping spatialMapping) {
        this.w = w;
        this.h = h;
        this.spatial = spatialMapping.factors();
        this.sharing = Sharing.of(h, spatialMapping);
        this.operands = w.operands().toArray(new Operand[0]);
    }

    /**
     * Keeps the tile sizes of {@code prefixProducts} (rows 0..n, row c the products of the first c loops) by cut
     * from now on; the caller reports every row it rewrites through {@link #prefixChanged}.
     */
    void track(long[][] prefixProducts) {
        tracked = prefixProducts;
        cachedRows = 0;
        int levels = h.levelCount();
        exactCache = new long[prefixProducts.length][levels][OPERAND_COUNT];
        zigzagCache = new double[prefixProducts.length][levels][OPERAND_COUNT];
    }

    /** Row {@code row} of the tracked prefix products (and so every row after it) has been rewritten. */
    void prefixChanged(int row) {
        cachedRows = Math.min(cachedRows, row);
    }

    /** Fills the cached sizes of the tracked rows up to {@code cut}. */
    private void fillTo(int cut) {
        for (int row = cachedRows; row <= cut; row++) {
            for (int lvl = 0; lvl < h.levelCount() - 1; lvl++) {
                int[] inner = sharing.inner(lvl);
                for (Operand op : operands) {
                    if (h.holds(lvl, op)) {
                        exactCache[row][lvl][op.ordinal()] = Tiles.size(w, spatial, tracked[row], op, inner);
                        zigzagCache[row][lvl][op.ordinal()] = zigzagElems(null, tracked, lvl, op, row);
                    }
                }
            }
        }
        cachedRows = Math.max(cachedRows, cut + 1);
    }

    /** How the hierarchy's levels split this allocator's unrolling (for the mappings it allocates). */
    public Sharing sharing() {
        return sharing;
    }

    /**
     * Cuts on a prefix of length {@code k}; {@code null} when even the smallest tiles do not fit (then no
     * completion of the prefix fits either). {@code open} is set when some cut reached {@code k} and might
     * grow with more loops.
     */
    record Result(Map<Operand, int[]> cuts, boolean open) {
    }

    /** Cuts for a complete order ({@code t}), or null if the tiles never fit. */
    public Map<Operand, int[]> allocate(Tiles t, Policy policy) {
        Result r = allocate(t, null, t.loopCount(), t.loopCount(), policy);
        return r == null ? null : r.cuts();
    }

    /** Cuts using loops 0..k-1 only ({@code t} or {@code prefixProducts} give tile sizes); {@code n} loops in all. */
    Result allocate(Tiles t, long[][] prefixProducts, int k, int n, Policy policy) {
        return allocate(t, prefixProducts, k, n, policy, false);
    }

    /**
     * The same; {@code outputReuseBeyond}: whether loops after the prefix include one irrelevant to O (then partial
     * sums, not final outputs, are stored under every cut: ZigZag's allocator sizes O tiles by that precision).
     */
    Result allocate(Tiles t, long[][] prefixProducts, int k, int n, Policy policy, boolean outputReuseBeyond) {
        return allocate(t, prefixProducts, k, n, policy, outputReuseBeyond, null);
    }

    /**
     * The same with the levels of {@code whole} (by level index; null: none) given cut {@code n} for every operand they
     * hold, as {@link #holdsWhole} proves the policy does for every completion of the prefix; they are never open.
     */
    Result allocate(Tiles t, long[][] prefixProducts, int k, int n, Policy policy, boolean outputReuseBeyond,
                    boolean[] whole) {
        this.outputReuseBeyond = outputReuseBeyond;
        this.prefixLength = k;
        Operand[] ops = operands;
        int[] lower = new int[OPERAND_COUNT];
        int[] next = new int[OPERAND_COUNT];
        Map<Operand, int[]> cuts = new EnumMap<>(Operand.class);
        for (Operand op : ops) {
            cuts.put(op, new int[h.chainLength(op)]);
        }
        boolean open = false;
        for (int lvl = 0; lvl < h.levelCount() - 1; lvl++) {
            int held = 0;
            for (Operand op : ops) {
                held += h.holds(lvl, op) ? 1 : 0;
            }
            if (held == 0) {
                continue;
            }
            long size = h.memory(lvl).sizeBytes();
            if (bytes(t, prefixProducts, lvl, lower, 0) > size) {
                return null;
            }
            int[] chosen = lower.clone();
            if (whole != null && whole[lvl]) {
                for (Operand op : ops) {
                    if (h.holds(lvl, op)) {
                        cuts.get(op)[next[op.ordinal()]++] = n;
                        lower[op.ordinal()] = n;
                    }
                }
                continue;
            }
            if (policy == Policy.MIN_TRAFFIC) {
                open |= minTraffic(t, prefixProducts, lvl, lower, k, chosen) && k < n;
            } else if (policy == Policy.JOINT || held == 1) {
                int best = largestFittingCut(t, prefixProducts, lvl, lower, k);
                for (Operand op : ops) {
                    chosen[op.ordinal()] = Math.max(best, lower[op.ordinal()]);
                }
            } else {
                for (Operand op : OUTPUTS_FIRST) {
                    if (w.has(op) && h.holds(lvl, op)) {
                        chosen[op.ordinal()] = largestFittingCutOf(t, prefixProducts, lvl, chosen, op, k);
                    }
                }
            }
            for (Operand op : ops) {
                if (h.holds(lvl, op)) {
                    int cut = chosen[op.ordinal()];
                    open |= cut == k && k < n;
                    cuts.get(op)[next[op.ordinal()]++] = cut;
                    lower[op.ordinal()] = cut;
                }
            }
        }
        for (Operand op : ops) {
            cuts.get(op)[next[op.ordinal()]] = n;
        }
        return new Result(cuts, open);
    }

    /**
     * True when {@code policy} cuts level {@code level} at the last loop (every operand it holds whole) in every loop
     * order, whatever the levels below chose: the layer's whole tiles ({@code totals}, the products of all loops, the
     * same for every order) fit together. Greedy cuts then take the whole order (sizes grow with the cut). ZigZag's
     * least-traffic choice does too when its counts of the whole tiles fit together (partial sums counted at the
     * larger of the two widths) and no operand's traffic can grow with its cut: a tile's bytes grow by at most the
     * factor of each loop added, which holds for weights and outputs (products of extents) and for inputs without
     * filter windows (FY = FX = 1), so traffic (bytes over the iterations under the cut) never grows, the largest
     * cuts have the least sum and, being the last combination, are chosen ({@link MinTrafficChoice}). Inputs with
     * windows: not claimed (ZigZag's window count can grow faster than the loops).
     */
    boolean holdsWhole(int level, Policy policy, long[] totals) {
        long[][] rows = {totals};
        int[] none = new int[OPERAND_COUNT];
        if (bytes(null, rows, level, none, 0) > h.memory(level).sizeBytes()) {
            return false;
        }
        if (policy != Policy.MIN_TRAFFIC) {
            return true;
        }
        boolean windows = w.bound(LoopDim.FY) > 1 || w.bound(LoopDim.FX) > 1;
        double sum = 0;
        for (Operand op : ZIGZAG_ORDER) {
            if (!w.has(op) || !h.holds(level, op)) {
                continue;
            }
            if (op == Operand.I && windows) {
                return false;
            }
            int bits = op == Operand.O ? Math.max(w.bits(op), w.outputBits()) : w.bits(op);
            sum += zigzagElems(null, rows, level, op, 0) * bits / 8.0;
        }
        return sum <= h.memory(level).sizeBytes();
    }

    /**
     * ZigZag's choice for one level: every operand's cut ranges from the level below's cut to the largest that
     * fits alone; of the combinations fitting together, the least traffic {@code sum(bits(cut) / iterations
     * below cut)} (proportional to tile bits x iterations above the cut), ties to the lexicographically largest
     * in ZigZag's operand order. Writes the cuts into {@code chosen}; returns true when some operand's range
     * reached {@code k} (a longer prefix could change the choice).
     */
    private boolean minTraffic(Tiles t, long[][] prefixProducts, int level, int[] lower, int k, int[] chosen) {
        long size = h.memory(level).sizeBytes();
        List<Operand> here = new java.util.ArrayList<>();
        for (Operand op : ZIGZAG_ORDER) {
            if (w.has(op) && h.holds(level, op)) {
                here.add(op);
            }
        }
        int m = here.size();
        double[][] bytes = new double[m][];
        double[][] traffic = new double[m][];
        boolean reached = false;
        double[] b = new double[Math.max(1, k + 1)];
        for (int i = 0; i < m; i++) {
            Operand op = here.get(i);
            int from = lower[op.ordinal()];
            int count = 0;
            for (int c = from; c <= Math.max(from, k); c++) {
                double v = opBytes(t, prefixProducts, level, op, c, from);
                if (v > size && c > from) {
                    break;
                }
                if (count == b.length) {
                    b = java.util.Arrays.copyOf(b, 2 * b.length);
                }
                b[count++] = v;
            }
            reached |= from + count - 1 == k;
            bytes[i] = java.util.Arrays.copyOf(b, count);
            traffic[i] = new double[count];
            for (int j = 0; j < count; j++) {
                traffic[i][j] = bytes[i][j] / iterationsBelow(t, prefixProducts, from + j);
            }
        }
        int[] best = MinTrafficChoice.choose(bytes, traffic, size);
        for (int i = 0; i < m; i++) {
            Operand op = here.get(i);
            chosen[op.ordinal()] = lower[op.ordinal()] + best[i];
        }
        return reached;
    }

    /**
     * Bytes of {@code op}'s tile under {@code cut} as ZigZag's allocator counts them ({@code LayerNode.calc_tensor_size}):
     * every dimension's extent is its temporal product times the spatial factor the level sees; an input window is
     * counted as if its output and filter positions were contiguous ({@code a*b - max(0, b - sa/g) * (a - sb/g)},
     * clipped to the layer's input), not EdgeNN's exact strided footprint; O is counted at partial-sum precision
     * while an O-irrelevant loop (temporal above {@code from}, the cut of the level below, or spatial the level does
     * not see) remains, else at the output precision: ZigZag decides the precision once per level
     * ({@code MemoryAllocator.get_precision}), before choosing the cut.
     */
    private double opBytes(Tiles t, long[][] prefixProducts, int level, Operand op, int cut, int from) {
        double elems;
        if (t == null && prefixProducts == tracked) {
            if (cut >= cachedRows) {
                fillTo(cut);
            }
            elems = zigzagCache[cut][level][op.ordinal()];
        } else {
            elems = zigzagElems(t, prefixProducts, level, op, cut);
        }
        int bits = w.bits(op);
        if (op == Operand.O && !outputReuseAbove(t, prefixProducts, level, from)) {
            bits = w.outputBits();
        }
        return elems * bits / 8.0;
    }

    /** The elements of {@link #opBytes}: ZigZag's count, never below EdgeNN's exact footprint for inputs. */
    private double zigzagElems(Tiles t, long[][] prefixProducts, int level, Operand op, int cut) {
        int[] inner = sharing.inner(level);
        long[] e = extents;   // per call, no allocation (the allocator is per thread)
        for (int d = 0; d < e.length; d++) {
            e[d] = (t != null ? t.prefixProduct(cut, d) : prefixProducts[cut][d]) * inner[d];
        }
        int n = LoopDim.N.ordinal();
        int g = LoopDim.G.ordinal();
        int kk = LoopDim.K.ordinal();
        int c = LoopDim.C.ordinal();
        double elems = switch (op) {
            case W -> e[g] * e[kk] * e[c] * e[LoopDim.FY.ordinal()] * e[LoopDim.FX.ordinal()];
            case O -> e[n] * e[g] * e[kk] * e[LoopDim.OY.ordinal()] * e[LoopDim.OX.ordinal()];
            case I -> e[n] * e[g] * e[c]
                    * window(e[LoopDim.OY.ordinal()], w.strideY(), e[LoopDim.FY.ordinal()], w.dilationY(),
                            w.bound(LoopDim.OY), w.bound(LoopDim.FY))
                    * window(e[LoopDim.OX.ordinal()], w.strideX(), e[LoopDim.FX.ordinal()], w.dilationX(),
                            w.bound(LoopDim.OX), w.bound(LoopDim.FX));
        };
        if (op == Operand.I) {
            // never below EdgeNN's exact footprint, so that the allocation chosen is valid in EdgeNN's model too
            // (ZigZag's contiguous count can be smaller when its formula under-counts a strided window)
            long exact = t != null ? t.size(op, cut, inner) : Tiles.size(w, spatial, prefixProducts[cut], op, inner);
            elems = Math.max(elems, exact);
        }
        return elems;
    }

    /** ZigZag's {@code calc_pr_dimension_size} for {@code o*stride + f*dilation}, clipped to the input extent. */
    private static long window(long a, int sa, long b, int sb, int outBound, int filterBound) {
        long gcd = gcd(sa, sb);   // the hot path: not BigInteger's
        long size = a * b - Math.max(0, b - sa / gcd) * (a - sb / gcd);
        long total = (long) (outBound - 1) * sa + (long) (filterBound - 1) * sb + 1;
        return Math.min(size, total);
    }

    private static long gcd(long a, long b) {
        a = Math.abs(a);
        b = Math.abs(b);
        while (b != 0) {
            long r = a % b;
            a = b;
            b = r;
        }
        return a;
    }

    /** True when an O-irrelevant loop remains above {@code cut} at {@code level} (temporal, or spatial unseen). */
    private boolean outputReuseAbove(Tiles t, long[][] prefixProducts, int level, int cut) {
        int[] inner = sharing.inner(level);
        for (LoopDim d : REDUCED) {
            int i = d.ordinal();
            if (inner[i] < spatial[i]) {
                return true;
            }
            if (t != null) {
                if (t.prefixProduct(t.loopCount(), i) > t.prefixProduct(cut, i)) {
                    return true;
                }
            } else if (prefixProducts[prefixLength][i] > prefixProducts[cut][i]) {
                return true;
            }
        }
        return t == null && outputReuseBeyond;
    }

    private static double iterationsBelow(Tiles t, long[][] prefixProducts, int cut) {
        if (t != null) {
            return t.iterationsBelow(cut);
        }
        double p = 1;
        for (long f : prefixProducts[cut]) {
            p *= f;
        }
        return p;
    }

    /** Largest cut in {@code 0..maxCut} whose joint tiles fit, by binary search; -1 if none. */
    int largestFittingCut(Tiles t, long[][] prefixProducts, int level, int[] lower, int maxCut) {
        MemoryLevel mem = h.memory(level);
        if (bytes(t, prefixProducts, level, lower, 0) > mem.sizeBytes()) {
            return -1;
        }
        if (bytes(t, prefixProducts, level, lower, maxCut) <= mem.sizeBytes()) {
            return maxCut;   // the same answer as the binary search (sizes grow with the cut): a level holding it all
        }
        int lo = 0;
        int hi = maxCut;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (bytes(t, prefixProducts, level, lower, mid) <= mem.sizeBytes()) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** Largest cut of {@code op} in {@code cuts[op]..maxCut} that fits next to the other operands' current cuts. */
    private int largestFittingCutOf(Tiles t, long[][] prefixProducts, int level, int[] cuts, Operand op, int maxCut) {
        long size = h.memory(level).sizeBytes();
        int[] trial = cuts.clone();
        int lo = cuts[op.ordinal()];
        int hi = Math.max(lo, maxCut);
        trial[op.ordinal()] = hi;
        if (bytes(t, prefixProducts, level, trial, 0) <= size) {
            return hi;   // as the binary search would find (sizes grow with the cut)
        }
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            trial[op.ordinal()] = mid;
            if (bytes(t, prefixProducts, level, trial, 0) <= size) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /**
     * Bytes of the tiles at cut {@code max(c, lower[op])} of every operand in one instance of memory
     * {@code level}; from {@code t} if given, else from {@code prefixProducts} (an order under construction).
     */
    double bytes(Tiles t, long[][] prefixProducts, int level, int[] lower, int c) {
        int[] inner = sharing.inner(level);
        double bytes = 0;
        for (Operand op : operands) {
            if (!h.holds(level, op)) {
                continue;
            }
            int cut = Math.max(c, lower[op.ordinal()]);
            long elems;
            if (t != null) {
                elems = t.size(op, cut, inner);
            } else if (prefixProducts == tracked) {
                if (cut >= cachedRows) {
                    fillTo(cut);
                }
                elems = exactCache[cut][level][op.ordinal()];
            } else {
                elems = Tiles.size(w, spatial, prefixProducts[cut], op, inner);
            }
            bytes += elems * (double) w.bits(op) / 8.0;
        }
        return bytes;
    }
}
