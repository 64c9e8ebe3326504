package org.edgenn.runtime.kernels;

/**
 * Static geometry of a 2-d convolution over NHWC int8 activations.
 * Weights are [K][FY][FX][C/groups] (OHWI). Depthwise is {@code groups == c}, {@code k == c·m}.
 * Output size: {@code OH = (H + padTop + padBottom − dilationY·(FY−1) − 1) / strideY + 1} (same for W).
 */
public record Conv2dSpec(int n, int h, int w, int c, int k, int fy, int fx,
                         int strideY, int strideX, int padTop, int padLeft, int padBottom, int padRight,
                         int dilationY, int dilationX, int groups) {
    public Conv2dSpec {
        req(n > 0 && h > 0 && w > 0 && c > 0 && k > 0, "n, h, w, c, k must be positive");
        req(fy > 0 && fx > 0, "filter size must be positive");
        req(strideY > 0 && strideX > 0, "strides must be positive");
        req(dilationY > 0 && dilationX > 0, "dilations must be positive");
        req(padTop >= 0 && padLeft >= 0 && padBottom >= 0 && padRight >= 0, "paddings must be >= 0");
        req(groups > 0 && c % groups == 0 && k % groups == 0,
                "groups (" + groups + ") must divide input channels (" + c + ") and output channels (" + k + ")");
        long oh = ((long) h + padTop + padBottom - (long) dilationY * (fy - 1) - 1);
        long ow = ((long) w + padLeft + padRight - (long) dilationX * (fx - 1) - 1);
        req(oh >= 0 && ow >= 0, "filter (dilated) larger than padded input");
        req((long) n * h * w * c < Integer.MAX_VALUE && (long) n * (oh / strideY + 1) * (ow / strideX + 1) * k < Integer.MAX_VALUE
                && (long) k * fy * fx * (c / groups) < Integer.MAX_VALUE, "tensor too large for int indexing");
    }

    private static void req(boolean ok, String msg) {
        if (!ok) throw new IllegalArgumentException("Conv2dSpec: " + msg);
    }

    /** Unit stride, no padding, no dilation, one group. */
    public static Conv2dSpec of(int n, int h, int w, int c, int k, int fy, int fx) {
        return new Conv2dSpec(n, h, w, c, k, fy, fx, 1, 1, 0, 0, 0, 0, 1, 1, 1);
    }

    public Conv2dSpec withStride(int sy, int sx) {
        return new Conv2dSpec(n, h, w, c, k, fy, fx, sy, sx, padTop, padLeft, padBottom, padRight, dilationY, dilationX, groups);
    }

    public Conv2dSpec withPadding(int top, int left, int bottom, int right) {
        return new Conv2dSpec(n, h, w, c, k, fy, fx, strideY, strideX, top, left, bottom, right, dilationY, dilationX, groups);
    }

    /** "same"-style symmetric padding p on all sides. */
    public Conv2dSpec withPadding(int p) {
        return withPadding(p, p, p, p);
    }

    public Conv2dSpec withDilation(int dy, int dx) {
        return new Conv2dSpec(n, h, w, c, k, fy, fx, strideY, strideX, padTop, padLeft, padBottom, padRight, dy, dx, groups);
    }

    public Conv2dSpec withGroups(int g) {
        return new Conv2dSpec(n, h, w, c, k, fy, fx, strideY, strideX, padTop, padLeft, padBottom, padRight, dilationY, dilationX, g);
    }

    public int outH() { return (h + padTop + padBottom - dilationY * (fy - 1) - 1) / strideY + 1; }
    public int outW() { return (w + padLeft + padRight - dilationX * (fx - 1) - 1) / strideX + 1; }
    public int inC() { return c / groups; }
    public int outKPerGroup() { return k / groups; }
    public boolean isDepthwise() { return groups == c && groups > 1; }
    public int inputSize() { return n * h * w * c; }
    public int outputSize() { return n * outH() * outW() * k; }
    public int weightSize() { return k * fy * fx * inC(); }
    /** Multiply-accumulates per run: N·OH·OW·K·FY·FX·C/groups (padding taps included). */
    public long macs() { return (long) n * outH() * outW() * k * fy * fx * inC(); }
}
