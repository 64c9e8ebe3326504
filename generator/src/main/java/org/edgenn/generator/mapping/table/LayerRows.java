package org.edgenn.generator.mapping.table;

import java.util.ArrayList;
import java.util.List;
import org.edgenn.generator.mapping.LayerMapping;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.accel.MemoryLevel;
import org.edgenn.ir.accel.Operand;
import org.edgenn.runtime.cost.AccessCounts;
import org.edgenn.runtime.cost.CostResult;
import org.edgenn.runtime.cost.Mapping;
import org.edgenn.runtime.cost.MappingValidator;
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.edgenn.runtime.cost.Tiles;
import org.edgenn.runtime.cost.Workload;

/** Derived per-layer figures shared by the three table writers (so JSON, CSV and Markdown agree). */
final class LayerRows {
    private LayerRows() {
    }

    /** One (memory, operand) row of a layer: accesses, bytes, energy, and the tile the memory holds. */
    record Access(String memory, Operand operand, int cut, long tileElements, double tileBytes, long reads,
                  long writes, long finalReads, long finalWrites, double readBytes, double writeBytes,
                  double energyPj) {
    }

    static List<Access> accesses(LayerMapping l, MemoryHierarchy h) {
        Workload w = l.workload();
        CostResult c = l.cost();
        Mapping m = c.mapping();
        Tiles t = new Tiles(w, m.spatial().factors(), m.temporal());
        AccessCounts a = c.counts();
        List<Access> rows = new ArrayList<>();
        for (Operand op : w.operands()) {
            int[] cuts = m.cuts(op);
            for (int j = 0; j < h.chainLength(op); j++) {
                int lvl = h.levelIndex(op, j);
                MemoryLevel mem = h.memory(lvl);
                long elems = t.size(op, cuts[j], m.sharing(h).inner(lvl));
                double rb = a.readBytes(lvl, op, w);
                double wb = a.writeBytes(lvl, op, w);
                rows.add(new Access(mem.name(), op, cuts[j], elems, elems * w.storedBits(op) / 8.0,
                        a.reads(lvl, op), a.writes(lvl, op), a.get(lvl, op, AccessCounts.Kind.FINAL_READ),
                        a.get(lvl, op, AccessCounts.Kind.FINAL_WRITE), rb, wb,
                        rb * mem.readPjPerByte() + wb * mem.writePjPerByte()));
            }
        }
        return rows;
    }

    /**
     * The layer's weights in bytes at their declared width: the product of the loop bounds relevant to W (the tensor
     * itself, without the padding spatial unrolling adds to tiles) × bits / 8; 0 for layers without weights.
     */
    static double weightBytes(LayerMapping l) {
        Workload w = l.workload();
        if (!w.has(Operand.W)) {
            return 0;
        }
        double elements = 1;
        for (org.edgenn.ir.accel.LoopDim d : org.edgenn.ir.accel.LoopDim.values()) {
            if (org.edgenn.runtime.cost.Relevance.relevant(Operand.W, d)) {
                elements *= w.bound(d);
            }
        }
        return elements * w.weightBits() / 8.0;
    }

    /**
     * The weight values as the target stores them: {@link #weightBytes} × the density when the target keeps only the
     * non-zeros (a compressed format of its {@code sparse weights} line that applies to this layer), else dense.
     */
    static double storedWeightBytes(LayerMapping l, org.edgenn.ir.accel.SparseSupport sparse) {
        double density = l.workload().weightDensity();
        boolean compressed = sparse.appliesTo(density).format() != org.edgenn.ir.accel.SparseSupport.Format.DENSE;
        return weightBytes(l) * (compressed ? density : 1);
    }

    /** The stored format's metadata (bitmask, offsets, N:M indices): stored bytes beyond {@link #storedWeightBytes}. */
    static double weightIndexBytes(LayerMapping l, org.edgenn.ir.accel.SparseSupport sparse) {
        double stored = weightBytes(l) / l.workload().weightBits() * l.workload().storedBits(Operand.W);
        return stored - storedWeightBytes(l, sparse);
    }

    /** Bytes each memory instance holds under the layer's mapping, in memory order. */
    static double[] occupancy(LayerMapping l, MemoryHierarchy h) {
        Mapping m = l.cost().mapping();
        Tiles t = new Tiles(l.workload(), m.spatial().factors(), m.temporal());
        double[] b = new double[h.levelCount()];
        for (int lvl = 0; lvl < b.length; lvl++) {
            b[lvl] = MappingValidator.tileBytes(l.workload(), h, m, t, lvl);
        }
        return b;
    }

    static List<String> memoryNames(AcceleratorSpec spec) {
        return spec.memories().stream().map(MemoryLevel::name).toList();
    }
}
