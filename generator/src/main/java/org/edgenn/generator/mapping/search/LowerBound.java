package org.edgenn.generator.mapping.search;

import org.edgenn.generator.mapping.Objective;
import org.edgenn.ir.accel.MemoryLevel;
import org.edgenn.ir.accel.Operand;
import org.edgenn.runtime.cost.CostModel;
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.edgenn.runtime.cost.Sharing;
import org.edgenn.runtime.cost.SpatialMapping;
import org.edgenn.runtime.cost.Tiles;
import org.edgenn.runtime.cost.Workload;

/**
 * A lower bound of the objective over every loop order of one spatial unrolling, used to skip spatial
 * candidates soundly. It keeps only terms no loop order can avoid:
 * <ul>
 *   <li>MAC energy of the padded iteration space;</li>
 *   <li>the MAC link (every iteration reads W and I from the innermost level holding them, and reads/writes
 *       O there): its counts depend only on the spatial unrolling;</li>
 *   <li>the backing store: every W and I element is read at least once, every output written once
 *       (unless the innermost level is the backing store, already counted above);</li>
 *   <li>every weight and input written at least once into every instance of the levels below the backing store
 *       that uses it ({@link #copies});</li>
 *   <li>latency of at least the iteration count (one array cycle per iteration; the non-zeros' share of them on
 *       zero-skipping hardware).</li>
 * </ul>
 * With ZigZag's rules ({@link CostModel#zigzagEnergy()}) the MAC energy is of the real MACs and the MAC link's W and I
 * reads are left out (ZigZag reads them once per stretch of irrelevant loops, which depends on the order). Words
 * ({@link MemoryLevel#chargedBytes}) only round up, so the unrounded bytes stay a lower bound.
 * Every other energy and latency term is non-negative and objectives are monotone in both, hence sound.
 */
final class LowerBound {
    private LowerBound() {
    }

    static double of(Workload w, MemoryHierarchy h, SpatialMapping s, CostModel model, Objective objective) {
        double[] b = terms(w, h, s, model);
        return objective.value(b[0], b[1]);
    }

    /**
     * {energy, compute cycles, backing-store transfer cycles} that no loop order of unrolling {@code s} avoids. The
     * third: the backing store moves at least every non-resident operand's footprint (W and I read, O written), and
     * the cost model's latency is at least its steady-state cycles there plus the on- and off-loading through it,
     * which together charge every byte it moves at its port's bandwidth (the write port, when it has one, at the
     * faster of its two).
     */
    static double[] terms(Workload w, MemoryHierarchy h, SpatialMapping s, CostModel model) {
        int[] f = s.factors();
        long[] none = new long[f.length];
        long[] all = new long[f.length];
        long iterations = 1;
        for (int d = 0; d < f.length; d++) {
            none[d] = 1;
            all[d] = (w.bounds()[d] + f[d] - 1) / f[d];
            iterations *= all[d];
        }
        int pes = s.usedPes();
        Sharing sharing = Sharing.of(h, s);
        // sparse weights on sparse hardware: fewer MAC joules and cycles, fewer weight bytes (the cost model's rules)
        var sparse = model.sparse(w);
        boolean zigzag = model.zigzagEnergy();
        // ZigZag counts a padded unrolling fractionally (n / ceil(n / s) wide, instance counts rounded): its transfers
        // are of the real data, which the padded iteration space over-states, so those terms use the real layer
        boolean fractional = zigzag && padded(w, f);
        long[] whole = new long[f.length];
        int[] ones = new int[f.length];
        for (int d = 0; d < f.length; d++) {
            whole[d] = w.bounds()[d];
            ones[d] = 1;
        }
        double energy = (zigzag ? w.macs() : iterations * (double) pes) * model.macEnergyPj()
                * sparse.energyFraction(w.weightDensity());
        double topRead = 0;
        double topWritten = 0;
        for (Operand op : w.operands()) {
            MemoryLevel l0 = h.level(op, 0);
            int level0 = h.levelIndex(op, 0);
            long words = sharing.instances(level0) * Tiles.size(w, f, none, op, sharing.inner(level0));
            double bytes = iterations * (double) words * w.storedBits(op) / 8.0;
            if (op == Operand.I && sparse.compute() == org.edgenn.ir.accel.SparseSupport.Compute.SKIP) {
                bytes *= w.weightDensity();   // a skipping PE reads inputs for non-zero weights only (the cost model's rule)
            }
            if (op == Operand.O && fractional) {
                // left out: ZigZag's rounded instance counts can fall below the real outputs written per cycle
            } else if (op == Operand.O) {
                // final writes may be at output precision; partial read-backs could be none
                energy += Math.min(w.bits(op), w.outputBits()) / (double) w.bits(op) * bytes * l0.writePjPerByte();
            } else if (!zigzag) {
                energy += bytes * l0.readPjPerByte();
            }
            if (h.chainLength(op) > 1 && !model.resident().contains(op)) { // a resident operand never crosses it
                MemoryLevel top = h.level(op, h.chainLength(op) - 1);
                double footprint = fractional ? Tiles.size(w, ones, whole, op, true) : Tiles.size(w, f, all, op, true);
                // ZigZag writes them at the partial-sum width when the top level holds partial sums
                int outBits = zigzag ? Math.min(w.outputBits(), w.bits(op)) : w.outputBits();
                energy += op == Operand.O ? footprint * outBits / 8.0 * top.writePjPerByte()
                        : footprint * w.storedBits(op) / 8.0 * top.readPjPerByte();
                if (h.levelIndex(op, h.chainLength(op) - 1) != h.levelCount() - 1) {
                    continue; // (the transfer bound counts the one backing store)
                }
                if (op == Operand.O) {
                    topWritten += footprint * outBits / 8.0;
                } else {
                    topRead += footprint * w.storedBits(op) / 8.0;
                }
            }
        }
        energy += copies(w, h, f, all, sharing, model);
        return new double[] {energy, CostModel.calcComputeCycles(w, iterations, sparse),
                transferCycles(h, sharing, topRead, topWritten)};
    }

    /** Cycles the backing store needs at least to read {@code read} and write {@code written} bytes. */
    private static double transferCycles(MemoryHierarchy h, Sharing sharing, double read, double written) {
        int top = h.levelCount() - 1;
        MemoryLevel m = h.memory(top);
        double bw = m.bandwidthBytesPerCycle();
        if (Double.isInfinite(bw) || read + written == 0) {
            return 0;
        }
        double instances = sharing.instances(top);
        if (!m.separatePorts()) {
            return (read + written) / bw / instances;
        }
        return Math.max(read / bw, written / Math.max(bw, m.writeBandwidthBytesPerCycle())) / instances;
    }

    private static boolean padded(Workload w, int[] f) {
        for (int d = 0; d < f.length; d++) {
            if (w.bounds()[d] % f[d] != 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Every weight and input an instance of a level below the backing store uses is written into that instance at
     * least once: per level, instances x the footprint one instance sees over all temporal iterations. Copies grow
     * with the unrolling of the operand's irrelevant dimensions (inputs in per-PE registers along K), which is what
     * separates unrollings when only energy counts. Left out (so the bound stays sound) for padded unrollings,
     * whose idle PEs need less, for resident operands (already on chip) and for sparse weights.
     */
    private static double copies(Workload w, MemoryHierarchy h, int[] f, long[] all, Sharing sharing,
                                 CostModel model) {
        if (padded(w, f) || w.weightDensity() < 1) {
            return 0;
        }
        double energy = 0;
        for (Operand op : new Operand[] {Operand.W, Operand.I}) {
            if (!w.operands().contains(op) || model.resident().contains(op)) {
                continue;
            }
            for (int j = 0; j < h.chainLength(op) - 1; j++) {
                int level = h.levelIndex(op, j);
                double elements = sharing.instances(level) * (double) Tiles.size(w, f, all, op, sharing.inner(level));
                energy += elements * w.storedBits(op) / 8.0 * h.level(op, j).writePjPerByte();
            }
        }
        return energy;
    }
}
