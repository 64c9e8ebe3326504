package org.edgenn.ir.accel;

import java.util.List;

/**
 * An accelerator as declared in a {@code .edgenn} file: a PE array of one or more axes, the MAC
 * precision and accumulator width, a clock, and memory levels listed innermost first (the last
 * level is the backing store, normally DRAM, and holds every operand).
 *
 * @param macBits        operand width of one MAC in bits (8 for int8; any width from 1 to 32, e.g. 12)
 * @param accumulatorBits accumulator (and partial-sum) width in bits, from 2 to 32 (e.g. 24); a sum past it saturates,
 *                       or wraps when {@code wraps}
 * @param clockHz        clock frequency in hertz
 * @param macEnergyPj    energy of one MAC in picojoules; {@code NaN} when the description does not declare it
 * @param area           silicon area of the PEs and on-chip memories, or null when the accelerator declares none
 * @param sparse         what the hardware does with zero weights ({@link SparseSupport#NONE}: dense hardware)
 * @param wraps          true when a sum past the accumulator width wraps (two's complement, {@code accumulator int24
 *                       wrap}); false (the default) when it saturates
 */
public record AcceleratorSpec(String name, int macBits, int accumulatorBits, double clockHz,
                              List<ArrayAxis> axes, List<MemoryLevel> memories, double macEnergyPj, AreaModel area,
                              SparseSupport sparse, boolean wraps) {
    public AcceleratorSpec {
        axes = List.copyOf(axes);
        memories = List.copyOf(memories);
        sparse = sparse == null ? SparseSupport.NONE : sparse;
    }

    /** Saturating accumulators. */
    public AcceleratorSpec(String name, int macBits, int accumulatorBits, double clockHz,
                           List<ArrayAxis> axes, List<MemoryLevel> memories, double macEnergyPj, AreaModel area,
                           SparseSupport sparse) {
        this(name, macBits, accumulatorBits, clockHz, axes, memories, macEnergyPj, area, sparse, false);
    }

    /** Dense hardware. */
    public AcceleratorSpec(String name, int macBits, int accumulatorBits, double clockHz,
                           List<ArrayAxis> axes, List<MemoryLevel> memories, double macEnergyPj, AreaModel area) {
        this(name, macBits, accumulatorBits, clockHz, axes, memories, macEnergyPj, area, SparseSupport.NONE);
    }

    /** The same accelerator with sparse support {@code s}. */
    public AcceleratorSpec withSparse(SparseSupport s) {
        return new AcceleratorSpec(name, macBits, accumulatorBits, clockHz, axes, memories, macEnergyPj, area, s, wraps);
    }

    /** The same accelerator with other memory levels (everything else kept). */
    public AcceleratorSpec withMemories(List<MemoryLevel> levels) {
        return new AcceleratorSpec(name, macBits, accumulatorBits, clockHz, axes, levels, macEnergyPj, area, sparse, wraps);
    }

    /** An accelerator that declares neither its MAC energy nor its area. */
    public AcceleratorSpec(String name, int macBits, int accumulatorBits, double clockHz,
                           List<ArrayAxis> axes, List<MemoryLevel> memories) {
        this(name, macBits, accumulatorBits, clockHz, axes, memories, Double.NaN, null);
    }

    /** An accelerator that declares its area but not its MAC energy. */
    public AcceleratorSpec(String name, int macBits, int accumulatorBits, double clockHz,
                           List<ArrayAxis> axes, List<MemoryLevel> memories, AreaModel area) {
        this(name, macBits, accumulatorBits, clockHz, axes, memories, Double.NaN, area);
    }

    /** An accelerator that declares its MAC energy but not its area. */
    public AcceleratorSpec(String name, int macBits, int accumulatorBits, double clockHz,
                           List<ArrayAxis> axes, List<MemoryLevel> memories, double macEnergyPj) {
        this(name, macBits, accumulatorBits, clockHz, axes, memories, macEnergyPj, null);
    }

    /** Silicon area in mm²: every PE plus every on-chip memory level (per-PE levels once per PE); NaN without an area model. */
    public double areaMm2() {
        return area == null ? Double.NaN : area.totalMm2(this);
    }

    /** The declared MAC energy, or {@code fallback} when the description has none. */
    public double macEnergyPjOr(double fallback) {
        return Double.isNaN(macEnergyPj) ? fallback : macEnergyPj;
    }

    /** Number of PEs: the product of the axis sizes. */
    public int peCount() {
        int n = 1;
        for (ArrayAxis a : axes) {
            n *= a.size();
        }
        return n;
    }

    /** The memory levels holding {@code operand}, innermost first. */
    public List<MemoryLevel> levelsHolding(Operand operand) {
        return memories.stream().filter(m -> m.holds().contains(operand)).toList();
    }
}
