package org.edgenn.runtime.kernels;

import org.edgenn.runtime.quant.ChannelScales;
import org.edgenn.runtime.quant.QuantParams;
import org.edgenn.runtime.quant.RequantMode;

/**
 * Quantization of a MAC layer: input (asymmetric per-tensor), weights (symmetric per output
 * channel), output (asymmetric per-tensor), requantization mode and the fused activation clamp
 * [actMin, actMax] in the output's int8 domain.
 */
public record LayerQuant(QuantParams in, ChannelScales weights, QuantParams out, RequantMode mode, int actMin, int actMax) {
    public LayerQuant {
        if (in == null || weights == null || out == null || mode == null) throw new IllegalArgumentException("null quantization parameter");
        if (actMin < -128 || actMax > 127 || actMin > actMax) throw new IllegalArgumentException("bad activation range [" + actMin + ", " + actMax + "]");
    }

    public static LayerQuant of(QuantParams in, ChannelScales weights, QuantParams out, RequantMode mode) {
        return new LayerQuant(in, weights, out, mode, -128, 127);
    }

    /** With a fused ReLU (clamp at the output zero point). */
    public LayerQuant withRelu() {
        return new LayerQuant(in, weights, out, mode, Math.max(-128, out.zeroPoint()), 127);
    }

    public LayerQuant withActivation(int lo, int hi) {
        return new LayerQuant(in, weights, out, mode, lo, hi);
    }
}
