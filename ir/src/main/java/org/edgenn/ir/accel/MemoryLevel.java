package org.edgenn.ir.accel;

import java.util.Set;

/**
 * One level of an accelerator's memory hierarchy.
 *
 * @param sizeBytes           capacity of one instance in bytes, a whole number of bits (ZigZag sizes memories in bits: a
 *                            4-bit weight register is 0.5; exact in a double up to 2^50 bytes); {@link #UNBOUNDED}
 *                            for DRAM
 * @param perPe               true when every PE has its own instance (private, e.g. register files)
 * @param bandwidthBytesPerCycle bytes per clock cycle for one instance (its read port when
 *                            {@code writeBandwidthBytesPerCycle} is set, else one port for reads and writes);
 *                            {@link Double#POSITIVE_INFINITY} if not limiting
 * @param holds               the operands this level stores
 * @param readPjPerByte       energy of reading one byte, in picojoules
 * @param writePjPerByte      energy of writing one byte, in picojoules
 * @param sharedAlong         the array axes one instance serves (ZigZag's {@code served_dimensions}): empty
 *                            for a per-PE level and for a level shared by the whole array (then
 *                            {@code perPe} tells which); otherwise one instance per position on the other
 *                            axes, serving every PE along these
 * @param writeBandwidthBytesPerCycle bytes per cycle of a separate write port; {@code NaN} when reads and writes
 *                            share the one port of {@code bandwidthBytesPerCycle}
 * @param wordBits            the smallest access in bits (ZigZag's {@code bandwidth_min}): what one instance moves per
 *                            transfer is charged in whole words of this width; 0 when energy is charged per bit moved
 */
public record MemoryLevel(String name, double sizeBytes, boolean perPe, double bandwidthBytesPerCycle,
                          Set<Operand> holds, double readPjPerByte, double writePjPerByte, Set<String> sharedAlong,
                          double writeBandwidthBytesPerCycle, int wordBits) {
    public static final long UNBOUNDED = Long.MAX_VALUE;

    public MemoryLevel {
        holds = Set.copyOf(holds);
        sharedAlong = Set.copyOf(sharedAlong);
        if (perPe && !sharedAlong.isEmpty()) {
            throw new IllegalArgumentException("memory " + name + " cannot be per PE and shared along " + sharedAlong);
        }
        if (wordBits < 0) {
            throw new IllegalArgumentException("memory " + name + ": word width must be >= 0 bits, got " + wordBits);
        }
    }

    /** A level without a word width (energy per bit moved). */
    public MemoryLevel(String name, double sizeBytes, boolean perPe, double bandwidthBytesPerCycle,
                       Set<Operand> holds, double readPjPerByte, double writePjPerByte, Set<String> sharedAlong,
                       double writeBandwidthBytesPerCycle) {
        this(name, sizeBytes, perPe, bandwidthBytesPerCycle, holds, readPjPerByte, writePjPerByte, sharedAlong,
                writeBandwidthBytesPerCycle, 0);
    }

    /** This level with another capacity (everything else kept). */
    public MemoryLevel withSizeBytes(double bytes) {
        return new MemoryLevel(name, bytes, perPe, bandwidthBytesPerCycle, holds, readPjPerByte, writePjPerByte,
                sharedAlong, writeBandwidthBytesPerCycle, wordBits);
    }

    /**
     * Bytes charged for moving {@code bits} in one transfer of one instance: rounded up to whole words when the level
     * has a word width, else exactly {@code bits / 8}.
     */
    public double chargedBytes(double bits) {
        if (wordBits == 0 || bits <= 0) {
            return bits / 8.0;
        }
        return Math.ceil(bits / wordBits - 1e-9) * wordBits / 8.0;
    }

    /** A level private to each PE ({@code perPe}) or shared by the whole array, one port. */
    public MemoryLevel(String name, double sizeBytes, boolean perPe, double bandwidthBytesPerCycle,
                       Set<Operand> holds, double readPjPerByte, double writePjPerByte) {
        this(name, sizeBytes, perPe, bandwidthBytesPerCycle, holds, readPjPerByte, writePjPerByte, Set.of(),
                Double.NaN);
    }

    /** The size as written for people: {@code 64 B}, or {@code 12 bit} when it is not a whole number of bytes. */
    public String sizeText() {
        double bits = sizeBytes * 8;
        if (bits == Math.rint(bits) && bits % 8 != 0 && bits < 1e15) {
            return (long) bits + " bit";
        }
        return sizeBytes == Math.rint(sizeBytes) && sizeBytes < 1e15 ? (long) sizeBytes + " B" : sizeBytes + " B";
    }

    public boolean isUnbounded() {
        return sizeBytes == UNBOUNDED;
    }

    /** True when one instance serves every PE along array axis {@code axis}. */
    public boolean sharesAlong(String axis) {
        return !perPe && (sharedAlong.isEmpty() || sharedAlong.contains(axis));
    }

    /** True when reads and writes have ports of their own. */
    public boolean separatePorts() {
        return !Double.isNaN(writeBandwidthBytesPerCycle);
    }
}
