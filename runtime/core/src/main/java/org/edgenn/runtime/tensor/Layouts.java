package org.edgenn.runtime.tensor;

/** Layout conversions between ONNX/PyTorch order and the kernels' order. */
public final class Layouts {
    private Layouts() {}

    public static void nchwToNhwc(byte[] src, byte[] dst, int n, int c, int h, int w) {
        check(src, dst, (long) n * c * h * w);
        for (int b = 0; b < n; b++)
            for (int ch = 0; ch < c; ch++)
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++)
                        dst[((b * h + y) * w + x) * c + ch] = src[((b * c + ch) * h + y) * w + x];
    }

    public static void nhwcToNchw(byte[] src, byte[] dst, int n, int h, int w, int c) {
        check(src, dst, (long) n * c * h * w);
        for (int b = 0; b < n; b++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    for (int ch = 0; ch < c; ch++)
                        dst[((b * c + ch) * h + y) * w + x] = src[((b * h + y) * w + x) * c + ch];
    }

    /** Conv weights from ONNX's OIHW ([K][C/g][FY][FX]) to the kernels' OHWI ([K][FY][FX][C/g]). */
    public static byte[] oihwToOhwi(byte[] w, int k, int cg, int fy, int fx) {
        check(w, w, (long) k * cg * fy * fx);
        byte[] out = new byte[w.length];
        for (int o = 0; o < k; o++)
            for (int i = 0; i < cg; i++)
                for (int y = 0; y < fy; y++)
                    for (int x = 0; x < fx; x++)
                        out[((o * fy + y) * fx + x) * cg + i] = w[((o * cg + i) * fy + y) * fx + x];
        return out;
    }

    private static void check(byte[] src, byte[] dst, long size) {
        if (src.length != size || dst.length != size) {
            throw new IllegalArgumentException("buffers of " + src.length + " and " + dst.length + " bytes, shape needs " + size);
        }
    }
}
