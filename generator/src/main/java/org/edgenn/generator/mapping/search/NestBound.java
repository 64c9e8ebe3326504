package org.edgenn.generator.mapping.search;

import org.edgenn.ir.accel.MemoryLevel;
import org.edgenn.ir.accel.Operand;
import org.edgenn.runtime.cost.CostModel;
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.edgenn.runtime.cost.Relevance;
import org.edgenn.runtime.cost.Sharing;
import org.edgenn.runtime.cost.SpatialMapping;
import org.edgenn.runtime.cost.Tiles;
import org.edgenn.runtime.cost.Workload;

/**
 * A lower bound of the energy and of the latency of every mapping the layer search can return for a nest, whatever
 * the capacities of its memories: for each spatial unrolling the search may take ({@link SpatialMappingGenerator},
 * which does not depend on capacities), the terms no loop order avoids ({@link LowerBound#terms}) and the on-chip
 * traffic no loop order avoids either ({@link #onChip}); latency at least the larger of the compute cycles and the
 * backing store's transfer cycles. Energy and latency are minimised separately over the unrollings (each is then a
 * bound on its own). Used to skip depth-first tile configurations that cannot improve a network.
 */
public final class NestBound {
    private NestBound() {
    }

    /**
     * {energy in pJ, latency in cycles}, both at most those of any mapping of {@code w} under {@code model}'s rules
     * (its resident operands, ZigZag's energy rules) on its accelerator or on the same with smaller memories;
     * {+inf, +inf} when no spatial unrolling is admissible (nothing can be mapped).
     */
    public static double[] of(Workload w, CostModel model) {
        double energy = Double.POSITIVE_INFINITY;
        double latency = Double.POSITIVE_INFINITY;
        for (SpatialMapping s : SpatialMappingGenerator.generate(w, model.hierarchy())) {
            double[] t = LowerBound.terms(w, model.hierarchy(), s, model);
            energy = Math.min(energy, t[0] + onChip(w, model.hierarchy(), s, model));
            latency = Math.min(latency, Math.max(t[1], t[2]));
        }
        return new double[] {energy, latency};
    }

    /**
     * Energy of on-chip traffic that {@link LowerBound#terms} leaves out and no loop order of unrolling {@code s}
     * avoids (the cost model's own counts, {@code AccessCountModel}, hence not for ZigZag's energy rules, which
     * count links differently; 0 there):
     * <ul>
     *   <li>the innermost level's partial sums: every iteration writes the output words of the MAC link, at
     *       partial-sum width but the last visit of each (at output width when reduced on arrival), and every visit
     *       but the first reads them back; iterations and distinct output tiles depend on the unrolling only
     *       ({@link LowerBound} counts those writes at output width alone);</li>
     *   <li>every level between the innermost and the backing store (or the resident level) reads, per instance,
     *       every weight and input it passes down at least once, and receives and passes up every output at least
     *       once (at the narrower of output and partial-sum width);</li>
     *   <li>a resident operand's copies into the levels below its resident level (LowerBound leaves resident
     *       operands' copies out altogether).</li>
     * </ul>
     * The footprint terms are left out, as {@code LowerBound}'s copies are, for padded unrollings and sparse weights.
     * Words ({@link MemoryLevel#chargedBytes}) only round up.
     */
    static double onChip(Workload w, MemoryHierarchy h, SpatialMapping s, CostModel model) {
        if (model.zigzagEnergy()) {
            return 0;
        }
        int[] f = s.factors();
        long[] all = new long[f.length];
        long[] none = new long[f.length];
        long iterations = 1;
        long outputTiles = 1;
        boolean padded = false;
        for (int d = 0; d < f.length; d++) {
            all[d] = (w.bounds()[d] + f[d] - 1) / f[d];
            none[d] = 1;
            iterations *= all[d];
            padded |= w.bounds()[d] % f[d] != 0;
            if (Relevance.relevant(Operand.O, org.edgenn.ir.accel.LoopDim.values()[d])) {
                outputTiles *= all[d];
            }
        }
        Sharing sharing = Sharing.of(h, s);
        double energy = 0;
        boolean footprints = !padded && w.weightDensity() >= 1;
        for (Operand op : w.operands()) {
            boolean resident = model.resident().contains(op);
            int length = h.chainLength(op) - (resident ? 1 : 0); // active links, as AccessCountModel
            int top = h.chainLength(op) - 1;
            if (op == Operand.O && length >= 1) {
                MemoryLevel l0 = h.level(op, 0);
                int level0 = h.levelIndex(op, 0);
                long words = sharing.instances(level0) * Tiles.size(w, f, none, op, sharing.inner(level0));
                double partialBytes = w.storedBits(op) / 8.0;
                double outBytes = w.outputBits() / 8.0;
                long finals = sharing.reduces(level0) ? outputTiles : 0;
                double exact = words * ((iterations - finals) * partialBytes * l0.writePjPerByte()
                        + finals * outBytes * l0.writePjPerByte()
                        + (iterations - outputTiles) * partialBytes * l0.readPjPerByte());
                double counted = Math.min(w.bits(op), w.outputBits()) / (double) w.bits(op)
                        * iterations * (double) words * partialBytes * l0.writePjPerByte();
                energy += Math.max(0, exact - counted);
            }
            if (!footprints) {
                continue;
            }
            double bits = op == Operand.O ? Math.min(w.storedBits(op), w.outputBits()) : w.storedBits(op);
            for (int j = 1; j < length; j++) {
                int parent = h.levelIndex(op, j);
                int child = h.levelIndex(op, j - 1);
                double parentBytes = footprint(w, f, all, op, sharing, parent) * bits / 8.0;
                double childBytes = footprint(w, f, all, op, sharing, child) * bits / 8.0;
                if (op == Operand.O) {
                    if (j != top) { // the backing store's writes are LowerBound's
                        energy += parentBytes * h.level(op, j).writePjPerByte();
                    }
                    energy += childBytes * h.level(op, j - 1).readPjPerByte();
                } else {
                    if (j != top) { // the backing store's reads are LowerBound's
                        energy += parentBytes * h.level(op, j).readPjPerByte();
                    }
                    if (resident) { // LowerBound's copies count the child writes of operands not resident
                        energy += childBytes * h.level(op, j - 1).writePjPerByte();
                    }
                }
            }
        }
        return energy;
    }

    /** Elements of {@code op} the instances of memory {@code level} see over the whole (padded) iteration space. */
    private static double footprint(Workload w, int[] f, long[] all, Operand op, Sharing sharing, int level) {
        return sharing.instances(level) * (double) Tiles.size(w, f, all, op, sharing.inner(level));
    }
}
