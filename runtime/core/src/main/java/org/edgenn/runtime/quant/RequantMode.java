package org.edgenn.runtime.quant;

/** How an int32 accumulator is scaled to the output's int8 domain. See {@link QuantMath}. */
public enum RequantMode {
    /** TFLite's default: doubling high multiply (ties toward +∞) then rounding right shift (ties away from zero). */
    DOUBLE_ROUNDING,
    /** TFLite's {@code TFLITE_SINGLE_ROUNDING}: one 64-bit multiply, one rounding (ties toward +∞). */
    SINGLE_ROUNDING,
    /**
     * Float multiply with the float32 scale {@code (inScale · wScale) / outScale}, rounded half to even.
     * Only for comparing with runtimes that requantize in float (ONNX Runtime's QLinear* ops).
     */
    FLOAT_SCALE
}
