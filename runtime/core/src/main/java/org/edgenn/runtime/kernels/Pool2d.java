package org.edgenn.runtime.kernels;

/**
 * A prepared max or average pool over NHWC int8 (input and output share quantization).
 * Padded taps are excluded (max over, and average divided by, the valid taps only); the
 * average rounds to nearest, ties away from zero (TFLite). Every window must contain at least
 * one valid tap, so each padding must be smaller than the filter.
 *
 * <p>Not thread-safe: an average pool owns a scratch row of per-channel sums. Use one instance per thread.
 */
public final class Pool2d {
    public enum Kind { MAX, AVG }

    private final Kind kind;
    private final int n, h, w, c, fy, fx, strideY, strideX, padTop, padLeft, outH, outW;
    private final KernelFactory factory;
    private final int[] sums;

    private Pool2d(Kind kind, int n, int h, int w, int c, int fy, int fx, int sy, int sx,
                   int pt, int pl, int pb, int pr, Backend backend) {
        if (kind == null || n <= 0 || h <= 0 || w <= 0 || c <= 0 || fy <= 0 || fx <= 0 || sy <= 0 || sx <= 0) {
            throw new IllegalArgumentException("Pool2d: sizes and strides must be positive");
        }
        if (pt < 0 || pl < 0 || pb < 0 || pr < 0 || pt >= fy || pb >= fy || pl >= fx || pr >= fx) {
            throw new IllegalArgumentException("Pool2d: paddings must be in [0, filter size)");
        }
        if (h + pt + pb < fy || w + pl + pr < fx) throw new IllegalArgumentException("Pool2d: filter larger than padded input");
        this.kind = kind;
        this.n = n; this.h = h; this.w = w; this.c = c; this.fy = fy; this.fx = fx;
        this.strideY = sy; this.strideX = sx; this.padTop = pt; this.padLeft = pl;
        this.outH = (h + pt + pb - fy) / sy + 1;
        this.outW = (w + pl + pr - fx) / sx + 1;
        this.factory = KernelBackend.factory(backend);
        this.sums = kind == Kind.AVG ? new int[c] : null;
    }

    public static Pool2d prepare(Kind kind, int n, int h, int w, int c, int fy, int fx, int sy, int sx,
                                 int pt, int pl, int pb, int pr, Backend backend) {
        return new Pool2d(kind, n, h, w, c, fy, fx, sy, sx, pt, pl, pb, pr, backend);
    }

    public static Pool2d prepare(Kind kind, int n, int h, int w, int c, int fy, int fx, int sy, int sx, int pad) {
        return new Pool2d(kind, n, h, w, c, fy, fx, sy, sx, pad, pad, pad, pad, KernelBackend.defaultBackend());
    }

    public void run(byte[] in, byte[] out) {
        Ops.checkLen(in, (long) n * h * w * c, "Pool2d input");
        Ops.checkLen(out, (long) n * outH * outW * c, "Pool2d output");
        if (kind == Kind.MAX) factory.maxPool(this, in, out);
        else factory.avgPool(this, in, out);
    }

    /** Valid tap range along one axis for output coordinate o: {first, end} (end exclusive). */
    public int firstY(int oy) { return Math.max(0, oy * strideY - padTop); }
    public int endY(int oy) { return Math.min(h, oy * strideY - padTop + fy); }
    public int firstX(int ox) { return Math.max(0, ox * strideX - padLeft); }
    public int endX(int ox) { return Math.min(w, ox * strideX - padLeft + fx); }

    /** Scratch of {@code c} per-channel window sums for an average pool's kernel (null for max pooling); kernels only. */
    public int[] sums() { return sums; }

    public Kind kind() { return kind; }
    public int fy() { return fy; }
    public int fx() { return fx; }
    public int strideY() { return strideY; }
    public int strideX() { return strideX; }
    public int padTop() { return padTop; }
    public int padLeft() { return padLeft; }
    public int n() { return n; }
    public int h() { return h; }
    public int w() { return w; }
    public int c() { return c; }
    public int outH() { return outH; }
    public int outW() { return outW; }
    public int outputSize() { return n * outH * outW * c; }
}
