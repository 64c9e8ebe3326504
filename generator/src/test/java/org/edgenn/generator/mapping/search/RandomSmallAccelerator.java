package org.edgenn.generator.mapping.search;

import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.accel.ArrayAxis;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.ir.accel.MemoryLevel;
import org.edgenn.ir.accel.Operand;
import org.edgenn.runtime.cost.Workload;

/**
 * The small random accelerator the search tests draw: a 2-4 x 2-4 array (K on the rows, C or OX on the columns), a
 * per-PE register of 8-32 B, a 1 MiB buffer of 4-16 B/cycle (tests resize it) and DRAM of {@code dramBase << 0..}
 * B/cycle. The draws come in a fixed order, so a seed gives the same accelerator in every test that uses it.
 */
final class RandomSmallAccelerator {
    private RandomSmallAccelerator() {
    }

    /** DRAM bandwidth {@code dramBase << r.nextInt(dramChoices)} B/cycle. */
    static AcceleratorSpec draw(Random r, int dramBase, int dramChoices) {
        return new AcceleratorSpec("a", 8, 32, 1e8,
                List.of(new ArrayAxis("rows", 2 + r.nextInt(3), EnumSet.of(LoopDim.K)),
                        new ArrayAxis("cols", 2 + r.nextInt(3), EnumSet.of(r.nextBoolean() ? LoopDim.C : LoopDim.OX))),
                List.of(new MemoryLevel("rf", 8 << r.nextInt(3), true, Double.POSITIVE_INFINITY,
                                EnumSet.allOf(Operand.class), 0.03, 0.03),
                        new MemoryLevel("gbuf", 1 << 20, false, 4 << r.nextInt(3), EnumSet.allOf(Operand.class), 1.5, 1.8),
                        new MemoryLevel("dram", MemoryLevel.UNBOUNDED, false, dramBase << r.nextInt(dramChoices),
                                EnumSet.allOf(Operand.class), 80, 80)));
    }

    /**
     * A small random layer for those accelerators: a conv ({@code i % 3 == 0}, stride 1-2), a depthwise conv or a dense
     * layer, 1x1 or 3x3 windows, int8 operands and 32-bit partial sums.
     */
    static Workload nest(Random r, int i) {
        Workload.Precision p = Workload.Precision.int8(32);
        int k = 1 + r.nextInt(24);
        int c = 1 + r.nextInt(24);
        int oy = 1 + r.nextInt(9);
        int ox = 1 + r.nextInt(9);
        int f = 1 + 2 * r.nextInt(2);
        return switch (i % 3) {
            case 0 -> Workload.conv("conv" + i, 1, k, c, oy, ox, f, f, 1 + r.nextInt(2), 0, p);
            case 1 -> Workload.depthwise("dw" + i, 1, c, oy, ox, f, f, 1, 0, p);
            default -> Workload.dense("fc" + i, 1 + r.nextInt(3), k * 8, c * 8, p);
        };
    }
}
