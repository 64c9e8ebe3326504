package org.edgenn.generator.verify;

import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.runtime.hw.AcceleratorArithmetic;
import org.edgenn.runtime.hw.FunctionalModel;
import org.edgenn.runtime.quant.RequantMode;

/** The bit-accurate functional model of an accelerator declared in a {@code .edgenn} file (check (a) of verification). */
public final class HardwareModels {
    private HardwareModels() {
    }

    /**
     * The accelerator's arithmetic: its MAC operand width ({@code mac int16}: 16-bit activations; the runtime has no
     * operands wider than 16 bits), its declared accumulator width (saturating, or wrapping for
     * {@code accumulator intM wrap}), and TFLite's double-rounding
     * requantization, because the language has no way to declare another rounding unit yet and the generated int8
     * code requantizes that way.
     */
    public static AcceleratorArithmetic arithmetic(AcceleratorSpec accelerator) {
        return new AcceleratorArithmetic(accelerator.name(), Math.max(2, Math.min(16, accelerator.macBits())), accelerator.accumulatorBits(),
                RequantMode.DOUBLE_ROUNDING, accelerator.wraps());
    }

    public static FunctionalModel of(AcceleratorSpec accelerator) {
        return new FunctionalModel(arithmetic(accelerator));
    }
}
