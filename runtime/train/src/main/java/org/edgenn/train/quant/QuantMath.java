package org.edgenn.train.quant;

/**
 * The int8 numeric conventions of EdgeNN (DESIGN.md), in plain Java — the single place where training,
 * calibration and export compute scales, zero points and rounded integers.
 *
 * <ul>
 *   <li><b>Rounding</b>: round half away from zero ({@link #round}); the same rule as ND4J's {@code round} op,
 *       so in-graph fake quantization and export produce the same integers.</li>
 *   <li><b>Weights</b>: symmetric int8 in {@code [-127, 127]}, one scale per output channel:
 *       {@code s_w[k] = max|w[..,k]| / 127} (an all-zero channel gets {@code s = 1/127}); {@code q = clamp(round(w / s))}.</li>
 *   <li><b>Activations</b>: asymmetric int8 in {@code [-128, 127]} from an observed range {@code [lo, hi]}
 *       widened to contain 0: {@code s = (hi - lo) / 255}, {@code zp = clamp(round(-128 - lo / s), -128, 127)},
 *       {@code q = clamp(round(x / s) + zp, -128, 127)}, {@code x ≈ s (q - zp)}; zero is exactly representable.</li>
 *   <li><b>Bias</b>: int32, {@code b_q[k] = round(b[k] / (s_in · s_w[k]))}, zero point 0.</li>
 * </ul>
 */
public final class QuantMath {
    private QuantMath() {}

    public static final int W_QMAX = 127;
    public static final int A_QMIN = -128;
    public static final int A_QMAX = 127;

    /** Round half away from zero. */
    public static double round(double v) {
        double r = Math.signum(v) * Math.floor(Math.abs(v) + 0.5);
        return r == 0 ? 0.0 : r;
    }

    public static int clamp(long v, int lo, int hi) {
        return (int) Math.max(lo, Math.min(hi, v));
    }

    /** Symmetric scale for a channel with maximum magnitude {@code maxAbs}. */
    public static float weightScale(double maxAbs, int bits) {
        int qmax = (1 << (bits - 1)) - 1;
        return maxAbs > 0 ? (float) (maxAbs / qmax) : 1.0f / qmax;
    }

    public static int quantizeWeight(double w, float scale, int bits) {
        int qmax = (1 << (bits - 1)) - 1;
        return clamp((long) round(w / scale), -qmax, qmax);
    }

    /** Activation quantization parameters for an observed range. */
    public record ActParams(float scale, int zeroPoint) {
        public int quantize(double x) {
            return clamp((long) round(x / scale) + zeroPoint, A_QMIN, A_QMAX);
        }
        public float dequantize(int q) {
            return scale * (q - zeroPoint);
        }
    }

    public static ActParams activationParams(double lo, double hi) {
        return activationParams(lo, hi, 8);
    }

    public static ActParams activationParams(double lo, double hi, int bits) {
        int qmin = -(1 << (bits - 1));
        int qmax = (1 << (bits - 1)) - 1;
        lo = Math.min(lo, 0);
        hi = Math.max(hi, 0);
        if (!(hi > lo)) return new ActParams(1.0f, 0);
        float s = (float) ((hi - lo) / (qmax - qmin));
        int zp = clamp((long) round(qmin - lo / s), qmin, qmax);
        return new ActParams(s, zp);
    }

    public static int quantizeBias(double b, double sIn, double sW) {
        double v = round(b / (sIn * sW));
        if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE)
            throw new ArithmeticException("bias " + b + " overflows int32 at scale " + (sIn * sW));
        return (int) v;
    }
}
