package org.edgenn.runtime.quant;

/**
 * Per-tensor affine int8 quantization: {@code real = scale · (q − zeroPoint)}.
 * Activations use this (asymmetric); weights are symmetric per output channel, see {@link ChannelScales}.
 */
public record QuantParams(float scale, int zeroPoint) {
    public QuantParams {
        if (!(scale > 0) || Float.isInfinite(scale)) {
            throw new IllegalArgumentException("scale must be finite and > 0, got " + scale);
        }
        if (zeroPoint < -128 || zeroPoint > 127) {
            throw new IllegalArgumentException("int8 zero point must be in [-128, 127], got " + zeroPoint);
        }
    }

    /**
     * Quantizes a real value to int8: {@code clamp(round(real / scale) + zeroPoint)}, rounding half away
     * from zero as training and export do ({@link Quantization#round}).
     */
    public int quantize(double real) {
        return Quantization.clamp((long) Quantization.round(real / scale) + zeroPoint, -128, 127);
    }

    public float dequantize(int q) {
        return scale * (q - zeroPoint);
    }
}
