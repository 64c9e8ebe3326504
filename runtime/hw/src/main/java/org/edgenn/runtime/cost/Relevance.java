package org.edgenn.runtime.cost;

import org.edgenn.ir.accel.LoopDim;
import org.edgenn.ir.accel.Operand;

/**
 * Which loop dimensions index which operand. Changing a relevant index changes the operand element;
 * iterating an irrelevant loop reuses it (the source of all temporal and spatial reuse).
 * For inputs, OY/FY and OX/FX are only partially relevant (they combine into IY/IX); they count as
 * relevant here and {@link Tiles} computes the exact sliding-window footprint.
 */
public final class Relevance {
    private static final boolean[][] TABLE = new boolean[Operand.values().length][LoopDim.values().length];

    static {
        set(Operand.W, LoopDim.G, LoopDim.K, LoopDim.C, LoopDim.FY, LoopDim.FX);
        set(Operand.I, LoopDim.N, LoopDim.G, LoopDim.C, LoopDim.OY, LoopDim.OX, LoopDim.FY, LoopDim.FX);
        set(Operand.O, LoopDim.N, LoopDim.G, LoopDim.K, LoopDim.OY, LoopDim.OX);
    }

    private Relevance() {
    }

    private static void set(Operand op, LoopDim... dims) {
        for (LoopDim d : dims) {
            TABLE[op.ordinal()][d.ordinal()] = true;
        }
    }

    public static boolean relevant(Operand op, LoopDim d) {
        return TABLE[op.ordinal()][d.ordinal()];
    }
}
