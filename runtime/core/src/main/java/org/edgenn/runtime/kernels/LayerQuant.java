package org.edgenn.runtime.kernels;

import org.edgenn.runtime.quant.ChannelScales;
import org.edgenn.runtime.quant.QuantParams;
import org.edgenn.runtime.quant.RequantMode;

/**
 * Quantization of a MAC layer: input (asymmetric per-tensor), weights (symmetric per output
 * channel), output (asymmetric per-tensor), requantization mode and the fused activation clamp
 * [actMin, actMax] in the output's integer domain. Input and output are 8- or 16-bit ({@link QuantParams#bits()}):
 * the widths of the layer's buffers ({@link org.edgenn.runtime.tensor.ActivationBytes}).
 */
public record LayerQuant(QuantParams in, ChannelScales weights, QuantParams out, RequantMode mode, int actMin, int actMax) {
    public LayerQuant {
        if (in == null || weights == null || out == null || mode == null) throw new IllegalArgumentException("null quantization parameter");
        if (actMin < QuantParams.min(out.bits()) || actMax > QuantParams.max(out.bits()) || actMin > actMax) {
            throw new IllegalArgumentException("bad activation range [" + actMin + ", " + actMax + "] for int" + out.bits() + " output");
        }
        if (!supported(in.bits()) || !supported(out.bits())) {
            throw new IllegalArgumentException("MAC layers take 8- or 16-bit activations, got int" + in.bits() + " -> int" + out.bits());
        }
    }

    public static LayerQuant of(QuantParams in, ChannelScales weights, QuantParams out, RequantMode mode) {
        return new LayerQuant(in, weights, out, mode, QuantParams.min(out.bits()), QuantParams.max(out.bits()));
    }

    private static boolean supported(int bits) {
        return bits == 8 || bits == 16;
    }

    /** True when the input or the output is wider than 8 bits (two bytes per value). */
    public boolean wide() {
        return in.bits() > 8 || out.bits() > 8;
    }

    /** With a fused ReLU (clamp at the output zero point). */
    public LayerQuant withRelu() {
        return new LayerQuant(in, weights, out, mode, out.zeroPoint(), QuantParams.max(out.bits()));
    }

    public LayerQuant withActivation(int lo, int hi) {
        return new LayerQuant(in, weights, out, mode, lo, hi);
    }
}
