package org.edgenn.generator.mapping.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.edgenn.ir.accel.ArrayAxis;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.runtime.cost.Loop;
import org.edgenn.runtime.cost.MappingValidator;
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.edgenn.runtime.cost.SpatialMapping;
import org.edgenn.runtime.cost.Workload;

/**
 * Stage 1: spatial unrollings. Each axis unrolls at most one of its allowed dimensions, by a divisor of
 * what is left of the bound (perfect) or by {@code min(axis size, what is left)} (padded: the last temporal
 * iteration of that dimension runs partly idle). Ordered by effective utilization, best first, with a
 * deterministic tie-break on the text form. Unrollings that split a window dimension across the axes an
 * input level is shared along and the others ({@link MappingValidator#windowSplits}) are left out.
 */
public final class SpatialMappingGenerator {
    private SpatialMappingGenerator() {
    }

    public static List<SpatialMapping> generate(Workload w, MemoryHierarchy h) {
        List<SpatialMapping> out = new ArrayList<>();
        expand(w, h.spec().axes(), 0, new ArrayList<>(), new int[LoopDim.values().length], out);
        out.removeIf(s -> !MappingValidator.windowSplits(h, s).isEmpty());
        long pes = h.spec().peCount();
        out.sort(Comparator.comparingDouble((SpatialMapping s) -> -effectiveUtilization(w, s, pes))
                .thenComparing(SpatialMapping::toString));
        return out;
    }

    /** MACs over (padded temporal iterations x all PEs): 1.0 for a perfect full-array unrolling. */
    public static double effectiveUtilization(Workload w, SpatialMapping s, long allPes) {
        double iterations = 1;
        for (LoopDim d : LoopDim.values()) {
            int f = s.factor(d);
            iterations *= (w.bound(d) + f - 1) / f;
        }
        return w.macs() / (iterations * allPes);
    }

    private static void expand(Workload w, List<ArrayAxis> axes, int a, List<List<Loop>> chosen, int[] used,
                               List<SpatialMapping> out) {
        if (a == axes.size()) {
            out.add(new SpatialMapping(chosen));
            return;
        }
        ArrayAxis axis = axes.get(a);
        chosen.add(List.of());
        expand(w, axes, a + 1, chosen, used, out);
        chosen.remove(chosen.size() - 1);
        for (LoopDim d : LoopDim.values()) {
            if (!axis.unrolls().contains(d)) {
                continue;
            }
            int already = Math.max(1, used[d.ordinal()]);
            int left = w.bound(d) / already; // spatial factor of d must stay <= bound
            int max = Math.min(axis.size(), left);
            for (int f = 2; f <= max; f++) {
                boolean perfect = left % f == 0 && w.bound(d) % (already * f) == 0;
                if (!perfect && f != max) {
                    continue;
                }
                used[d.ordinal()] = already * f;
                chosen.add(List.of(new Loop(d, f)));
                expand(w, axes, a + 1, chosen, used, out);
                chosen.remove(chosen.size() - 1);
                used[d.ordinal()] = already == 1 ? 0 : already;
            }
        }
    }
}
