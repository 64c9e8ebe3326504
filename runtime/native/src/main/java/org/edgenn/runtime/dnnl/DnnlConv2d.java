package org.edgenn.runtime.dnnl;

import java.util.Arrays;
import org.edgenn.runtime.kernels.Conv2d;
import org.edgenn.runtime.kernels.Conv2dSpec;
import org.edgenn.runtime.kernels.ExactSums;
import org.edgenn.runtime.kernels.KernelFactory;

/**
 * A convolution (or dense layer) whose accumulators come from oneDNN and whose requantization is the pure-Java
 * family's exact {@link KernelFactory.OutputStage}.
 *
 * <p>Semantics are the reference's, {@code acc = bias[k] + Σ (x − zx)·w} with padded taps contributing 0, by this
 * identity: the input goes to oneDNN as u8 {@code x + 128} in an image padded with {@code zx + 128} (so a padded tap
 * is {@code x = zx}), oneDNN computes {@code Σ (x + 128)·w} over every tap, and
 * {@code acc = that + (bias[k] − (zx + 128)·Σ w[k])}, the constant per output channel being computed once, all in
 * wrapping int32 like the reference. The padding border of the image is written once; a call rewrites the interior.
 */
final class DnnlConv2d implements KernelFactory.Conv2dImpl {
    private final Conv2dSpec s;
    /** One primitive per slice of input channels (one slice unless the exactness bound needs more, see {@link #slices}). */
    private final DnnlConvPrimitive[] prims;
    private final int[] sliceStart;
    /** Per slice beyond one: its channels gathered from {@link #padded}; and the partial sums of slices 1.. */
    private final byte[][] sliceImage;
    private final int[] partial;
    private final KernelFactory.OutputStage outputStage;
    /** bias[k] − (zx + 128)·Σ w[k], padded for the output stage's vector loads. */
    private final int[] offset;
    private final byte[] padded;
    private final int[] acc;
    private final int hp, wp, pixels;

    DnnlConv2d(Conv2d layer, KernelFactory.OutputStage outputStage) {
        s = layer.spec();
        this.outputStage = outputStage;
        hp = s.h() + s.padTop() + s.padBottom();
        wp = s.w() + s.padLeft() + s.padRight();
        int n = slices(layer);
        if (n < 1) throw new IllegalArgumentException("sums of " + layer.spec() + " cannot be split below 2^24");
        prims = new DnnlConvPrimitive[n];
        sliceStart = new int[n + 1];
        sliceImage = new byte[n][];
        for (int j = 0; j <= n; j++) sliceStart[j] = ExactSums.sliceStart(s.c(), n, j);
        for (int j = 0; j < n; j++) {
            int cw = sliceStart[j + 1] - sliceStart[j];
            prims[j] = new DnnlConvPrimitive(s.n(), hp, wp, cw, s.k(), s.fy(), s.fx(), s.strideY(), s.strideX(),
                    s.dilationY(), s.dilationX(), s.groups(), n == 1 ? layer.weights() : slice(layer, sliceStart[j], cw));
            if (n > 1) sliceImage[j] = new byte[s.n() * hp * wp * cw];
        }
        partial = n > 1 ? new int[s.outputSize()] : null;
        int zx = layer.inputZeroPoint();
        byte[] w = layer.weights();
        int per = w.length / s.k();
        offset = new int[s.k() + KernelFactory.OutputStage.PAD];
        for (int k = 0; k < s.k(); k++) {
            int sum = 0;
            for (int i = k * per; i < (k + 1) * per; i++) sum += w[i];
            offset[k] = layer.bias()[k] - (zx + 128) * sum;
        }
        padded = new byte[s.n() * hp * wp * s.c()];
        Arrays.fill(padded, (byte) (zx + 128)); // the border keeps this for ever; the interior is overwritten per call
        pixels = s.n() * s.outH() * s.outW();
        acc = new int[s.outputSize() + KernelFactory.OutputStage.PAD];
    }

    private void compute(byte[] in) {
        int rowLen = s.w() * s.c();
        for (int b = 0; b < s.n(); b++)
            for (int y = 0; y < s.h(); y++) {
                int from = (b * s.h() + y) * rowLen;
                int to = ((b * hp + y + s.padTop()) * wp + s.padLeft()) * s.c();
                for (int i = 0; i < rowLen; i++) padded[to + i] = (byte) (in[from + i] ^ 0x80); // x + 128 as u8
            }
        if (prims.length == 1) {
            prims[0].execute(padded, acc);
            return;
        }
        int c = s.c(), taps = s.n() * hp * wp;
        for (int j = 0; j < prims.length; j++) {
            int c0 = sliceStart[j], cw = sliceStart[j + 1] - c0;
            byte[] img = sliceImage[j];
            for (int t = 0; t < taps; t++) System.arraycopy(padded, t * c + c0, img, t * cw, cw);
            if (j == 0) {
                prims[0].execute(img, acc);
            } else {
                prims[j].execute(img, partial);
                for (int i = 0; i < partial.length; i++) acc[i] += partial[i];
            }
        }
    }

    /**
     * The fewest equal slices of the input channels (at most {@link #MAX_SLICES}) for which every slice's sums stay
     * within {@link ExactSums#FLOAT_EXACT} ({@link ExactSums#equalSlices}, the bound the pure-Java float Winograd
     * convolution used until issue 19's session 9); 0 when none does or the layer is grouped (slices would cut groups).
     * Slicing trades one more primitive call and a gather copy per slice for keeping wide reductions native (e.g. a
     * trained 3136 → 128 dense layer, whose weights' one-signed sums exceed 2^24 / 255).
     */
    static int slices(Conv2d layer) {
        Conv2dSpec s = layer.spec();
        if (s.groups() != 1) {
            return DnnlConvPrimitive.exactBound(layer.weights(), s.k()) <= ExactSums.FLOAT_EXACT ? 1 : 0;
        }
        return ExactSums.equalSlices(s.c(), MAX_SLICES, (c0, cw) ->
                DnnlConvPrimitive.exactBound(cw == s.c() ? layer.weights() : slice(layer, c0, cw), s.k()) <= ExactSums.FLOAT_EXACT);
    }

    static final int MAX_SLICES = ExactSums.MAX_SLICES;

    /** Weights [K][FY][FX][c0, c0 + cw) of a one-group layer. */
    private static byte[] slice(Conv2d layer, int c0, int cw) {
        Conv2dSpec s = layer.spec();
        byte[] w = layer.weights(), out = new byte[s.k() * s.fy() * s.fx() * cw];
        int rows = s.k() * s.fy() * s.fx();
        for (int r = 0; r < rows; r++) System.arraycopy(w, r * s.c() + c0, out, r * cw, cw);
        return out;
    }

    @Override
    public void accumulate(byte[] in, int[] out) {
        compute(in);
        int k = s.k();
        for (int i = 0; i < s.outputSize(); i++) out[i] = acc[i] + offset[i % k];
    }

    @Override
    public void run(byte[] in, byte[] out) {
        compute(in);
        outputStage.run(acc, 0, offset, out, 0, pixels);
    }

    @Override
    public String toString() {
        return "oneDNN " + prims[0].implementation() + (prims.length > 1 ? " x" + prims.length + " channel slices" : "");
    }
}
