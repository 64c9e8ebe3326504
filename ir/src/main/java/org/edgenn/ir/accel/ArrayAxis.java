package org.edgenn.ir.accel;

import java.util.Set;

/**
 * One axis of the PE array: its size and the loop dimensions the mapper may unroll on it
 * (spatially, one dimension or a product of several whose factors multiply to at most {@code size}).
 */
public record ArrayAxis(String name, int size, Set<LoopDim> unrolls) {
    public ArrayAxis {
        if (size < 1) {
            throw new IllegalArgumentException("array axis " + name + " must have at least one PE, got " + size);
        }
        unrolls = Set.copyOf(unrolls);
    }
}
