package org.edgenn.runtime.tensor;

import java.util.Arrays;
import org.edgenn.runtime.quant.QuantParams;

/**
 * A 4-d int8 activation tensor with per-tensor quantization. A thin, validated view over a
 * {@code byte[]} (no copy): the kernels take the raw arrays so generated code can reuse
 * preallocated buffers.
 */
public record Int8Tensor(byte[] data, int n, int h, int w, int c, Layout layout, QuantParams quant) {
    public Int8Tensor {
        if (n <= 0 || h <= 0 || w <= 0 || c <= 0) {
            throw new IllegalArgumentException("dimensions must be positive: " + n + "x" + h + "x" + w + "x" + c);
        }
        long size = (long) n * h * w * c;
        if (data == null || data.length != size) {
            throw new IllegalArgumentException("buffer holds " + (data == null ? 0 : data.length)
                    + " bytes, shape " + n + "x" + h + "x" + w + "x" + c + " needs " + size);
        }
    }

    public static Int8Tensor allocate(int n, int h, int w, int c, Layout layout, QuantParams quant) {
        return new Int8Tensor(new byte[Math.multiplyExact(Math.multiplyExact(n, h), Math.multiplyExact(w, c))],
                n, h, w, c, layout, quant);
    }

    public int size() {
        return data.length;
    }

    /** Element (n, y, x, ch) whatever the layout. */
    public byte get(int in, int y, int x, int ch) {
        return data[index(in, y, x, ch)];
    }

    public int index(int in, int y, int x, int ch) {
        return layout == Layout.NHWC ? ((in * h + y) * w + x) * c + ch : ((in * c + ch) * h + y) * w + x;
    }

    /** A copy in the other layout (same quantization). */
    public Int8Tensor toLayout(Layout target) {
        if (target == layout) return this;
        byte[] out = new byte[data.length];
        if (layout == Layout.NCHW) Layouts.nchwToNhwc(data, out, n, c, h, w);
        else Layouts.nhwcToNchw(data, out, n, h, w, c);
        return new Int8Tensor(out, n, h, w, c, target, quant);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Int8Tensor t && t.n == n && t.h == h && t.w == w && t.c == c && t.layout == layout
                && t.quant.equals(quant) && Arrays.equals(t.data, data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data) * 31 + layout.hashCode();
    }

    @Override
    public String toString() {
        return "Int8Tensor[" + n + "x" + h + "x" + w + "x" + c + " " + layout + " " + quant + "]";
    }
}
