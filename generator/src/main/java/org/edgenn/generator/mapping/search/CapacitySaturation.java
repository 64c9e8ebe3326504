package org.edgenn.generator.mapping.search;

import org.edgenn.ir.accel.Operand;
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.edgenn.runtime.cost.Sharing;
import org.edgenn.runtime.cost.SpatialMapping;
import org.edgenn.runtime.cost.Tiles;
import org.edgenn.runtime.cost.Workload;

/**
 * Per memory level, a size from which on the layer search of a nest no longer depends on that level's size: the
 * search and the cost model read a size only to compare tiles with it ({@link LoopAllocator}: a tile fits when its
 * bytes are at most the size; the stall model: a level double-buffers when its tiles fill at most half of it, or fit
 * next to the others). A tile is at most the operand's whole extent under the unrolling (the loops' padded bounds;
 * tile sizes grow with the loops under the cut), so once a level holds twice the sum of those extents, at the widest
 * width any of these rules counts (a partial sum's, an output's, a stored weight's), every comparison comes out "fits",
 * whatever its size beyond. Two accelerators that differ only in levels at or above their saturation therefore give the
 * same search (the same mapping, the same cost): the pass search keys its cache on the sizes clipped at it.
 */
public final class CapacitySaturation {
    private CapacitySaturation() {
    }

    /** Per level, the size in bytes from which the search of {@code w} is the same ({@link Long#MAX_VALUE}: none). */
    public static long[] of(Workload w, MemoryHierarchy h) {
        long[] out = new long[h.levelCount()];
        for (SpatialMapping s : SpatialMappingGenerator.generate(w, h)) {
            int[] f = s.factors();
            long[] all = new long[f.length];
            for (int d = 0; d < f.length; d++) {
                all[d] = (w.bounds()[d] + f[d] - 1) / f[d];
            }
            Sharing sharing = Sharing.of(h, s);
            for (int l = 0; l < h.levelCount(); l++) {
                double bytes = 0;
                for (Operand op : w.operands()) {
                    if (h.holds(l, op)) {
                        bytes += Tiles.size(w, f, all, op, sharing.inner(l)) * (double) widest(w, op) / 8.0;
                    }
                }
                out[l] = Math.max(out[l], (long) Math.ceil(2 * bytes) + 8); // (+8: no equality decided by rounding)
            }
        }
        return out;
    }

    /** The sizes of {@code h}'s levels clipped at {@code saturation}: equal keys, equal searches. */
    public static String key(MemoryHierarchy h, long[] saturation) {
        StringBuilder sb = new StringBuilder();
        for (int l = 0; l < h.levelCount(); l++) {
            long size = h.memory(l).sizeBytes();
            sb.append(size >= saturation[l] ? "sat" : Long.toString(size)).append(',');
        }
        return sb.toString();
    }

    private static int widest(Workload w, Operand op) {
        int bits = Math.max(w.bits(op), (int) Math.ceil(w.storedBits(op)));
        return op == Operand.O ? Math.max(bits, Math.max(w.partialSumBits(), w.outputBits())) : bits;
    }
}
