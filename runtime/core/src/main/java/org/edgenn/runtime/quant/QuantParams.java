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

    /** Quantizes a real value: round half to even, then saturate to int8. */
    public byte quantize(float real) {
        double q = Math.rint((double) real / scale) + zeroPoint;
        return (byte) Math.max(-128, Math.min(127, q));
    }

    public float dequantize(int q) {
        return scale * (q - zeroPoint);
    }
}
