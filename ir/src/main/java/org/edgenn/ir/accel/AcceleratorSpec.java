package org.edgenn.ir.accel;

import java.util.List;

/**
 * An accelerator as declared in a {@code .edgenn} file: a PE array of 1 to 3 axes, the MAC
 * precision and accumulator width, a clock, and memory levels listed innermost first (the last
 * level is the backing store, normally DRAM, and holds every operand).
 *
 * @param macBits        operand width of one MAC in bits (8 for int8)
 * @param accumulatorBits accumulator width in bits; accumulators saturate at this width
 * @param clockHz        clock frequency in hertz
 * @param area           silicon area of the PEs and on-chip memories, or null when the accelerator declares none
 */
public record AcceleratorSpec(String name, int macBits, int accumulatorBits, double clockHz,
                              List<ArrayAxis> axes, List<MemoryLevel> memories, AreaModel area) {
    public AcceleratorSpec {
        axes = List.copyOf(axes);
        memories = List.copyOf(memories);
    }

    /** An accelerator that declares no area. */
    public AcceleratorSpec(String name, int macBits, int accumulatorBits, double clockHz,
                           List<ArrayAxis> axes, List<MemoryLevel> memories) {
        this(name, macBits, accumulatorBits, clockHz, axes, memories, null);
    }

    /** Silicon area in mm²: every PE plus every on-chip memory level (per-PE levels once per PE); NaN without an area model. */
    public double areaMm2() {
        return area == null ? Double.NaN : area.totalMm2(this);
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
