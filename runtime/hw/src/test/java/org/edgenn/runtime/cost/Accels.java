package org.edgenn.runtime.cost;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.edgenn.ir.accel.ArrayAxis;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.ir.accel.MemoryLevel;
import org.edgenn.ir.accel.Operand;

/** Small helpers to declare test accelerators tersely. */
final class Accels {
    private Accels() {
    }

    static ArrayAxis axis(String name, int size, LoopDim... dims) {
        return new ArrayAxis(name, size, dims.length == 0 ? Set.of() : EnumSet.of(dims[0], dims));
    }

    static MemoryLevel perPe(String name, long size, double rPj, double wPj, Operand... ops) {
        return new MemoryLevel(name, size, true, Double.POSITIVE_INFINITY, EnumSet.of(ops[0], ops), rPj, wPj);
    }

    static MemoryLevel shared(String name, long size, double bw, double rPj, double wPj, Operand... ops) {
        return new MemoryLevel(name, size, false, bw, EnumSet.of(ops[0], ops), rPj, wPj);
    }

    static MemoryLevel dram(double bw, double pj) {
        return new MemoryLevel("dram", MemoryLevel.UNBOUNDED, false, bw, EnumSet.allOf(Operand.class), pj, pj);
    }

    static List<Loop> loops(Object... dimFactor) {
        java.util.ArrayList<Loop> l = new java.util.ArrayList<>();
        for (int i = 0; i < dimFactor.length; i += 2) {
            l.add(new Loop((LoopDim) dimFactor[i], (Integer) dimFactor[i + 1]));
        }
        return l;
    }
}
