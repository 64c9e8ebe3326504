package org.edgenn.runtime.quant;

/**
 * The prepared ("computed once") output stage of a MAC layer: per output channel, int32 (or, for layers with
 * 16-bit activations, 64-bit) accumulator → the output's width (int8 or int16), as
 * {@code clamp(requant(acc, c) + outZeroPoint, actMin, actMax)}.
 * Immutable; {@link #apply} allocates nothing.
 */
public final class Requantizer {
    private final RequantMode mode;
    private final int[] multipliers;
    private final int[] shifts;
    private final float[] floatScales;
    private final int outZeroPoint;
    private final int actMin;
    private final int actMax;

    private Requantizer(RequantMode mode, int[] multipliers, int[] shifts, float[] floatScales,
                        int outZeroPoint, int actMin, int actMax) {
        this.mode = mode;
        this.multipliers = multipliers;
        this.shifts = shifts;
        this.floatScales = floatScales;
        this.outZeroPoint = outZeroPoint;
        this.actMin = actMin;
        this.actMax = actMax;
    }

    /**
     * Prepares the output stage of a conv/dense layer: per channel the real multiplier
     * {@code inScale · wScale[c] / outScale} (computed in double for the integer modes and in
     * float, in that operation order, for {@link RequantMode#FLOAT_SCALE}).
     *
     * @param actMin lower clamp (e.g. the output zero point for a fused ReLU), in the output width's range
     * @param actMax upper clamp, in [actMin, max of the output width]
     */
    public static Requantizer prepare(QuantParams in, ChannelScales weights, QuantParams out, RequantMode mode,
                                      int actMin, int actMax) {
        if (actMin < QuantParams.min(out.bits()) || actMax > QuantParams.max(out.bits()) || actMin > actMax) {
            throw new IllegalArgumentException("bad activation range [" + actMin + ", " + actMax + "]");
        }
        int n = weights.channels();
        int[] m = new int[n];
        int[] s = new int[n];
        float[] f = new float[n];
        for (int c = 0; c < n; c++) {
            double real = (double) in.scale() * (double) weights.scale(c) / (double) out.scale();
            if (mode != RequantMode.FLOAT_SCALE) {
                QuantMath.QuantizedMultiplier qm = QuantMath.quantizeMultiplier(real);
                m[c] = qm.multiplier();
                s[c] = qm.shift();
                if (mode == RequantMode.SINGLE_ROUNDING && qm.multiplier() == 0) {
                    s[c] = 0;
                }
            }
            f[c] = in.scale() * weights.scale(c) / out.scale();
        }
        return new Requantizer(mode, m, s, f, out.zeroPoint(), actMin, actMax);
    }

    /** Same as {@link #prepare(QuantParams, ChannelScales, QuantParams, RequantMode, int, int)} without fused activation. */
    public static Requantizer prepare(QuantParams in, ChannelScales weights, QuantParams out, RequantMode mode) {
        return prepare(in, weights, out, mode, QuantParams.min(out.bits()), QuantParams.max(out.bits()));
    }

    /** The int8 output for accumulator {@code acc} of output channel {@code c}. */
    public int apply(int acc, int c) {
        int v;
        switch (mode) {
            case DOUBLE_ROUNDING -> v = QuantMath.multiplyByQuantizedMultiplier(acc, multipliers[c], shifts[c]);
            case SINGLE_ROUNDING -> v = QuantMath.multiplyByQuantizedMultiplierSingleRounding(acc, multipliers[c], shifts[c]);
            default -> v = QuantMath.multiplyByFloatScale(acc, floatScales[c]);
        }
        // add the zero point in 64 bits so an extreme requantized value cannot wrap
        long r = (long) v + outZeroPoint;
        return (int) Math.max(actMin, Math.min(actMax, r));
    }

    /** The output for a 64-bit accumulator (the exact 64-bit roundings of {@link QuantMath}). */
    public int apply(long acc, int c) {
        long v;
        switch (mode) {
            case DOUBLE_ROUNDING -> v = QuantMath.multiplyByQuantizedMultiplier(acc, multipliers[c], shifts[c]);
            case SINGLE_ROUNDING -> v = QuantMath.multiplyByQuantizedMultiplierSingleRounding(acc, multipliers[c], shifts[c]);
            default -> v = QuantMath.multiplyByFloatScale(acc, floatScales[c]);
        }
        // v + zero point cannot overflow: |v| < 2^62 for every 16-bit layer (Conv2d#accumulatorBound < 2^48)
        return (int) Math.max(actMin, Math.min(actMax, v + outZeroPoint));
    }

    public RequantMode mode() { return mode; }
    public int channels() { return multipliers.length; }
    public int multiplier(int c) { return multipliers[c]; }
    public int shift(int c) { return shifts[c]; }
    public float floatScale(int c) { return floatScales[c]; }
    public int outZeroPoint() { return outZeroPoint; }
    public int actMin() { return actMin; }
    public int actMax() { return actMax; }
}
