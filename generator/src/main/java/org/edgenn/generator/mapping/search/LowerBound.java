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
            if (op == Operand.O) {
                // final writes may be at output precision; partial read-backs could be none
                energy += Math.min(w.bits(op), w.outputBits()) / (double) w.bits(op) * bytes * l0.writePjPerByte();
            } else if (!zigzag) {
                energy += bytes * l0.readPjPerByte();
            }
            if (h.chainLength(op) > 1 && !model.resident().contains(op)) { // a resident operand never crosses it
                MemoryLevel top = h.level(op, h.chainLength(op) - 1);
                double footprint = Tiles.size(w, f, all, op, true);
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
}
