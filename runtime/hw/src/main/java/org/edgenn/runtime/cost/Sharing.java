package org.edgenn.runtime.cost;

import java.util.List;
import org.edgenn.ir.accel.ArrayAxis;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.ir.accel.Operand;

/**
 * How the instances of every memory level split a spatial unrolling (ZigZag's {@code served_dimensions}).
 * One instance of a level serves every PE along the axes it is shared along; there is one instance per
 * position on the other axes. Per level: the spatial factor of each loop dimension <em>inside</em> one
 * instance (the product of the factors on its shared axes: all ones for a per-PE level, the whole
 * unrolling for a level shared by the array), the instances in use (the product of the factors on the
 * other axes), and whether outputs arriving there are fully reduced (no loop irrelevant to {@code O} is
 * unrolled on an axis the level is not shared along).
 */
public final class Sharing {
    private static final int DIMS = LoopDim.values().length;
    private static final int[] ONES = ones();

    final MemoryHierarchy hierarchy;
    private final int[][] inner;
    private final long[] instances;
    private final boolean[] reduces;

    /** The sharing of every level of {@code h} under the unrolling {@code s}. */
    public static Sharing of(MemoryHierarchy h, SpatialMapping s) {
        return new Sharing(h, s);
    }

    private Sharing(MemoryHierarchy h, SpatialMapping s) {
        this.hierarchy = h;
        int levels = h.levelCount();
        inner = new int[levels][];
        instances = new long[levels];
        reduces = new boolean[levels];
        List<ArrayAxis> axes = h.spec().axes();
        int[] all = s.factors();
        for (int l = 0; l < levels; l++) {
            if (h.memory(l).perPe()) {
                inner[l] = ONES;
                instances[l] = s.usedPes();
                reduces[l] = !Mapping.unrollsIrrelevant(s.loops(), Operand.O);
                continue;
            }
            if (h.memory(l).sharedAlong().isEmpty()) {
                inner[l] = all;
                instances[l] = 1;
                reduces[l] = true;
                continue;
            }
            int[] in = ones();
            long outer = 1;
            boolean reduced = true;
            for (int a = 0; a < axes.size() && a < s.perAxis().size(); a++) {
                boolean shared = h.memory(l).sharesAlong(axes.get(a).name());
                for (Loop loop : s.perAxis().get(a)) {
                    if (shared) {
                        in[loop.dim().ordinal()] *= loop.factor();
                    } else {
                        outer *= loop.factor();
                        reduced &= loop.factor() == 1 || Relevance.relevant(Operand.O, loop.dim());
                    }
                }
            }
            inner[l] = in;
            instances[l] = outer;
            reduces[l] = reduced;
        }
    }

    /** Per loop dimension, the spatial factor inside one instance of memory {@code level}. */
    public int[] inner(int level) {
        return inner[level];
    }

    /** Instances of memory {@code level} in use. */
    public long instances(int level) {
        return instances[level];
    }

    /** True when outputs arriving at memory {@code level} are fully (spatially) reduced. */
    public boolean reduces(int level) {
        return reduces[level];
    }

    static int[] ones() {
        int[] a = new int[DIMS];
        java.util.Arrays.fill(a, 1);
        return a;
    }

    static int[] onesShared() {
        return ONES;
    }
}
