package org.edgenn.runtime.kernels;

import org.edgenn.runtime.quant.QuantMath;
import org.edgenn.runtime.quant.QuantParams;
import org.edgenn.runtime.quant.RequantMode;

/**
 * A prepared element-wise add of two int8 tensors with different scales (TFLite's integer
 * scheme): both inputs are shifted left by {@link #LEFT_SHIFT} bits after removing their zero
 * points, rescaled to a common scale {@code 2·max(sa, sb)} with multipliers below one, summed,
 * and the sum requantized to the output scale; then the zero point is added and the result
 * clamped to [actMin, actMax]. Same shapes only (no broadcasting). Integer modes only.
 *
 * <p>A subtraction {@code a − b} ({@link #prepareSub}) is the same op with the second operand
 * negated after its zero point is removed: {@code (−(b − zb))·2^20} goes through b's rescaling, so
 * {@code a − b} and {@code a + (−b)} agree bit for bit in every backend and in the hardware model.
 *
 * <p>Operands and output may be 16-bit ({@link #wide()}; buffers two bytes per value, {@link
 * org.edgenn.runtime.tensor.ActivationBytes}). With a 16-bit operand {@code |x − zx|} reaches 65,535 (17 bits with the
 * sign), so the headroom shift is {@link #WIDE_LEFT_SHIFT} = 14 (TFLite's int16 add uses 15 for its zero-point-free
 * int16): a shifted operand stays below 2^30, a rescaled term (multiplier ≤ 1/2) below 2^29 and the sum below 2^30,
 * so every 32-bit step of {@link #addOne} is exact as in the int8 case.
 */
public final class Add {
    /** Headroom shift of TFLite's add (inputs use at most 9 bits + sign, so 20 extra bits fit). */
    public static final int LEFT_SHIFT = 20;
    /** Headroom shift when an operand is 16-bit (17 bits with the sign + 14 = 31). */
    public static final int WIDE_LEFT_SHIFT = 14;

    private final QuantParams a, b, out;
    private final int aOffset, bOffset, bSign, outZeroPoint, leftShift;
    private final int aMultiplier, aShift, bMultiplier, bShift, outMultiplier, outShift;
    private final RequantMode mode;
    private final int actMin, actMax;
    private final KernelFactory factory;

    private Add(QuantParams a, QuantParams b, QuantParams out, RequantMode mode, int actMin, int actMax, boolean subtract, Backend backend) {
        if (mode == RequantMode.FLOAT_SCALE) {
            throw new IllegalArgumentException("Add supports the integer requantization modes only");
        }
        for (QuantParams q : new QuantParams[] {a, b, out}) {
            if (q.bits() != 8 && q.bits() != 16) throw new IllegalArgumentException("Add takes 8- or 16-bit activations, got int" + q.bits());
        }
        if (actMin < QuantParams.min(out.bits()) || actMax > QuantParams.max(out.bits()) || actMin > actMax) {
            throw new IllegalArgumentException("bad activation range [" + actMin + ", " + actMax + "] for int" + out.bits() + " output");
        }
        this.leftShift = a.bits() > 8 || b.bits() > 8 ? WIDE_LEFT_SHIFT : LEFT_SHIFT;
        this.a = a;
        this.b = b;
        this.out = out;
        double twiceMax = 2.0 * Math.max(a.scale(), b.scale());
        QuantMath.QuantizedMultiplier qa = QuantMath.quantizeMultiplier(a.scale() / twiceMax);
        QuantMath.QuantizedMultiplier qb = QuantMath.quantizeMultiplier(b.scale() / twiceMax);
        QuantMath.QuantizedMultiplier qo = QuantMath.quantizeMultiplier(twiceMax / ((1 << leftShift) * (double) out.scale()));
        this.aOffset = -a.zeroPoint();
        this.bOffset = -b.zeroPoint();
        this.bSign = subtract ? -1 : 1;
        this.outZeroPoint = out.zeroPoint();
        this.aMultiplier = qa.multiplier();
        this.aShift = qa.shift();
        this.bMultiplier = qb.multiplier();
        this.bShift = qb.shift();
        this.outMultiplier = qo.multiplier();
        this.outShift = qo.shift();
        this.mode = mode;
        this.actMin = actMin;
        this.actMax = actMax;
        this.factory = KernelBackend.factory(backend);
    }

    public static Add prepare(QuantParams a, QuantParams b, QuantParams out, RequantMode mode) {
        return new Add(a, b, out, mode, QuantParams.min(out.bits()), QuantParams.max(out.bits()), false, KernelBackend.defaultBackend());
    }

    public static Add prepare(QuantParams a, QuantParams b, QuantParams out, RequantMode mode, int actMin, int actMax, Backend backend) {
        return new Add(a, b, out, mode, actMin, actMax, false, backend);
    }

    /** The element-wise difference {@code a − b} (see the class comment). */
    public static Add prepareSub(QuantParams a, QuantParams b, QuantParams out, RequantMode mode, int actMin, int actMax, Backend backend) {
        return new Add(a, b, out, mode, actMin, actMax, true, backend);
    }

    /** The reference formula for one element (used by the scalar kernel; the hardware model has its own). */
    public int addOne(int a, int b) {
        int sa = mul((a + aOffset) * (1 << leftShift), aMultiplier, aShift);
        int sb = mul(bSign * (b + bOffset) * (1 << leftShift), bMultiplier, bShift);
        long r = (long) mul(sa + sb, outMultiplier, outShift) + outZeroPoint;
        return (int) Math.max(actMin, Math.min(actMax, r));
    }

    private int mul(int x, int m, int s) {
        return mode == RequantMode.SINGLE_ROUNDING
                ? QuantMath.multiplyByQuantizedMultiplierSingleRounding(x, m, s)
                : QuantMath.multiplyByQuantizedMultiplier(x, m, s);
    }

    /** Whole buffers of equal value counts (each at its width). */
    public void run(byte[] a, byte[] b, byte[] out) {
        int n = a.length / bytes(this.a);
        if (a.length % bytes(this.a) != 0 || b.length != n * bytes(this.b) || out.length != n * bytes(this.out)) {
            throw new IllegalArgumentException("Add: buffers of " + a.length + ", " + b.length + " and " + out.length
                    + " bytes do not hold equal numbers of int" + this.a.bits() + ", int" + this.b.bits() + " and int" + this.out.bits() + " values");
        }
        if (wide()) factory.addWide(this, a, b, out, n);
        else factory.add(this, a, 0, b, 0, out, 0, n);
    }

    private static int bytes(QuantParams q) {
        return q.bits() > 8 ? 2 : 1;
    }

    /** True when an operand or the output is 16-bit. */
    public boolean wide() {
        return a.bits() > 8 || b.bits() > 8 || out.bits() > 8;
    }

    /** The headroom shift of the operands: {@link #LEFT_SHIFT}, or {@link #WIDE_LEFT_SHIFT} with a 16-bit operand. */
    public int leftShift() {
        return leftShift;
    }

    /** int8 operands and output only. */
    public void run(byte[] a, int aOff, byte[] b, int bOff, byte[] out, int outOff, int n) {
        if (wide()) throw new IllegalArgumentException("the offset form of Add takes int8 buffers; this add is 16-bit");
        Ops.checkRange(a, aOff, n, "a");
        Ops.checkRange(b, bOff, n, "b");
        Ops.checkRange(out, outOff, n, "out");
        factory.add(this, a, aOff, b, bOff, out, outOff, n);
    }

    /** Quantization of the first operand, the second and the output (for exporters to other runtimes). */
    public QuantParams a() { return a; }
    public QuantParams b() { return b; }
    public QuantParams out() { return out; }
    public int aOffset() { return aOffset; }
    public int bOffset() { return bOffset; }
    /** −1 for a subtraction (the second operand is negated after removing its zero point), else 1. */
    public int bSign() { return bSign; }
    public boolean isSubtraction() { return bSign < 0; }
    public int outZeroPoint() { return outZeroPoint; }
    public int aMultiplier() { return aMultiplier; }
    public int aShift() { return aShift; }
    public int bMultiplier() { return bMultiplier; }
    public int bShift() { return bShift; }
    public int outMultiplier() { return outMultiplier; }
    public int outShift() { return outShift; }
    public RequantMode mode() { return mode; }
    public int actMin() { return actMin; }
    public int actMax() { return actMax; }
}
