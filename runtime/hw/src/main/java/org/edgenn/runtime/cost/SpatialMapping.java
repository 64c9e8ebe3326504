package org.edgenn.runtime.cost;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import org.edgenn.ir.accel.LoopDim;

/**
 * The loops unrolled on the PE array: for each array axis (in the accelerator's order) the loops placed
 * on it. Spatial loops are the innermost part of their dimension's index (stride 1), as in ZigZag.
 */
public record SpatialMapping(List<List<Loop>> perAxis) {
    public SpatialMapping {
        List<List<Loop>> copy = new ArrayList<>();
        for (List<Loop> axis : perAxis) {
            copy.add(List.copyOf(axis));
        }
        perAxis = List.copyOf(copy);
    }

    /** Convenience: one loop (or none, if {@code null}) per axis. */
    public static SpatialMapping of(Loop... oneLoopPerAxis) {
        List<List<Loop>> axes = new ArrayList<>();
        for (Loop l : oneLoopPerAxis) {
            axes.add(l == null ? List.of() : List.of(l));
        }
        return new SpatialMapping(axes);
    }

    /** Product of the spatial factors of {@code d} over all axes. */
    public int factor(LoopDim d) {
        int f = 1;
        for (List<Loop> axis : perAxis) {
            for (Loop l : axis) {
                if (l.dim() == d) {
                    f *= l.factor();
                }
            }
        }
        return f;
    }

    /** Spatial factors indexed by {@link LoopDim#ordinal()}. */
    public int[] factors() {
        int[] f = new int[LoopDim.values().length];
        for (LoopDim d : LoopDim.values()) {
            f[d.ordinal()] = factor(d);
        }
        return f;
    }

    /** Number of PEs doing work: the product of all spatial factors. */
    public int usedPes() {
        int p = 1;
        for (List<Loop> axis : perAxis) {
            for (Loop l : axis) {
                p *= l.factor();
            }
        }
        return p;
    }

    /** All spatial loops in axis order (axis 0 first, loops of one axis in their listed order). */
    public List<Loop> loops() {
        List<Loop> all = new ArrayList<>();
        perAxis.forEach(all::addAll);
        return all;
    }

    @Override
    public String toString() {
        StringJoiner j = new StringJoiner(" x ");
        for (List<Loop> axis : perAxis) {
            StringJoiner a = new StringJoiner("*");
            axis.forEach(l -> a.add(l.dim().name() + l.factor()));
            j.add(axis.isEmpty() ? "1" : a.toString());
        }
        return j.toString();
    }

    /**
     * Every PE of this unrolling: its offset in each loop dimension (axis 0's loops vary fastest; spatial loops are the
     * innermost part of their dimension). Each PE's spatial loop indices are appended to {@code loopIndices}, in the
     * same order.
     */
    public int[][] peOffsets(List<int[]> loopIndices) {
        List<Loop> sl = loops();
        List<int[]> out = new ArrayList<>();
        int[] idx = new int[sl.size()];
        while (true) {
            int[] p = new int[LoopDim.values().length];
            int[] stride = new int[p.length];
            java.util.Arrays.fill(stride, 1);
            for (int i = 0; i < sl.size(); i++) {
                int d = sl.get(i).dim().ordinal();
                p[d] += idx[i] * stride[d];
                stride[d] *= sl.get(i).factor();
            }
            out.add(p);
            loopIndices.add(idx.clone());
            int i = 0;
            while (i < idx.length && ++idx[i] == sl.get(i).factor()) {
                idx[i++] = 0;
            }
            if (i == idx.length) {
                return out.toArray(int[][]::new);
            }
        }
    }
}
