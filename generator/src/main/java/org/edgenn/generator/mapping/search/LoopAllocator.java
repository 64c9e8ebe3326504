package org.edgenn.generator.mapping.search;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.edgenn.ir.accel.MemoryLevel;
import org.edgenn.ir.accel.Operand;
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.edgenn.runtime.cost.Tiles;
import org.edgenn.runtime.cost.Workload;

/**
 * Stage 2b: where each memory level cuts a loop order (LOMA-style greedy allocation). Levels are filled
 * innermost first; each takes the longest prefix of the loop order whose tiles — of all operands it holds,
 * never smaller than what the level below holds — fit one instance. A shared buffer therefore uses one cut
 * for all its operands. Because tile sizes only grow with the prefix, "fits" is monotone, which makes the
 * greedy cut unique and lets {@link ExhaustiveSearch} decide it from a prefix of the order.
 */
public final class LoopAllocator {
    private final Workload w;
    private final MemoryHierarchy h;
    private final int[] spatial;

    public LoopAllocator(Workload w, MemoryHierarchy h, int[] spatialFactors) {
        this.w = w;
        this.h = h;
        this.spatial = spatialFactors.clone();
    }

    /** Cuts for every operand of the workload, or null when even the smallest tiles do not fit. */
    public Map<Operand, int[]> allocate(Tiles t) {
        int n = t.loopCount();
        List<Operand> ops = w.operands();
        int[] lower = new int[Operand.values().length];
        int[] next = new int[Operand.values().length];
        Map<Operand, int[]> cuts = new EnumMap<>(Operand.class);
        for (Operand op : ops) {
            cuts.put(op, new int[h.chainLength(op)]);
        }
        for (int lvl = 0; lvl < h.levelCount() - 1; lvl++) {
            MemoryLevel mem = h.memory(lvl);
            boolean any = false;
            for (Operand op : ops) {
                any |= h.holds(lvl, op);
            }
            if (!any) {
                continue;
            }
            int best = largestFittingCut(t, null, lvl, lower, n);
            if (best < 0) {
                return null;
            }
            for (Operand op : ops) {
                if (h.holds(lvl, op)) {
                    int cut = Math.max(best, lower[op.ordinal()]);
                    cuts.get(op)[next[op.ordinal()]++] = cut;
                    lower[op.ordinal()] = cut;
                }
            }
        }
        for (Operand op : ops) {
            cuts.get(op)[next[op.ordinal()]] = n;
        }
        return cuts;
    }

    /** Largest cut in {@code 0..maxCut} whose tiles fit, by binary search ("fits" is monotone); -1 if none. */
    int largestFittingCut(Tiles t, long[][] prefixProducts, int level, int[] lower, int maxCut) {
        MemoryLevel mem = h.memory(level);
        if (bytes(t, prefixProducts, level, lower, 0) > mem.sizeBytes()) {
            return -1;
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

    /**
     * Bytes of the tiles at cut {@code c} in one instance of {@code mem}; from {@code t} if given, else from
     * {@code prefixProducts[c]} (a loop-order prefix under construction).
     */
    double bytes(Tiles t, long[][] prefixProducts, int level, int[] lower, int c) {
        MemoryLevel mem = h.memory(level);
        double bytes = 0;
        for (Operand op : w.operands()) {
            if (!h.holds(level, op)) {
                continue;
            }
            int cut = Math.max(c, lower[op.ordinal()]);
            long elems = t != null ? t.size(op, cut, !mem.perPe())
                    : Tiles.size(w, spatial, prefixProducts[cut], op, !mem.perPe());
            bytes += elems * (double) w.bits(op) / 8.0;
        }
        return bytes;
    }

    Workload workload() {
        return w;
    }

    MemoryHierarchy hierarchy() {
        return h;
    }
}
