package org.edgenn.runtime.hw;

import org.edgenn.runtime.kernels.Add;
import org.edgenn.runtime.kernels.Conv2d;
import org.edgenn.runtime.kernels.Conv2dSpec;
import org.edgenn.runtime.kernels.Dense;
import org.edgenn.runtime.kernels.Pool2d;
import org.edgenn.runtime.kernels.SoftThreshold;
import org.edgenn.runtime.kernels.SupportSelectThreshold;
import org.edgenn.runtime.quant.QuantMath;
import org.edgenn.runtime.quant.RequantMode;
import org.edgenn.runtime.quant.Requantizer;
import org.edgenn.runtime.tensor.ActivationBytes;

/**
 * Bit-accurate functional model of an accelerator executing a MAC layer: MAC by MAC in the
 * natural loop order (n, oy, ox, k, then fy, fx, c), no vectorization and no algebraic tricks.
 * The accumulator starts at the bias (saturated to the declared width) and every partial sum
 * {@code acc + (x − zx)·w} saturates at {@link AcceleratorArithmetic#accumulatorBits()}; padded taps
 * are skipped (they would add 0). The result goes through the accelerator's requantization unit
 * ({@link Requantizer} in the accelerator's mode, built from the layer's quantization).
 *
 * <p>The non-MAC int8 ops are modelled the same way, element by element in their natural loop
 * order, from the prepared op's configuration (never by calling a kernel):
 * <ul>
 *   <li>{@link #run(Add, byte[], byte[], byte[])}: each input, zero point removed (and the second one
 *       negated for a subtraction) and shifted left by
 *       {@link Add#leftShift()} ({@link Add#LEFT_SHIFT} for int8 operands), is rescaled by the requantization unit; the two rescaled terms are
 *       summed in the accumulator (starting at 0, saturating at the declared width); the sum is
 *       requantized to the output scale, the zero point added and the result clamped. A term is at
 *       most 255·2^19 in magnitude (the rescaling multipliers are ≤ 1/2), the sum at most 255·2^20 &lt; 2^28:
 *       a ≥ 29-bit accumulator never saturates, a narrower one can. Integer requantization modes only.</li>
 *   <li>{@link #run(Pool2d, byte[], byte[])}: per output (n, oy, ox, c) the window's taps in order
 *       (fy, fx), padded taps skipped; max pooling keeps a running maximum, average pooling sums the
 *       valid taps in the accumulator (starting at 0, saturating at the declared width) and divides
 *       by their count with {@link QuantMath#roundingDivide} (ties away from zero).</li>
 *   <li>{@link #run(SoftThreshold, byte[], byte[])} and {@link #clamp}: per element in the output
 *       stage; values stay within 9 bits and sign, no accumulation, nothing can saturate.</li>
 *   <li>{@link #table}: the accelerator's 256-entry lookup unit (activation functions, scaling by a
 *       constant, re-quantization): one read per element, no arithmetic.</li>
 * </ul>
 *
 * <p>With a 32-bit accumulator and no overflow this equals the runtime kernels bit for bit (the
 * kernels wrap, the model saturates: they differ exactly when the sum overflows).
 *
 * <p><b>16-bit activations</b> (buffers two bytes per value, {@link ActivationBytes}) run on an accelerator whose
 * operands are at least that wide ({@link AcceleratorArithmetic#operandBits()}); on a narrower one the model refuses
 * the layer (an {@link IllegalArgumentException} naming both widths), as the hardware could not execute it. MAC layers
 * accumulate at the declared accumulator width up to 64 bits: a layer whose
 * {@link Conv2d#accumulatorBound()} exceeds it saturates here while the kernels stay exact, so the check fails.
 * The add uses the op's headroom shift ({@link Add#leftShift()}); the soft threshold compares 17-bit differences.
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

    /** Number of accumulator updates (MACs, bias loads, additions of Add terms or pool taps) that saturated during the last call. */
    public long lastSaturations() {
        return saturations;
    }

    /** The accelerator's accumulators (before requantization), NHWC [N][OH][OW][K]; accumulators of at most 32 bits. */
    public void accumulate(Conv2d layer, byte[] in, int[] acc) {
        if (spec.accumulatorBits() > 32) throw new IllegalArgumentException(spec.name() + " has " + spec.accumulatorBits() + "-bit accumulators: use accumulateLong");
        long[] wide = new long[acc.length];
        accumulateLong(layer, in, wide);
        for (int i = 0; i < acc.length; i++) acc[i] = (int) wide[i];
    }

    /** The accelerator's accumulators at its declared width (up to 64 bits), NHWC [N][OH][OW][K]. */
    public void accumulateLong(Conv2d layer, byte[] in, long[] acc) {
        Conv2dSpec s = layer.spec();
        int inBits = layer.quant().in().bits();
        checkOperand(inBits, "input");
        if (in.length != (long) s.inputSize() * ActivationBytes.bytesPerValue(inBits) || acc.length != s.outputSize()) {
            throw new IllegalArgumentException("buffers of " + in.length + " bytes / " + acc.length + " accumulators, layer needs "
                    + s.inputSize() + " int" + inBits + " values / " + s.outputSize());
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
                        long a = spec.fit(bias[k], bits);
                        if (a != bias[k]) sat++;
                        for (int fy = 0; fy < s.fy(); fy++)
                            for (int fx = 0; fx < s.fx(); fx++)
                                for (int c = 0; c < cg; c++) {
                                    int iy = oy * s.strideY() - s.padTop() + fy * s.dilationY();
                                    int ix = ox * s.strideX() - s.padLeft() + fx * s.dilationX();
                                    if (iy < 0 || iy >= s.h() || ix < 0 || ix >= s.w()) continue;
                                    int x = ActivationBytes.get(in, ((n * s.h() + iy) * s.w() + ix) * s.c() + g * cg + c, inBits);
                                    int wt = w[((k * s.fy() + fy) * s.fx() + fx) * cg + c];
                                    long next = a + (long) (x - zx) * wt;
                                    a = spec.fit(next, bits);
                                    if (a != next) sat++;
                                }
                        acc[((n * oh + oy) * ow + ox) * s.k() + k] = a;
                    }
        saturations = sat;
    }

    /** Refuses an activation wider than the accelerator's operands. */
    private void checkOperand(int bits, String what) {
        if (bits > spec.operandBits()) {
            throw new IllegalArgumentException(spec.name() + " takes " + spec.operandBits() + "-bit activation operands; the " + what
                    + " is int" + bits);
        }
    }

    /**
     * The layer's output (at its width) as the accelerator computes it. Accumulators of at most 32 bits go through the
     * 32-bit requantization of the int8 kernels; wider ones through its exact 64-bit form.
     */
    public void run(Conv2d layer, byte[] in, byte[] out) {
        Conv2dSpec s = layer.spec();
        int outBits = layer.quant().out().bits();
        checkOperand(outBits, "output");
        if (out.length != (long) s.outputSize() * ActivationBytes.bytesPerValue(outBits)) {
            throw new IllegalArgumentException("output buffer of " + out.length + " bytes, needs " + s.outputSize() + " int" + outBits + " values");
        }
        long[] acc = new long[s.outputSize()];
        accumulateLong(layer, in, acc);
        Requantizer rq = Requantizer.prepare(layer.quant().in(), layer.quant().weights(), layer.quant().out(),
                spec.requantMode(), layer.quant().actMin(), layer.quant().actMax());
        boolean narrow = !layer.quant().wide();
        for (int i = 0; i < acc.length; i++) {
            int v = narrow ? rq.apply((int) acc[i], i % s.k()) : rq.apply(acc[i], i % s.k());
            ActivationBytes.set(out, i, outBits, v);
        }
    }

    public void run(Dense layer, byte[] in, byte[] out) {
        run(layer.asConv2d(), in, out);
    }

    /**
     * The element-wise add as the accelerator computes it, element by element (see the class
     * comment). Uses the op's prepared offsets, multipliers and shifts and the accelerator's
     * requantization mode.
     *
     * @throws IllegalArgumentException for unequal buffers or a {@link RequantMode#FLOAT_SCALE} accelerator
     */
    public void run(Add op, byte[] a, byte[] b, byte[] out) {
        int ab = op.a().bits(), bb = op.b().bits(), ob = op.out().bits();
        checkOperand(ab, "first operand");
        checkOperand(bb, "second operand");
        checkOperand(ob, "output");
        int n = a.length / ActivationBytes.bytesPerValue(ab);
        if (b.length != n * ActivationBytes.bytesPerValue(bb) || out.length != n * ActivationBytes.bytesPerValue(ob)) {
            throw new IllegalArgumentException("Add: buffers of " + a.length + ", " + b.length + " and " + out.length
                    + " bytes do not hold equal numbers of values");
        }
        if (spec.requantMode() == RequantMode.FLOAT_SCALE) {
            throw new IllegalArgumentException("Add is modelled in the integer requantization modes only, accelerator "
                    + spec.name() + " uses " + spec.requantMode());
        }
        long[] sat = {0};
        for (int i = 0; i < n; i++) {
            long acc = addAccumulator(op, ActivationBytes.get(a, i, ab), ActivationBytes.get(b, i, bb), sat);
            ActivationBytes.set(out, i, ob, addOutput(op, acc));
        }
        saturations = sat[0];
    }

    /**
     * One element of the add up to its accumulator: both inputs offset, shifted, rescaled by the requantization unit and
     * summed from 0, saturating at the declared width ({@code sat[0]} counts the saturated updates). Shared with the
     * mapped execution ({@link MappedSemantics}), whose PEs compute one element each.
     */
    long addAccumulator(Add op, int a, int b, long[] sat) {
        int bits = spec.accumulatorBits();
        int xa = (a + op.aOffset()) * (1 << op.leftShift());
        int xb = op.bSign() * (b + op.bOffset()) * (1 << op.leftShift());
        int ta = requantize(xa, op.aMultiplier(), op.aShift());
        int tb = requantize(xb, op.bMultiplier(), op.bShift());
        long next = ta;
        long acc = spec.fit(next, bits);
        if (acc != next) sat[0]++;
        next = acc + tb;
        acc = spec.fit(next, bits);
        if (acc != next) sat[0]++;
        return acc;
    }

    /** The add's output stage: the accumulator requantized to the output scale, zero point added, clamped. */
    int addOutput(Add op, long acc) {
        int v = requantize((int) acc, op.outMultiplier(), op.outShift());
        return QuantMath.clamp(QuantMath.saturateToInt((long) v + op.outZeroPoint()), op.actMin(), op.actMax());
    }

    /** The requantization unit applied to one value with one (multiplier, shift), in the accelerator's integer mode. */
    private int requantize(int x, int multiplier, int shift) {
        return spec.requantMode() == RequantMode.SINGLE_ROUNDING
                ? QuantMath.multiplyByQuantizedMultiplierSingleRounding(x, multiplier, shift)
                : QuantMath.multiplyByQuantizedMultiplier(x, multiplier, shift);
    }

    /** Max or average pooling over NHWC int8 as the accelerator computes it (see the class comment). */
    public void run(Pool2d op, byte[] in, byte[] out) {
        int n = op.n(), h = op.h(), w = op.w(), c = op.c(), oh = op.outH(), ow = op.outW();
        if (in.length != (long) n * h * w * c || out.length != op.outputSize()) {
            throw new IllegalArgumentException("Pool2d: buffers of " + in.length + " / " + out.length + " bytes, op needs "
                    + ((long) n * h * w * c) + " / " + op.outputSize());
        }
        boolean max = op.kind() == Pool2d.Kind.MAX;
        int bits = spec.accumulatorBits();
        long sat = 0;
        for (int b = 0; b < n; b++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                    for (int ch = 0; ch < c; ch++) {
                        int m = Integer.MIN_VALUE;
                        long acc = 0;
                        int count = 0;
                        for (int fy = 0; fy < op.fy(); fy++)
                            for (int fx = 0; fx < op.fx(); fx++) {
                                int iy = oy * op.strideY() - op.padTop() + fy;
                                int ix = ox * op.strideX() - op.padLeft() + fx;
                                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                                int x = in[((b * h + iy) * w + ix) * c + ch];
                                count++;
                                if (max) {
                                    m = Math.max(m, x);
                                } else {
                                    long next = acc + x;
                                    acc = spec.fit(next, bits);
                                    if (acc != next) sat++;
                                }
                            }
                        int r = max ? m : QuantMath.roundingDivide((int) acc, count);
                        out[((b * oh + oy) * ow + ox) * c + ch] = (byte) r;
                    }
        saturations = sat;
    }

    /** Soft threshold per element, {@code y = zp + sign(x − zp)·max(|x − zp| − θ[c], 0)}; nothing can saturate. */
    public void run(SoftThreshold op, byte[] in, byte[] out) {
        int c = op.channels(), zp = op.zeroPoint(), bits = op.bits();
        checkOperand(bits, "input");
        int values = in.length / ActivationBytes.bytesPerValue(bits);
        if (in.length != out.length || values % c != 0) {
            throw new IllegalArgumentException("SoftThreshold: buffers of " + in.length + " and " + out.length
                    + " bytes must be equal and a multiple of " + c + " channels");
        }
        for (int p = 0; p < values / c; p++)
            for (int ch = 0; ch < c; ch++) {
                int i = p * c + ch;
                int d = ActivationBytes.get(in, i, bits) - zp;
                int mag = Math.max(Math.abs(d) - op.threshold(ch), 0);
                ActivationBytes.set(out, i, bits, zp + (d < 0 ? -mag : mag));
            }
        saturations = 0;
    }

    /**
     * Support selection per vector as a comparator network would do it: each entry's rank is counted by comparing
     * its magnitude with every other entry of its vector (larger, or equal at a lower index); an entry of rank below
     * the count and magnitude above its threshold passes, every other entry is soft-thresholded. No arithmetic beyond
     * 9-bit (17-bit for 16-bit data, which needs 16-bit operands) subtraction and counting; nothing can saturate.
     */
    public void run(SupportSelectThreshold op, byte[] in, byte[] out) {
        int c = op.channels(), zp = op.zeroPoint(), count = op.count(), bits = op.bits();
        checkOperand(bits, "input");
        int values = in.length / ActivationBytes.bytesPerValue(bits);
        if (in.length != out.length || values % c != 0) {
            throw new IllegalArgumentException("SupportSelectThreshold: buffers of " + in.length + " and " + out.length
                    + " bytes must be equal and a multiple of " + c + " channels");
        }
        for (int p = 0; p < values / c; p++)
            for (int ch = 0; ch < c; ch++) {
                int i = p * c + ch;
                int x = ActivationBytes.get(in, i, bits), d = x - zp, mag = Math.abs(d);
                int rank = 0;
                for (int o = 0; o < c; o++) {
                    int other = Math.abs(ActivationBytes.get(in, p * c + o, bits) - zp);
                    if (other > mag || (other == mag && o < ch)) rank++;
                }
                int th = op.threshold(ch);
                if (rank < count && mag > th) {
                    ActivationBytes.set(out, i, bits, x);
                } else {
                    int m = Math.max(mag - th, 0);
                    ActivationBytes.set(out, i, bits, zp + (d < 0 ? -m : m));
                }
            }
        saturations = 0;
    }

    /** ReLU / ReLU6 / clamp per element to [lo, hi] (bounds from {@code Activation}); nothing can saturate. */
    public void clamp(byte[] in, byte[] out, int lo, int hi) {
        if (lo < -128 || hi > 127 || lo > hi) throw new IllegalArgumentException("bad clamp range [" + lo + ", " + hi + "]");
        if (in.length != out.length) throw new IllegalArgumentException("clamp: buffers of " + in.length + " and " + out.length + " bytes");
        for (int i = 0; i < in.length; i++) out[i] = (byte) QuantMath.clamp(in[i], lo, hi);
        saturations = 0;
    }

    /**
     * A 256-entry lookup per element, {@code out[i] = table[in[i] + 128]}; entries of 8 bits, or of 16 bits (512 bytes,
     * an 8-bit value mapped into a 16-bit tensor, which needs 16-bit operands). Nothing can saturate.
     */
    public void table(byte[] table, byte[] in, byte[] out) {
        int bits;
        if (table.length == 256) {
            bits = 8;
        } else if (table.length == 512) {
            bits = 16;
        } else {
            throw new IllegalArgumentException("a lookup table has 256 entries of 1 or 2 bytes, got " + table.length + " bytes");
        }
        checkOperand(bits, "output");
        if ((long) in.length * ActivationBytes.bytesPerValue(bits) != out.length)
            throw new IllegalArgumentException("table: buffers of " + in.length + " and " + out.length + " bytes for int8 -> int" + bits);
        for (int i = 0; i < in.length; i++) {
            int index = in[i] - Byte.MIN_VALUE;
            ActivationBytes.set(out, i, bits, ActivationBytes.get(table, index, bits));
        }
        saturations = 0;
    }
}
