package org.edgenn.runtime.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.edgenn.runtime.kernels.Add;
import org.edgenn.runtime.kernels.Backend;
import org.edgenn.runtime.kernels.Dense;
import org.edgenn.runtime.kernels.LayerQuant;
import org.edgenn.runtime.kernels.Lut;
import org.edgenn.runtime.kernels.Movement;
import org.edgenn.runtime.net.Int8Layer;
import org.edgenn.runtime.net.Int8Network;
import org.edgenn.runtime.quant.ChannelScales;
import org.edgenn.runtime.quant.QuantParams;
import org.edgenn.runtime.quant.RequantMode;
import org.junit.jupiter.api.Test;

/** LayerCheck on a small hand-written network: passes on a correct run, names the layer and index of a corrupted one. */
class LayerCheckTest {
    /** y = table(dense(x) - x) then a copy: four layers over separate buffers. */
    static final class Tiny implements Int8Network {
        final QuantParams q = new QuantParams(0.02f, -5);
        final byte[] x = new byte[8], d = new byte[8], s = new byte[8], t = new byte[8], o = new byte[8];
        final Dense dense;
        final Add sub;
        final Lut lut;
        final Movement copy;
        final List<Int8Layer> layers;

        Tiny(Backend backend) {
            Random r = new Random(3);
            byte[] w = new byte[64];
            r.nextBytes(w);
            dense = Dense.prepare(1, 8, 8, w, null, LayerQuant.of(q, ChannelScales.perTensor(0.01f, 8), q, RequantMode.DOUBLE_ROUNDING), backend);
            sub = Add.prepareSub(q, q, q, RequantMode.DOUBLE_ROUNDING, -128, 127, backend);
            lut = Lut.of(q, q, v -> Math.tanh(v));
            copy = Movement.reshape(1, new int[] {8}, new int[] {8}, backend);
            layers = List.of(new Int8Layer.Mac("d", "t.edgenn:1", dense.asConv2d(), x, d),
                    new Int8Layer.Sum("s", "t.edgenn:2", sub, d, x, s),
                    new Int8Layer.Table("t", "t.edgenn:3", lut.table(), s, t),
                    new Int8Layer.Move("o", "t.edgenn:4", copy, List.of(t), o));
        }

        public String name() { return "Tiny"; }
        public int batch() { return 1; }
        public int inputSize() { return 8; }
        public int outputSize() { return 8; }
        public QuantParams inputQuant() { return q; }
        public QuantParams outputQuant() { return q; }
        public List<Int8Layer> layers() { return layers; }

        public void run(byte[] in, byte[] out) {
            System.arraycopy(in, 0, x, 0, 8);
            dense.run(x, d);
            sub.run(d, x, s);
            lut.run(s, t);
            copy.run(new byte[][] {t}, o);
            System.arraycopy(o, 0, out, 0, 8);
        }
    }

    private static final FunctionalModel MODEL = new FunctionalModel(AcceleratorArithmetic.int32("test"));

    @Test
    void aCorrectRunPassesEveryLayerAndTheChain() {
        Tiny net = new Tiny(Backend.SCALAR);
        net.run(new byte[] {1, -2, 3, 100, -128, 127, 0, 9}, new byte[8]);
        LayerCheck.Report report = LayerCheck.check(net, MODEL);
        assertTrue(report.ok(), String.valueOf(report.firstFailure()));
        assertEquals(4, report.layers().size());
    }

    @Test
    void aCorruptedLayerIsNamedWithItsFirstDifferingIndex() {
        Tiny net = new Tiny(Backend.SCALAR);
        net.run(new byte[] {1, -2, 3, 100, -128, 127, 0, 9}, new byte[8]);
        net.s[5] ^= 1;   // the subtraction's output, after the run
        LayerCheck.Report report = LayerCheck.check(net, MODEL);
        assertFalse(report.ok());
        LayerCheck.Result r = report.firstFailure();
        assertEquals("s", r.layer());
        assertEquals(5, r.firstDifference());
        assertEquals(net.s[5] ^ 1, r.model());
        assertTrue(r.message().contains("s (t.edgenn:2): first difference at [5]"), r.message());
        // the chain runs on the model's own values: the output the network computed before the corruption is right
        assertTrue(report.chain().ok(), report.chain().message());
    }
}
