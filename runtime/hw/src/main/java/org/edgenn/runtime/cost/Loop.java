package org.edgenn.runtime.cost;

import org.edgenn.ir.accel.LoopDim;

/** One loop of a mapping: {@code for dim in 0..factor}. */
public record Loop(LoopDim dim, int factor) {
    public Loop {
        if (dim == null) {
            throw new IllegalArgumentException("loop dimension is missing");
        }
        if (factor < 1) {
            throw new IllegalArgumentException("loop factor must be >= 1, got " + factor + " for " + dim);
        }
    }

    @Override
    public String toString() {
        return dim + " " + factor;
    }
}
