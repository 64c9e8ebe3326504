package org.edgenn.runtime.kernels.vector;

import org.edgenn.runtime.quant.RequantMode;

/** Requantization of a run of output pixels of the Winograd kernel, one implementation per mode ({@link #of}). */
final class WinogradRows {
    private WinogradRows() {}

    /**
     * Requantization of one output row, one implementation per mode, called through an interface: with all three
     * modes in one JVM (the test suite) a method holding all three inlined them together, exceeded C2's inlining budget
     * and ran the single-rounding Vector API calls as allocating Java code; a call site that sees several
     * implementations is not inlined, so each mode is compiled on its own.
     */
    interface RowOut {
        /** Requantizes {@code pixels} pixels of k values y at ybuf[a + p·kp ..] plus bias to out[o + p·outStride ..]. */
        void emit(int[] ybuf, int a, int kp, int[] bias, VecQuant.Params rq, byte[] out, int o, int outStride, int k, int pixels);
    }

    /** The row requantization of rq's mode. */
    static RowOut of(VecQuant.Params rq) {
        return rq.mode == RequantMode.DOUBLE_ROUNDING ? new DoubleRows()
                : rq.mode == RequantMode.FLOAT_SCALE ? new FloatRows() : new SingleRows();
    }

    private static final class DoubleRows implements RowOut {
        @Override
        public void emit(int[] ybuf, int a, int kp, int[] bias, VecQuant.Params rq, byte[] out, int o, int outStride, int k, int pixels) {
            for (int p = 0; p < pixels; p += 8) {
                VecQuant.requantizeDoubleRows(ybuf, a + p * kp, kp, Math.min(8, pixels - p), bias, rq, 0, out, o + p * outStride, outStride, k);
            }
        }
    }

    private static final class SingleRows implements RowOut {
        @Override
        public void emit(int[] ybuf, int a, int kp, int[] bias, VecQuant.Params rq, byte[] out, int o, int outStride, int k, int pixels) {
            // requantizeSingle itself, not requantizeLong's mode switch: inlined with both modes (the direct kernel's
            // profile makes both hot), the last single-rounding vector calls ran as allocating Java code in the suite
            for (int p = 0; p < pixels; p++) VecQuant.requantizeSingle(ybuf, a + p * kp, bias, rq, 0, out, o + p * outStride, k);
        }
    }

    private static final class FloatRows implements RowOut {
        @Override
        public void emit(int[] ybuf, int a, int kp, int[] bias, VecQuant.Params rq, byte[] out, int o, int outStride, int k, int pixels) {
            for (int p = 0; p < pixels; p++) VecQuant.requantizeFloat(ybuf, a + p * kp, bias, rq, 0, out, o + p * outStride, k);
        }
    }

}
