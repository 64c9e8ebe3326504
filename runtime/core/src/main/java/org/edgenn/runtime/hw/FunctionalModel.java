package org.edgenn.runtime.hw;

import org.edgenn.runtime.kernels.Conv2d;
import org.edgenn.runtime.kernels.Conv2dSpec;
import org.edgenn.runtime.kernels.Dense;
import org.edgenn.runtime.quant.QuantMath;
import org.edgenn.runtime.quant.Requantizer;

/**
 * Bit-accurate functional model of an accelerator executing a MAC layer: MAC by MAC in the
 * natural loop order (n, oy, ox, k, then fy, fx, c), no vectorization and no algebraic tricks.
 * The accumulator starts at the bias (saturated to the declared width) and every partial sum
 * {@code acc + (x − zx)·w} saturates at {@link AcceleratorArithmetic#accumulatorBits()}; padded taps
 * are skipped (they would add 0). The result goes through the accelerator's requantization unit
 * ({@link Requantizer} in the accelerator's mode, built from the layer's quantization).
 *
 * <p>With a 32-bit accumulator and no overflow this equals the runtime kernels bit for bit (the
 * kernels wrap, the model saturates: they differ exactly when the sum overflows).
 * Not thread-safe (keeps the saturation count of the last call).
 */
public final class FunctionalModel {
    private final AcceleratorArithmetic spec;
    private long saturations;

    public FunctionalModel(AcceleratorArithmetic spec) {
        this.spec = spec;
    }

    public AcceleratorArithmetic spec() {
        return spec;
    }

    /** Number of MACs (or bias loads) that saturated during the last call. */
    public long lastSaturations() {
        return saturations;
    }

    /** The accelerator's accumulators (before requantization), NHWC [N][OH][OW][K]. */
    public void accumulate(Conv2d layer, byte[] in, int[] acc) {
        Conv2dSpec s = layer.spec();
        if (in.length != s.inputSize() || acc.length != s.outputSize()) {
            throw new IllegalArgumentException("buffers of " + in.length + " / " + acc.length + " elements, layer needs "
                    + s.inputSize() + " / " + s.outputSize());
        }
        byte[] w = layer.weights();
        int[] bias = layer.bias();
        int zx = layer.inputZeroPoint();
        int bits = spec.accumulatorBits();
        int oh = s.outH(), ow = s.outW(), cg = s.inC(), kg = s.outKPerGroup();
        long sat = 0;
        for (int n = 0; n < s.n(); n++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                    for (int k = 0; k < s.k(); k++) {
                        int g = k / kg;
                        long a = QuantMath.saturateToBits(bias[k], bits);
                        if (a != bias[k]) sat++;
                        for (int fy = 0; fy < s.fy(); fy++)
                            for (int fx = 0; fx < s.fx(); fx++)
                                for (int c = 0; c < cg; c++) {
                                    int iy = oy * s.strideY() - s.padTop() + fy * s.dilationY();
                                    int ix = ox * s.strideX() - s.padLeft() + fx * s.dilationX();
                                    if (iy < 0 || iy >= s.h() || ix < 0 || ix >= s.w()) continue;
                                    int x = in[((n * s.h() + iy) * s.w() + ix) * s.c() + g * cg + c];
                                    int wt = w[((k * s.fy() + fy) * s.fx() + fx) * cg + c];
                                    long next = a + (long) (x - zx) * wt;
                                    a = QuantMath.saturateToBits(next, bits);
                                    if (a != next) sat++;
                                }
                        acc[((n * oh + oy) * ow + ox) * s.k() + k] = (int) a;
                    }
        saturations = sat;
    }

    /** The layer's int8 output as the accelerator computes it. */
    public void run(Conv2d layer, byte[] in, byte[] out) {
        Conv2dSpec s = layer.spec();
        if (out.length != s.outputSize()) throw new IllegalArgumentException("output buffer of " + out.length + " bytes, needs " + s.outputSize());
        int[] acc = new int[s.outputSize()];
        accumulate(layer, in, acc);
        Requantizer rq = Requantizer.prepare(layer.quant().in(), layer.quant().weights(), layer.quant().out(),
                spec.requantMode(), layer.quant().actMin(), layer.quant().actMax());
        for (int i = 0; i < acc.length; i++) out[i] = (byte) rq.apply(acc[i], i % s.k());
    }

    public void run(Dense layer, byte[] in, byte[] out) {
        run(layer.asConv2d(), in, out);
    }
}
