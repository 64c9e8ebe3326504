package org.edgenn.onnx.export;

/**
 * EdgeNN's memory order of images is channel-last (HWC), ONNX's is channel-first (CHW); activations are int8 in
 * EdgeNN and uint8 in the exported model (the zero point shifted by 128: the same real values, ONNX Runtime's fast
 * u8×s8 kernels).
 */
public final class Nchw {
    private Nchw() {
    }

    /** Logical shape ({@code [C, H, W]} or a vector's {@code [F]}) → NCHW with batch 1 ({@code [1, F, 1, 1]}). */
    public static long[] shape(int[] shape) {
        if (shape.length == 3) return new long[] {1, shape[0], shape[1], shape[2]};
        long f = 1;
        for (int d : shape) f *= d;
        return new long[] {1, f, 1, 1};
    }

    /** HWC → CHW for an image of logical shape {@code [C, H, W]}; vectors are copied. */
    public static byte[] fromNhwc(byte[] nhwc, int[] shape) {
        if (shape.length != 3) return nhwc.clone();
        int c = shape[0], h = shape[1], w = shape[2];
        byte[] out = new byte[nhwc.length];
        for (int ch = 0; ch < c; ch++)
            for (int i = 0; i < h * w; i++) out[ch * h * w + i] = nhwc[i * c + ch];
        return out;
    }

    /** CHW → HWC. */
    public static byte[] toNhwc(byte[] nchw, int c, int h, int w) {
        byte[] out = new byte[nchw.length];
        for (int ch = 0; ch < c; ch++)
            for (int i = 0; i < h * w; i++) out[i * c + ch] = nchw[ch * h * w + i];
        return out;
    }

    /** s8 → u8 by the zero-point shift: {@code x_u8 = x_s8 + 128}. */
    public static byte[] toU8(byte[] s8) {
        byte[] u = new byte[s8.length];
        for (int i = 0; i < s8.length; i++) u[i] = (byte) (s8[i] + 128);
        return u;
    }

    /** u8 → s8, the inverse of {@link #toU8}. */
    public static byte[] toS8(byte[] u8) {
        byte[] s = new byte[u8.length];
        for (int i = 0; i < u8.length; i++) s[i] = (byte) (u8[i] - 128);
        return s;
    }
}
