package org.edgenn.ir.accel;

import java.util.Set;

/**
 * One level of an accelerator's memory hierarchy.
 *
 * @param sizeBytes           capacity of one instance in bytes; {@link #UNBOUNDED} for DRAM
 * @param perPe               true when every PE has its own instance (private, e.g. register files);
 *                            false for one instance shared by the whole array
 * @param bandwidthBytesPerCycle bytes per clock cycle for one instance; {@link Double#POSITIVE_INFINITY} if not limiting
 * @param holds               the operands this level stores
 * @param readPjPerByte       energy of reading one byte, in picojoules
 * @param writePjPerByte      energy of writing one byte, in picojoules
 */
public record MemoryLevel(String name, long sizeBytes, boolean perPe, double bandwidthBytesPerCycle,
                          Set<Operand> holds, double readPjPerByte, double writePjPerByte) {
    public static final long UNBOUNDED = Long.MAX_VALUE;

    public MemoryLevel {
        holds = Set.copyOf(holds);
    }

    public boolean isUnbounded() {
        return sizeBytes == UNBOUNDED;
    }
}
