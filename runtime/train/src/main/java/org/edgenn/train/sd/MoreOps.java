package org.edgenn.train.sd;

import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D.Pooling2DType;

/**
 * Ops that generated trainers need beyond {@link Layers} and {@link Losses}: convolutions with groups
 * (depthwise), asymmetric padding and separate strides/dilations, pooling windows of any size, pixel shuffle
 * (PyTorch channel order), bilinear up-sampling, projections, batch-sized zeros and the log / Hoyer sparsity
 * penalties. Layouts are those of {@link Layers}: NCHW activations, conv weights {@code [kH, kW, inC/groups, outC]}.
 */
public final class MoreOps {
    private MoreOps() {}

    /**
     * 2-D convolution with groups. {@code w} is {@code [kH, kW, inC/groups, outC]}; output channel {@code o} reads
     * input channels of group {@code o / (outC/groups)}. Depthwise ({@code groups == inC}) runs ND4J's depthwise
     * kernel; other group counts run one convolution per group. Asymmetric padding is applied as explicit zero
     * padding before a VALID convolution.
     */
    public static SDVariable conv2d(SameDiff sd, String name, SDVariable x, SDVariable w, SDVariable b,
                                    int sh, int sw, int padTop, int padLeft, int padBottom, int padRight,
                                    int dh, int dw, int groups) {
        long[] ws = Ops.shapeOf(w);
        if (ws == null || ws.length != 4)
            throw new IllegalArgumentException("conv2d weight must be [kH, kW, inC/groups, outC], got " + java.util.Arrays.toString(ws));
        int pH = padTop, pW = padLeft;
        if (padTop != padBottom || padLeft != padRight) {
            x = pad(sd, x, padTop, padLeft, padBottom, padRight, 0.0);
            pH = 0;
            pW = 0;
        }
        Conv2DConfig cfg = Conv2DConfig.builder().kH(ws[0]).kW(ws[1]).sH(sh).sW(sw).pH(pH).pW(pW).dH(dh).dW(dw)
                .paddingMode(PaddingMode.VALID).dataFormat("NCHW").build();
        if (dh > 1 || dw > 1) DilatedConvHelpers.register(sd);
        long cinPerGroup = ws[2];
        long cout = ws[3];
        if (groups == 1) {
            return b == null ? sd.cnn.conv2d(name, x, w, cfg) : sd.cnn.conv2d(name, x, w, b, cfg);
        }
        long cin = cinPerGroup * groups;
        if (cinPerGroup == 1) {
            // depthwise: [kH, kW, 1, C*m] -> [kH, kW, C, m]; channel o = c*m + j in both layouts
            SDVariable wd = w.reshape(ws[0], ws[1], cin, cout / cin);
            Ops.sameShape(w, wd);
            return b == null ? sd.cnn.depthWiseConv2d(name, x, wd, cfg) : sd.cnn.depthWiseConv2d(name, x, wd, b, cfg);
        }
        long coutPerGroup = cout / groups;
        SDVariable[] parts = new SDVariable[groups];
        for (int g = 0; g < groups; g++) {
            SDVariable xg = x.get(SDIndex.all(), SDIndex.interval(g * cinPerGroup, (g + 1) * cinPerGroup), SDIndex.all(), SDIndex.all());
            SDVariable wg = w.get(SDIndex.all(), SDIndex.all(), SDIndex.all(), SDIndex.interval(g * coutPerGroup, (g + 1) * coutPerGroup));
            parts[g] = sd.cnn.conv2d(xg, wg, cfg);
        }
        SDVariable y = sd.concat(1, parts);
        return b == null ? y.add(name, sd.constant(Nd4j.zeros(DataType.FLOAT, 1))) : y.add(name, b.reshape(1, cout, 1, 1));
    }

    /** Zero (or constant) padding of the two spatial axes of an NCHW tensor. */
    public static SDVariable pad(SameDiff sd, SDVariable x, int top, int left, int bottom, int right, double value) {
        INDArray p = Nd4j.createFromArray(new int[][] {{0, 0}, {0, 0}, {top, bottom}, {left, right}});
        return sd.nn.pad(x, sd.constant(p), value);
    }

    /** Max or average pooling with any window, stride and (possibly asymmetric) padding. */
    public static SDVariable pool2d(SameDiff sd, String name, SDVariable x, boolean max, int kh, int kw, int sh, int sw,
                                    int padTop, int padLeft, int padBottom, int padRight) {
        int pH = padTop, pW = padLeft;
        if (padTop != padBottom || padLeft != padRight) {
            x = pad(sd, x, padTop, padLeft, padBottom, padRight, max ? -1e30 : 0.0);
            pH = 0;
            pW = 0;
        }
        Pooling2DConfig cfg = Pooling2DConfig.builder().kH(kh).kW(kw).sH(sh).sW(sw).pH(pH).pW(pW).dH(1).dW(1)
                .paddingMode(PaddingMode.VALID)
                .type(max ? Pooling2DType.MAX : Pooling2DType.AVG)
                .isNHWC(false).build();
        return max ? sd.cnn.maxPooling2d(name, x, cfg) : sd.cnn.avgPooling2d(name, x, cfg);
    }

    /** ReLU6: {@code min(max(x, 0), 6)}. */
    public static SDVariable relu6(SameDiff sd, String name, SDVariable x) {
        return sd.math.clipByValue(name, x, 0.0, 6.0);
    }

    /** Softmax over the features of {@code [batch, features]}. */
    public static SDVariable softmax(SameDiff sd, String name, SDVariable x) {
        return sd.nn.softmax(name, x, 1);
    }

    public static SDVariable clamp(SameDiff sd, String name, SDVariable x, double lo, double hi) {
        return sd.math.clipByValue(name, x, lo, hi);
    }

    /** Projection onto the box {@code [lo, hi]} (element-wise clipping). */
    public static SDVariable projectBox(SameDiff sd, String name, SDVariable x, double lo, double hi) {
        return sd.math.clipByValue(name, x, lo, hi);
    }

    /** Projection onto the non-negative orthant. */
    public static SDVariable projectNonNeg(SameDiff sd, String name, SDVariable x) {
        return sd.nn.relu(name, x, 0.0);
    }

    /** Per-sample projection onto the l2 ball of {@code radius}: {@code x · r / max(||x||, r)}. */
    public static SDVariable projectL2(SameDiff sd, String name, SDVariable x, double radius, int featureRank) {
        int[] axes = featureAxes(featureRank);
        SDVariable norm = sd.norm2(x, true, axes);
        SDVariable factor = sd.math.clipByValue(norm, radius, Float.MAX_VALUE).rdiv(radius);
        return x.mul(name, factor);
    }

    /**
     * Depth-to-space with PyTorch's channel order: {@code [b, C r², H, W] -> [b, C, H r, W r]}, input channel
     * {@code c r² + i r + j} goes to output pixel {@code (h r + i, w r + j)} of channel {@code c}.
     */
    public static SDVariable pixelShuffle(SameDiff sd, String name, SDVariable x, int r, int c, int h, int w) {
        SDVariable t = x.reshape(-1, c, r, r, h, w).permute(0, 1, 4, 2, 5, 3);
        return sd.reshape(name, t, -1, c, (long) h * r, (long) w * r);
    }

    /**
     * Bilinear up-sampling of NCHW by an integer factor with half-pixel centres and edge clamping (PyTorch's
     * {@code align_corners=False}), as two matrix products with fixed interpolation matrices (differentiable).
     */
    public static SDVariable upsampleBilinear(SameDiff sd, String name, SDVariable x, int factor, int c, int h, int w) {
        SDVariable uw = sd.constant(interpolation(w, factor));   // [W, fW]
        SDVariable uh = sd.constant(interpolation(h, factor));   // [H, fH]
        SDVariable rows = x.reshape(-1, w).mmul(uw).reshape(-1, h, (long) w * factor).permute(0, 2, 1);
        SDVariable both = rows.reshape(-1, h).mmul(uh).reshape(-1, (long) w * factor, (long) h * factor).permute(0, 2, 1);
        return sd.reshape(name, both, -1, c, (long) h * factor, (long) w * factor);
    }

    /** {@code [n, f n]} matrix {@code M} with {@code out = in · M} the 1-D linear interpolation (half-pixel). */
    public static INDArray interpolation(int n, int factor) {
        float[][] m = new float[n][n * factor];
        for (int o = 0; o < n * factor; o++) {
            double src = (o + 0.5) / factor - 0.5;
            if (src < 0) src = 0;
            int i0 = (int) Math.floor(src);
            int i1 = Math.min(i0 + 1, n - 1);
            double f = src - i0;
            m[i0][o] += (float) (1 - f);
            m[i1][o] += (float) f;
        }
        return Nd4j.createFromArray(m);
    }

    /** Nearest-neighbour up-sampling (NCHW). */
    public static SDVariable upsampleNearest(SameDiff sd, String name, SDVariable x, int factor) {
        return sd.cnn.upsampling2d(name, x, factor);
    }

    /**
     * Zeros of shape {@code [batch, dims...]} where the batch size is that of {@code like} (e.g. an input
     * placeholder): the initial value of an unrolled state.
     */
    public static SDVariable zeros(SameDiff sd, String name, SDVariable like, long likeFeatures, long... dims) {
        SDVariable col = like.reshape(-1, likeFeatures).get(SDIndex.all(), SDIndex.interval(0, 1)).mul(0.0);
        long[] s = new long[dims.length + 1];
        s[0] = -1;
        for (int i = 1; i < s.length; i++) s[i] = 1;
        return Ops.stopGradient(sd, col.reshape(s)).add(name, sd.constant(Nd4j.zeros(DataType.FLOAT, dims)));
    }

    /** Log penalty {@code mean_b Σ_i log(1 + |x_i| / eps)}. */
    public static SDVariable logPenalty(SameDiff sd, SDVariable x, double eps, int featureRank) {
        return sd.math.log(sd.math.abs(x).div(eps).add(1.0)).sum(featureAxes(featureRank)).mean();
    }

    /** Hoyer sparsity measure {@code mean_b ||x||₁ / ||x||₂} (scale invariant; smaller is sparser). */
    public static SDVariable hoyer(SameDiff sd, SDVariable x, int featureRank) {
        int[] axes = featureAxes(featureRank);
        SDVariable l1 = sd.math.abs(x).sum(axes);
        SDVariable l2 = sd.math.sqrt(x.mul(x).sum(axes).add(1e-12));
        return l1.div(l2).mean();
    }

    /** Squared l2 norm per sample, batch mean (the language's {@code l2(x)} penalty). */
    public static SDVariable l2sq(SameDiff sd, SDVariable x, int featureRank) {
        return x.mul(x).sum(featureAxes(featureRank)).mean();
    }

    /** Per-sample l1 norm, batch mean (the language's {@code l1(x)}). */
    public static SDVariable l1(SameDiff sd, SDVariable x, int featureRank) {
        return sd.math.abs(x).sum(featureAxes(featureRank)).mean();
    }

    private static int[] featureAxes(int featureRank) {
        int[] a = new int[Math.max(1, featureRank)];
        for (int i = 0; i < a.length; i++) a[i] = i + 1;
        return a;
    }
}
