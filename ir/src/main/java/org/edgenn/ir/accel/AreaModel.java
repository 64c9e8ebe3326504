package org.edgenn.ir.accel;

import java.util.Map;

/**
 * The hardware cost of the hardware: silicon area of one PE and of one byte of each on-chip memory
 * level, as the accelerator declares them ({@code area per pe 419 um2}, {@code memory gbuf ... area
 * 0.0042 mm2/KiB}). A larger array or buffer is then not free: area is a budget and an objective.
 * The backing store (the last level, DRAM) is off chip and has no area.
 *
 * @param peUm2           area of one PE in µm²
 * @param um2PerByte      area of one byte of each on-chip level, by level name, in µm²
 */
public record AreaModel(double peUm2, Map<String, Double> um2PerByte) {
    public AreaModel {
        um2PerByte = Map.copyOf(um2PerByte);
    }

    /** The accelerator's area in mm²: PEs, then each bounded level (per-PE levels counted once per PE). */
    public double totalMm2(AcceleratorSpec spec) {
        double um2 = spec.peCount() * peUm2;
        for (MemoryLevel m : spec.memories()) {
            Double perByte = um2PerByte.get(m.name());
            if (perByte == null || m.isUnbounded()) {
                continue;
            }
            um2 += perByte * m.sizeBytes() * (m.perPe() ? spec.peCount() : 1);
        }
        return um2 * 1e-6;
    }
}
