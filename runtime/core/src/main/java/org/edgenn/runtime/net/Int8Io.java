package org.edgenn.runtime.net;

import org.edgenn.runtime.quant.QuantParams;
import org.edgenn.runtime.tensor.ActivationBytes;

/**
 * Float ↔ int8 at a network's boundary, between the logical layout callers use (the {@code .edgenn} shapes,
 * row-major: images {@code [C, H, W]}) and the kernels' memory layout (images NHWC). Allocation-free. Values are held
 * at the quantization's width ({@link ActivationBytes}: int16 two bytes per value); offsets are in values.
 */
public final class Int8Io {
    private Int8Io() {}

    /** Quantizes one sample {@code x[xOff ..]} of logical {@code shape} into {@code q[qOff ..]} (NHWC for images). */
    public static void quantize(float[] x, int xOff, int[] shape, QuantParams quant, byte[] q, int qOff) {
        if (shape.length == 3) {
            int c = shape[0], h = shape[1], w = shape[2];
            for (int ch = 0; ch < c; ch++)
                for (int y = 0; y < h; y++)
                    for (int i = 0; i < w; i++) ActivationBytes.set(q, qOff + (y * w + i) * c + ch, quant.bits(), quant.quantize(x[xOff + (ch * h + y) * w + i]));
        } else {
            int n = size(shape);
            for (int i = 0; i < n; i++) ActivationBytes.set(q, qOff + i, quant.bits(), quant.quantize(x[xOff + i]));
        }
    }

    /** Dequantizes one sample {@code q[qOff ..]} (NHWC for images) into {@code x[xOff ..]} in logical order. */
    public static void dequantize(byte[] q, int qOff, int[] shape, QuantParams quant, float[] x, int xOff) {
        if (shape.length == 3) {
            int c = shape[0], h = shape[1], w = shape[2];
            for (int ch = 0; ch < c; ch++)
                for (int y = 0; y < h; y++)
                    for (int i = 0; i < w; i++) x[xOff + (ch * h + y) * w + i] = quant.dequantize(ActivationBytes.get(q, qOff + (y * w + i) * c + ch, quant.bits()));
        } else {
            int n = size(shape);
            for (int i = 0; i < n; i++) x[xOff + i] = quant.dequantize(ActivationBytes.get(q, qOff + i, quant.bits()));
        }
    }

    public static int size(int[] shape) {
        int n = 1;
        for (int d : shape) n *= d;
        return n;
    }
}
