package org.edgenn.generator.mapping;

import java.util.EnumSet;
import java.util.List;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.accel.ArrayAxis;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.ir.accel.MemoryLevel;
import org.edgenn.ir.accel.Operand;

/**
 * The two reference targets of {@code examples/src/main/edgenn/targets/} as Java values, for tests and benchmarks until the
 * {@code .edgenn} front end lands. The text files are the documented originals (with their sources); a test
 * keeps both in sync.
 */
public final class ReferenceTargets {
    private ReferenceTargets() {
    }

    /** {@code examples/src/main/edgenn/targets/tpu.edgenn}: 32x32 weight-stationary systolic array. */
    public static AcceleratorSpec tpuLike() {
        return new AcceleratorSpec("TpuLike", 8, 32, 700e6,
                List.of(new ArrayAxis("rows", 32, EnumSet.of(LoopDim.C)),
                        new ArrayAxis("cols", 32, EnumSet.of(LoopDim.K, LoopDim.G))),
                List.of(new MemoryLevel("wreg", 1, true, Double.POSITIVE_INFINITY, EnumSet.of(Operand.W), 0.01, 0.01),
                        new MemoryLevel("oreg", 4, true, Double.POSITIVE_INFINITY, EnumSet.of(Operand.O), 0.02, 0.02),
                        new MemoryLevel("gbuf", 256 * 1024, false, 128, EnumSet.allOf(Operand.class), 1.5, 1.8),
                        new MemoryLevel("dram", MemoryLevel.UNBOUNDED, false, 16, EnumSet.allOf(Operand.class),
                                80, 80)));
    }

    /** {@code examples/src/main/edgenn/targets/eyeriss.edgenn}: 12x14 row-stationary-ish array with per-PE scratchpads. */
    public static AcceleratorSpec eyerissLike() {
        return new AcceleratorSpec("EyerissLike", 8, 32, 200e6,
                List.of(new ArrayAxis("rows", 12, EnumSet.of(LoopDim.FY, LoopDim.C, LoopDim.K, LoopDim.G)),
                        new ArrayAxis("cols", 14, EnumSet.of(LoopDim.OY, LoopDim.OX))),
                List.of(new MemoryLevel("ispad", 24, true, Double.POSITIVE_INFINITY, EnumSet.of(Operand.I), 0.15, 0.15),
                        new MemoryLevel("wspad", 448, true, Double.POSITIVE_INFINITY, EnumSet.of(Operand.W), 0.15, 0.15),
                        new MemoryLevel("pspad", 48, true, Double.POSITIVE_INFINITY, EnumSet.of(Operand.O), 0.15, 0.15),
                        new MemoryLevel("glb", 108 * 1024, false, 32, EnumSet.of(Operand.I, Operand.O), 0.9, 0.9),
                        new MemoryLevel("dram", MemoryLevel.UNBOUNDED, false, 4, EnumSet.allOf(Operand.class),
                                30, 30)));
    }
}
