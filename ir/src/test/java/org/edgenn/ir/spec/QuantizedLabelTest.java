package org.edgenn.ir.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.edgenn.ir.spec.Compression.Quantization;
import org.edgenn.ir.ElementType;
import org.junit.jupiter.api.Test;

/** A quantized figure is named by the declared widths (edgenn train, verify, the report), not "int8" whatever they are. */
class QuantizedLabelTest {
    private static Quantization q(ElementType t) {
        return new Quantization(t, true);
    }

    @Test
    void uniformInt8IsInt8AndMixedWidthsAreSpelledOut() {
        assertEquals("int8", new Compression(q(ElementType.INT8), q(ElementType.INT8), List.of(), List.of(), List.of()).quantizedLabel());
        assertEquals("int4 weights / int8 activations",
                new Compression(q(ElementType.INT4), q(ElementType.INT8), List.of(), List.of(), List.of()).quantizedLabel());
        assertEquals("int8+int4 weights / int16+int8 activations", new Compression(q(ElementType.INT8),
                q(ElementType.INT8), List.of(), List.of(), List.of(new Compression.Override(true, "S", q(ElementType.INT4)),
                        new Compression.Override(false, "x", q(ElementType.INT16)))).quantizedLabel());
    }
}
