package org.edgenn.runtime.kernels.vector;

import org.edgenn.runtime.kernels.Conv2d;
import org.edgenn.runtime.kernels.KernelFactory;
import org.edgenn.runtime.quant.RequantMode;

/**
 * {@link KernelFactory.OutputStage} of the vector family: the convolution kernels' own exact requantization
 * ({@link VecQuant}) applied to accumulators computed elsewhere. Double rounding goes {@link #ROWS} pixels per call
 * (the per-channel parameters are loaded once per block); each call is a small leaf, as the warm-up rule asks.
 */
final class VectorOutputStage implements KernelFactory.OutputStage {
    /** Pixels requantized together in double-rounding mode. */
    private static final int ROWS = 8;

    private final VecQuant.Params params;
    private final int k;

    VectorOutputStage(Conv2d layer) {
        k = layer.spec().k();
        int[] map = new int[(k + VecQuant.L - 1) / VecQuant.L * VecQuant.L];
        for (int j = 0; j < map.length; j++) map[j] = j < k ? j : -1;
        params = VecQuant.Params.of(layer.requantizer(), k, map);
        if (PAD < VecQuant.L) throw new IllegalStateException("OutputStage.PAD below the vector length " + VecQuant.L);
    }

    @Override
    public void run(int[] acc, int a, int[] offset, byte[] out, int o, int pixels) {
        if (params.mode == RequantMode.DOUBLE_ROUNDING) {
            for (int p = 0; p < pixels; p += ROWS) {
                int rows = Math.min(ROWS, pixels - p);
                VecQuant.requantizeDoubleRows(acc, a + p * k, k, rows, offset, params, 0, out, o + p * k, k, k);
            }
        } else if (params.mode == RequantMode.SINGLE_ROUNDING) {
            for (int p = 0; p < pixels; p++) VecQuant.requantizeLong(acc, a + p * k, offset, params, 0, out, o + p * k, k);
        } else {
            for (int p = 0; p < pixels; p++) VecQuant.requantizeFloat(acc, a + p * k, offset, params, 0, out, o + p * k, k);
        }
    }
}
