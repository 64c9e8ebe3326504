package org.edgenn.train.export;

import org.edgenn.runtime.quant.QuantParams;
import org.edgenn.runtime.quant.Quantization;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.*;

class Int8ExportTest {
    /** The exported integers, run with int32 accumulation, reproduce the QAT graph's dense layer up to the bias rounding. */
    @Test
    void integerDenseLayerFromExportMatchesFakeQuantGraph() {
        org.nd4j.autodiff.samediff.SameDiff sd = org.nd4j.autodiff.samediff.SameDiff.create();
        org.nd4j.linalg.api.ndarray.INDArray xin = org.edgenn.train.sd.Params.gaussian(1, 1, 4, 6);
        org.nd4j.linalg.api.ndarray.INDArray w = org.edgenn.train.sd.Params.gaussian(2, 0.5, 6, 3);
        org.nd4j.linalg.api.ndarray.INDArray b = org.edgenn.train.sd.Params.gaussian(3, 0.2, 3);
        org.edgenn.train.quant.ActivationObserver obs = org.edgenn.train.quant.ActivationObserver.minMax("x");
        var x = org.edgenn.train.quant.FakeQuant.activations(sd, sd.constant("x", xin), obs);
        var wq = org.edgenn.train.quant.FakeQuant.weightsPerChannel(sd, sd.var("w", w), 8);
        var y = org.edgenn.train.sd.Layers.dense(sd, "y", x, wq, sd.var("b", b));
        obs.update(xin);
        org.nd4j.linalg.api.ndarray.INDArray graph = y.eval();
        QuantParams ap = obs.params();
        Int8Model m = Int8Export.builder("d").weightsPerChannel("w", w).bias("b", b, ap, "w").activation("x", ap).build();
        byte[] qw = m.tensor("w").int8Data();
        int[] qb = m.tensor("b").int32Data();
        float[] sw = m.tensor("w").scales();
        for (int r = 0; r < 4; r++)
            for (int k = 0; k < 3; k++) {
                long acc = qb[k];
                for (int i = 0; i < 6; i++) acc += (long) (ap.quantize(xin.getDouble(r, i)) - ap.zeroPoint()) * qw[i * 3 + k];
                double real = acc * (double) ap.scale() * sw[k];
                assertEquals(graph.getDouble(r, k), real, 0.5 * ap.scale() * sw[k] + 1e-5, "row " + r + " channel " + k);
            }
    }

    @Test
    void buildsImmutableModelWithWeightsBiasActivationsAndFloats() {
        QuantParams in = Quantization.activationParams(0, 1);
        Int8Model m = Int8Export.builder("net")
                .weightsPerChannel("fc_w", Nd4j.create(new float[][] {{0.5f, -1f}, {0.25f, 0f}}))
                .bias("fc_b", Nd4j.create(new float[] {0.1f, -0.2f}), in, "fc_w")
                .floatTensor("theta", Nd4j.create(new float[] {0.01f}))
                .activation("x", in).metadata("k", "v").build();
        assertEquals(java.util.List.of("fc_w", "fc_b", "theta"), m.tensorNames());
        Int8Tensor w = m.tensor("fc_w");
        assertArrayEquals(new byte[] {127, -127, 64, 0}, w.int8Data());
        w.int8Data()[0] = 0;
        assertEquals(127, m.tensor("fc_w").int8Data()[0], "accessors return copies");
        Int8Tensor b = m.tensor("fc_b");
        assertEquals(Math.round(0.1 / (in.scale() * (0.5f / 127))), b.int32Data()[0]);
        assertEquals(4, m.int8Count());
        assertEquals(0.25, w.zeroFraction(), 0);
        assertEquals(in, m.activation("x"));
        assertThrows(UnsupportedOperationException.class, () -> m.tensors().add(b));
        assertThrows(IllegalArgumentException.class, () -> Int8Export.builder("x")
                .weightsPerTensor("a", Nd4j.ones(2)).weightsPerTensor("a", Nd4j.ones(2)));
        assertThrows(IllegalArgumentException.class, () -> Int8Export.builder("x")
                .bias("b", Nd4j.ones(2), in, "missing"));
    }

    @Test
    void biasIsInt32AtInputTimesWeightScale() {
        float sIn = 0.02f;
        float[] sW = {0.01f, 0.005f};
        Int8Tensor b = Int8Export.quantizeBias("b", Nd4j.create(new float[] {0.123f, -0.0411f}), sIn, sW);
        assertEquals(Int8Tensor.Type.INT32, b.type());
        assertArrayEquals(new int[] {(int) Math.round(0.123 / (0.02 * 0.01)), -(int) Math.round(0.0411 / (0.02 * 0.005))}, b.int32Data());
        assertEquals(sIn * sW[1], b.scales()[1], 1e-12);
    }
}
