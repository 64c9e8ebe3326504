package org.edgenn.onnx.imports;

/**
 * IEEE 754 binary16 to float (JDK 17 has no {@code Float.float16ToFloat}; it came in JDK 20). Every half value is
 * exact as a float: the 11-bit significand shifts left by 13 and the exponent re-biases from 15 to 127; subnormal
 * halves (exponent 0) are {@code m * 2^-24}, exact in float's normal range.
 */
final class Half {
    private Half() {
    }

    static float toFloat(short bits) {
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | mantissa << 13);   // infinity or NaN
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | (exponent - 15 + 127) << 23 | mantissa << 13);
    }
}
