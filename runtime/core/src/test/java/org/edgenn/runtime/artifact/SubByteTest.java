package org.edgenn.runtime.artifact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.edgenn.runtime.quant.QuantParams;
import org.junit.jupiter.api.Test;

/** The documented packing of 2- and 4-bit weights, against bytes written out by hand and against every value. */
class SubByteTest {

    @Test
    void int4IsOnnxOrderLowNibbleFirst() {
        // 1 -> 0x1, -1 -> 0xF, 7 -> 0x7, -8 -> 0x8, -7 -> 0x9: pairs (low, high) per byte; odd count pads with 0
        byte[] packed = SubByte.pack(new byte[] {1, -1, 7, -8, -7}, 4);
        assertArrayEquals(new byte[] {(byte) 0xF1, (byte) 0x87, (byte) 0x09}, packed);
        assertArrayEquals(new byte[] {1, -1, 7, -8, -7}, SubByte.unpack(packed, 5, 4));
    }

    @Test
    void int2IsFourPerByteLowBitsFirst() {
        // 1 -> 01, -1 -> 11, 0 -> 00, -2 -> 10: byte = 10 00 11 01 = 0x8D
        byte[] packed = SubByte.pack(new byte[] {1, -1, 0, -2, 1}, 2);
        assertArrayEquals(new byte[] {(byte) 0x8D, (byte) 0x01}, packed);
        assertArrayEquals(new byte[] {1, -1, 0, -2, 1}, SubByte.unpack(packed, 5, 2));
    }

    @Test
    void everyValueOfEveryPackedWidthRoundTrips() {
        Random rnd = new Random(3);
        for (int bits : new int[] {2, 4}) {
            int lo = -(1 << (bits - 1));
            int span = 1 << bits;
            for (int n = 0; n < 40; n++) {
                byte[] v = new byte[n];
                for (int i = 0; i < n; i++) v[i] = (byte) (lo + (i < span ? i : rnd.nextInt(span)));
                byte[] packed = SubByte.pack(v, bits);
                assertEquals((n * bits + 7) / 8, packed.length);
                assertArrayEquals(v, SubByte.unpack(packed, n, bits), "int" + bits + " n=" + n);
            }
        }
    }

    @Test
    void outOfRangeValuesAndWrongLengthsAreErrors() {
        assertThrows(IllegalArgumentException.class, () -> SubByte.pack(new byte[] {8}, 4));
        assertThrows(IllegalArgumentException.class, () -> SubByte.pack(new byte[] {-3}, 2));
        assertThrows(IllegalArgumentException.class, () -> SubByte.unpack(new byte[2], 5, 4));
        assertThrows(IllegalArgumentException.class, () -> SubByte.pack(new byte[] {1}, 3));
    }

    @Test
    void sixteenBitActivationParametersClampToTheirWidth() {
        QuantParams p = new QuantParams(0.5f, -1000, 16);
        assertEquals(32767, p.quantize(1e9));
        assertEquals(-32768, p.quantize(-1e9));
        assertEquals(-1000 + 3, p.quantize(1.4));      // 2.8 rounds to 3
        assertEquals(127, new QuantParams(0.5f, 0).quantize(1e9), "int8 unless declared");
        assertThrows(IllegalArgumentException.class, () -> new QuantParams(0.5f, 200, 8));
    }
}
