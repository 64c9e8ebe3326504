package org.edgenn.runtime.dnnl;

import java.util.Arrays;
import org.edgenn.runtime.kernels.Conv2d;
import org.edgenn.runtime.kernels.Conv2dSpec;
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
    private final DnnlConvPrimitive prim;
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
        prim = new DnnlConvPrimitive(s.n(), hp, wp, s.c(), s.k(), s.fy(), s.fx(), s.strideY(), s.strideX(),
                s.dilationY(), s.dilationX(), s.groups(), layer.weights());
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
        prim.execute(padded, acc);
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
        return "oneDNN " + prim.implementation();
    }
}
