package org.edgenn.runtime.quant;

/**
 * From real numbers to integers: the one place where training, calibration, export and inference
 * compute scales, zero points and rounded values (DESIGN.md's numeric conventions).
 *
 * <ul>
 *   <li><b>Rounding</b>: half away from zero ({@link #round}), as ND4J's {@code round} op, so in-graph
 *       fake quantization, the exported integers and the inference code's input quantization agree.</li>
 *   <li><b>Weights</b>: symmetric in {@code [-qmax, qmax]} ({@code qmax = 2^(bits-1) - 1}), one scale per
 *       output channel: {@code s = max|w| / qmax} (an all-zero channel gets {@code 1 / qmax});
 *       {@code q = clamp(round(w / s))}.</li>
 *   <li><b>Activations</b>: asymmetric, from an observed range widened to contain 0:
 *       {@code s = (hi - lo) / (qmax - qmin)}, {@code zp = clamp(round(qmin - lo / s))}; zero is exact.</li>
 *   <li><b>Bias</b>: int32 {@code round(b / (s_in · s_w))}, zero point 0.</li>
 * </ul>
 */
public final class Quantization {
    private Quantization() {
    }

    /** Round half away from zero (never returns -0.0). */
    public static double round(double v) {
        double r = Math.signum(v) * Math.floor(Math.abs(v) + 0.5);
        return r == 0 ? 0.0 : r;
    }

    public static int clamp(long v, int lo, int hi) {
        return (int) Math.max(lo, Math.min(hi, v));
    }

    /** Symmetric scale for a channel whose largest magnitude is {@code maxAbs}. */
    public static float weightScale(double maxAbs, int bits) {
        int qmax = (1 << (bits - 1)) - 1;
        return maxAbs > 0 ? (float) (maxAbs / qmax) : 1.0f / qmax;
    }

    public static int quantizeWeight(double w, float scale, int bits) {
        int qmax = (1 << (bits - 1)) - 1;
        return clamp((long) round(w / scale), -qmax, qmax);
    }

    /** int8 activation parameters for an observed range. */
    public static QuantParams activationParams(double lo, double hi) {
        return activationParams(lo, hi, 8);
    }

    public static QuantParams activationParams(double lo, double hi, int bits) {
        int qmin = -(1 << (bits - 1));
        int qmax = (1 << (bits - 1)) - 1;
        lo = Math.min(lo, 0);
        hi = Math.max(hi, 0);
        if (!(hi > lo)) {
            return new QuantParams(1.0f, 0, bits);
        }
        float s = (float) ((hi - lo) / (qmax - qmin));
        int zp = clamp((long) round(qmin - lo / s), qmin, qmax);
        return new QuantParams(s, zp, bits);
    }

    /** The int32 bias of an output channel; an {@link ArithmeticException} when it does not fit. */
    public static int quantizeBias(double b, double sIn, double sW) {
        double v = round(b / (sIn * sW));
        if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
            throw new ArithmeticException("bias " + b + " overflows int32 at scale " + (sIn * sW));
        }
        return (int) v;
    }
}
