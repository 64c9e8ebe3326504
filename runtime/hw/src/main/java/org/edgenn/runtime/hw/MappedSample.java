package org.edgenn.runtime.hw;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.ir.accel.Operand;
import org.edgenn.runtime.cost.Loop;
import org.edgenn.runtime.cost.Mapping;
import org.edgenn.runtime.cost.Workload;

/**
 * A sample of a layer too large to execute whole: the same schedule with the outermost temporal loops over output
 * dimensions (N, G, K, OY, OX) removed, one at a time from the outside, until at most {@code limit} MAC slots remain.
 * What is left is a prefix of the layer's outputs (e.g. the first 7 of 28 output rows) computed by exactly the
 * inner part of the chosen mapping: the same spatial unrolling, tiles and loop order below the removed loops, so the
 * same transfers per tile. The outermost loop of a dimension spans its highest digit, so removing it keeps the
 * coordinates {@code [0, extent / factor)}, all of them real (a padded spatial factor pads only the full extent).
 *
 * @param workload    the loop nest of the sample (the layer's name)
 * @param mapping     the chosen mapping without the removed loops (cuts above them moved down)
 * @param removed     the loops removed, outermost first
 * @param slots       MAC slots of the sample (temporal iterations x used PEs)
 * @param layerSlots  MAC slots of the whole layer
 */
public record MappedSample(Workload workload, Mapping mapping, List<Loop> removed, long slots, long layerSlots) {

    /** MAC slots a mapping walks: temporal iterations times used PEs. */
    public static long slots(Mapping m) {
        long s = m.spatial().usedPes();
        for (Loop l : m.temporal()) {
            s *= l.factor();
        }
        return s;
    }

    /** The whole layer if it fits {@code limit}, else the largest prefix sample that does; null when none does. */
    public static MappedSample of(Workload w, Mapping m, long limit) {
        long layerSlots = slots(m);
        Workload sw = w;
        Mapping sm = m;
        List<Loop> removed = new ArrayList<>();
        while (slots(sm) > limit) {
            int q = sm.temporal().size() - 1;
            while (q >= 0 && !output(sm.temporal().get(q).dim())) {
                q--;
            }
            if (q < 0) {
                return null;
            }
            Loop l = sm.temporal().get(q);
            removed.add(l);
            sw = shrink(sw, l.dim(), sm.temporal().stream().filter(x -> x.dim() == l.dim()).mapToLong(Loop::factor)
                    .reduce(1, (a, b) -> a * b) / l.factor() * sm.spatial().factor(l.dim()));
            sm = without(sm, q);
        }
        return new MappedSample(sw, sm, removed, slots(sm), layerSlots);
    }

    /** Whether this is the whole layer. */
    public boolean whole() {
        return removed.isEmpty();
    }

    /** {@code OY 7 of 28, K 16 of 64 (1/16 of 1.2M MAC slots)}, for reports. */
    public String describe(Workload layer) {
        StringBuilder sb = new StringBuilder();
        for (LoopDim d : LoopDim.values()) {
            if (workload.bound(d) != layer.bound(d)) {
                sb.append(sb.length() == 0 ? "" : ", ").append(d).append(' ').append(workload.bound(d)).append(" of ")
                        .append(layer.bound(d));
            }
        }
        return sb + String.format(java.util.Locale.ROOT, " (%d of %d MAC slots)", slots, layerSlots);
    }

    private static boolean output(LoopDim d) {
        return d == LoopDim.N || d == LoopDim.G || d == LoopDim.K || d == LoopDim.OY || d == LoopDim.OX;
    }

    private static Workload shrink(Workload w, LoopDim d, long extent) {
        int[] b = w.bounds();
        b[d.ordinal()] = (int) Math.min(b[d.ordinal()], extent);
        Workload s = Workload.of(w.name(), w.kind(), b, w.strideY(), w.strideX(), w.dilationY(), w.dilationX(), w.padY(),
                w.padX(), new Workload.Precision(w.weightBits(), w.inputBits(), w.outputBits(), w.partialSumBits()));
        return w.weightDensity() < 1 ? s.withWeightSparsity(w.weightDensity(), w.storedBits(Operand.W)) : s;
    }

    private static Mapping without(Mapping m, int q) {
        List<Loop> temporal = new ArrayList<>(m.temporal());
        temporal.remove(q);
        Map<Operand, int[]> cuts = new EnumMap<>(Operand.class);
        for (Operand op : Operand.values()) {
            int[] c = m.cuts(op);
            if (c != null) {
                for (int j = 0; j < c.length; j++) {
                    c[j] = c[j] > q ? c[j] - 1 : c[j];
                }
                cuts.put(op, c);
            }
        }
        return new Mapping(m.spatial(), temporal, cuts);
    }
}
