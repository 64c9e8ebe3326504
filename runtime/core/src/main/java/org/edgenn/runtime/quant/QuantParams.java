package org.edgenn.runtime.quant;

/**
 * Per-tensor affine quantization to {@code bits}-bit integers (2 to 16; 8 unless declared otherwise):
 * {@code real = scale · (q − zeroPoint)}, {@code q} in {@code [-2^(bits-1), 2^(bits-1) - 1]}.
 * Activations use this (asymmetric); weights are symmetric per output channel, see {@link ChannelScales}.
 */
public record QuantParams(float scale, int zeroPoint, int bits) {
    public QuantParams {
        if (!(scale > 0) || Float.isInfinite(scale)) {
            throw new IllegalArgumentException("scale must be finite and > 0, got " + scale);
        }
        if (bits < 2 || bits > 16) {
            throw new IllegalArgumentException("activations are 2 to 16 bits, got " + bits);
        }
        if (zeroPoint < min(bits) || zeroPoint > max(bits)) {
            throw new IllegalArgumentException("int" + bits + " zero point must be in [" + min(bits) + ", " + max(bits)
                    + "], got " + zeroPoint);
        }
    }

    /** int8 parameters. */
    public QuantParams(float scale, int zeroPoint) {
        this(scale, zeroPoint, 8);
    }

    /** Smallest integer of the width. */
    public static int min(int bits) {
        return -(1 << (bits - 1));
    }

    /** Largest integer of the width. */
    public static int max(int bits) {
        return (1 << (bits - 1)) - 1;
    }

    /**
     * Quantizes a real value: {@code clamp(round(real / scale) + zeroPoint)} to the width's range, rounding half away
     * from zero as training and export do ({@link Quantization#round}).
     */
    public int quantize(double real) {
        return Quantization.clamp((long) Quantization.round(real / scale) + zeroPoint, min(bits), max(bits));
    }

    public float dequantize(int q) {
        return scale * (q - zeroPoint);
    }
}
