package org.edgenn.train.sd;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D.Pooling2DType;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;

/**
 * Layer building blocks for generated code. Conventions (also used by the int8 export):
 * <ul>
 *   <li>activations of dense layers: {@code [batch, features]}; of conv layers: NCHW {@code [batch, C, H, W]};</li>
 *   <li>dense weights {@code [in, out]}, conv weights {@code [kH, kW, inC, outC]} — the output channel (the axis
 *       that carries per-channel weight scales and structured pruning) is always the last axis;</li>
 *   <li>the {@code name} argument names the layer's output variable so generated code and diagnostics agree.</li>
 * </ul>
 */
public final class Layers {
    private Layers() {}

    /** {@code x · w + b}; {@code b} may be null. */
    public static SDVariable dense(SameDiff sd, String name, SDVariable x, SDVariable w, SDVariable b) {
        if (b == null) return x.mmul(name, w);
        return x.mmul(w).add(name, b);
    }

    /**
     * {@code A^T(x)}: x·Wᵀ with the weight {@code w} of a dense layer A ({@code [in_A, out_A]}), the same variable A's
     * own calls use, so gradients of both uses reach one tensor.
     */
    public static SDVariable denseTransposed(SameDiff sd, String name, SDVariable x, SDVariable w) {
        return sd.mmul(name, x, w, false, true, false);
    }

    /** 2-D convolution, NCHW, stride s, explicit symmetric zero padding p, dilation 1; {@code b} may be null. */
    public static SDVariable conv2d(SameDiff sd, String name, SDVariable x, SDVariable w, SDVariable b,
                                    int stride, int pad) {
        return conv2d(sd, name, x, w, b, stride, pad, 1);
    }

    /** 2-D convolution with dilation; kernel size is taken from the weight shape. */
    public static SDVariable conv2d(SameDiff sd, String name, SDVariable x, SDVariable w, SDVariable b,
                                    int stride, int pad, int dilation) {
        long[] ws = Ops.shapeOf(w);
        if (ws == null || ws.length != 4)
            throw new IllegalArgumentException("conv2d weight must be [kH, kW, inC, outC], got " + java.util.Arrays.toString(ws));
        Conv2DConfig cfg = Conv2DConfig.builder()
                .kH(ws[0]).kW(ws[1]).sH(stride).sW(stride).pH(pad).pW(pad).dH(dilation).dW(dilation)
                .paddingMode(PaddingMode.VALID).dataFormat("NCHW").build();
        if (dilation > 1) DilatedConvHelpers.register(sd);
        return b == null ? sd.cnn.conv2d(name, x, w, cfg) : sd.cnn.conv2d(name, x, w, b, cfg);
    }

    /** Same-size 2-D convolution (stride 1, padding (k-1)/2 for odd k). */
    public static SDVariable conv2dSame(SameDiff sd, String name, SDVariable x, SDVariable w, SDVariable b) {
        long[] ws = Ops.shapeOf(w);
        if (ws == null) throw new IllegalArgumentException("shape of conv weight '" + w.name() + "' is unknown");
        long k = ws[0];
        return conv2d(sd, name, x, w, b, 1, (int) ((k - 1) / 2));
    }

    public static SDVariable maxPool2d(SameDiff sd, String name, SDVariable x, int k, int stride) {
        return sd.cnn.maxPooling2d(name, x, pool(k, stride, Pooling2DType.MAX));
    }

    public static SDVariable avgPool2d(SameDiff sd, String name, SDVariable x, int k, int stride) {
        return sd.cnn.avgPooling2d(name, x, pool(k, stride, Pooling2DType.AVG));
    }

    private static Pooling2DConfig pool(int k, int s, Pooling2DType type) {
        return Pooling2DConfig.builder().kH(k).kW(k).sH(s).sW(s).pH(0).pW(0).dH(1).dW(1)
                .paddingMode(PaddingMode.VALID).type(type).isNHWC(false).build();
    }

    public static SDVariable relu(SameDiff sd, String name, SDVariable x) {
        return sd.nn.relu(name, x, 0.0);
    }

    public static SDVariable sigmoid(SameDiff sd, String name, SDVariable x) {
        return sd.nn.sigmoid(name, x);
    }

    public static SDVariable tanh(SameDiff sd, String name, SDVariable x) {
        return sd.math.tanh(name, x);
    }

    /** Flattens {@code [batch, ...]} to {@code [batch, features]} (row-major, i.e. C, H, W order). */
    public static SDVariable flatten(SameDiff sd, String name, SDVariable x, long features) {
        return sd.reshape(name, x, -1, features);
    }

    /** Residual / element-wise addition. */
    public static SDVariable add(SameDiff sd, String name, SDVariable a, SDVariable b) {
        return a.add(name, b);
    }

    /** Nearest-neighbour up-sampling by an integer factor (NCHW). */
    public static SDVariable upsample2d(SameDiff sd, String name, SDVariable x, int factor) {
        return sd.cnn.upsampling2d(name, x, factor);
    }
}
