package org.edgenn.train.quant;

import org.edgenn.runtime.quant.QuantParams;
import org.edgenn.runtime.quant.Quantization;

import org.edgenn.train.export.Int8Export;
import org.edgenn.train.export.Int8Tensor;
import org.edgenn.train.sd.Params;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class FakeQuantTest {

    /** Independent reference: per-output-channel (last axis) symmetric int8 by plain loops over a [rows, c] matrix. */
    static float[][] referenceQuantDequant(float[][] w) {
        int rows = w.length, c = w[0].length;
        float[][] out = new float[rows][c];
        for (int k = 0; k < c; k++) {
            float max = 0;
            for (float[] row : w) max = Math.max(max, Math.abs(row[k]));
            float s = max > 0 ? max / 127f : 1f / 127f;
            for (int i = 0; i < rows; i++) {
                double v = w[i][k] / s;
                long q = (long) (Math.signum(v) * Math.floor(Math.abs(v) + 0.5));
                q = Math.max(-127, Math.min(127, q));
                out[i][k] = q * s;
            }
        }
        return out;
    }

    static float[][] randomMatrix(int r, int c, long seed) {
        Random rnd = new Random(seed);
        float[][] w = new float[r][c];
        for (int i = 0; i < r; i++) for (int k = 0; k < c; k++) w[i][k] = (float) (rnd.nextGaussian() * (k + 1));
        return w;
    }

    @Test
    void perChannelScalesMatchPlainLoopReference() {
        float[][] w = randomMatrix(7, 5, 1);
        w[3][2] = 0; // some exact zero
        for (int i = 0; i < 7; i++) w[i][4] = 0; // an all-zero channel
        Int8Tensor t = Int8Export.quantizeWeightsPerChannel("w", Nd4j.create(w), 8);
        float[] scales = t.scales();
        assertEquals(5, scales.length);
        for (int k = 0; k < 5; k++) {
            float max = 0;
            for (float[] row : w) max = Math.max(max, Math.abs(row[k]));
            float expect = max > 0 ? max / 127f : 1f / 127f;
            assertEquals(expect, scales[k], 1e-7f * Math.max(1, expect), "scale of channel " + k);
        }
        float[][] ref = referenceQuantDequant(w);
        float[] deq = t.dequantize();
        for (int i = 0; i < 7; i++) for (int k = 0; k < 5; k++) assertEquals(ref[i][k], deq[i * 5 + k], 1e-6f);
        byte[] q = t.int8Data();
        int maxQ = 0;
        for (byte b : q) maxQ = Math.max(maxQ, Math.abs(b));
        assertEquals(127, maxQ, "the largest weight of a channel maps to +-127");
        assertEquals(0, q[3 * 5 + 2]);
    }

    @Test
    void convWeightsUseLastAxisAsOutputChannel() {
        INDArray w = Params.gaussian(3, 1.0, 3, 3, 2, 4);
        w.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(1)).muli(10);
        Int8Tensor t = Int8Export.quantizeWeightsPerChannel("c", w, 8);
        assertEquals(3, t.channelAxis());
        float[][] flat = w.reshape('c', 18, 4).toFloatMatrix();
        for (int k = 0; k < 4; k++) {
            float max = 0;
            for (float[] row : flat) max = Math.max(max, Math.abs(row[k]));
            assertEquals(max / 127f, t.scales()[k], 1e-6f);
        }
        assertTrue(t.scales()[1] > 5 * t.scales()[0]);
    }

    @Test
    void weightFakeQuantForwardEqualsExportAndGradientIsIdentity() {
        float[][] w = randomMatrix(6, 4, 2);
        SameDiff sd = SameDiff.create();
        SDVariable wv = sd.var("w", Nd4j.create(w));
        INDArray c = Params.gaussian(5, 1.0, 6, 4);
        SDVariable fq = FakeQuant.weightsPerChannel(sd, wv, 8);
        SDVariable loss = fq.mul(sd.constant("c", c)).sum().rename("loss");
        sd.setLossVariables("loss");
        INDArray out = fq.eval();
        float[] exported = Int8Export.quantizeWeightsPerChannel("w", Nd4j.create(w), 8).dequantize();
        assertArrayEquals(exported, out.dup('c').data().asFloat(), 1e-6f, "graph fake-quant == export dequantization");
        // values really are quantized (not the float weights)
        assertFalse(out.equalsWithEps(Nd4j.create(w), 1e-7));
        Map<String, INDArray> g = sd.calculateGradients(Map.of(), "w");
        INDArray gw = g.get("w");
        assertNotNull(gw);
        assertTrue(gw.equalsWithEps(c, 1e-6), "STE: d loss / d w == c (identity through the quantizer), got " + gw);
        assertTrue(gw.norm2Number().doubleValue() > 0, "gradient must be non-zero (built-in FakeQuant op gives 0)");
    }

    @Test
    void weightFakeQuantIsBitExactWithTheExportOnALargeMatrix() {
        INDArray w = Params.gaussian(11, 0.3, 300, 70);
        w.getColumn(5).assign(0);                                   // an all-zero channel
        SameDiff sd = SameDiff.create();
        SDVariable fq = FakeQuant.weightsPerChannel(sd, sd.var("w", w.dup()), 8);
        float[] graph = fq.eval().dup('c').data().asFloat();
        float[] export = Int8Export.quantizeWeightsPerChannel("w", w, 8).dequantize();
        assertArrayEquals(export, graph, 0f, "per channel: same integers and scales as the export");
        SameDiff sd2 = SameDiff.create();
        float[] perTensor = FakeQuant.weightsPerTensor(sd2, sd2.var("w", w.dup()), 8).eval().dup('c').data().asFloat();
        assertArrayEquals(Int8Export.quantizeWeightsPerTensor("w", w, 8).dequantize(), perTensor, 0f, "per tensor");
    }

    @Test
    void activationNodeQuantizesInEveryKindOfRunButObservesOnlyArmedSteps() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 40);
        SDVariable w = sd.var("w", Params.gaussian(3, 0.5, 40, 40));
        ActivationObserver obs = ActivationObserver.ema("h", 0.5);
        SDVariable h = x.mmul("h", w);
        SDVariable q = FakeQuant.activations(sd, h, obs);
        q.mul(q).sum().rename("loss");
        sd.setLossVariables("loss");
        INDArray in = Params.gaussian(4, 1.0, 8, 40);
        Map<String, INDArray> ph = Map.of("x", in);
        obs.setRange(-2, 3);
        QuantParams p = obs.params();
        float[] pre = sd.output(ph, "h").get("h").dup('c').data().asFloat();
        float[] out = sd.output(ph, q.name()).get(q.name()).dup('c').data().asFloat();
        for (int i = 0; i < pre.length; i++) assertEquals(p.dequantize(p.quantize(pre[i])), out[i], 0f, "element " + i);
        // the backward pass sees the quantized forward value: d sum(q^2)/dh = 2 q(h), and dL/dw = x^T (2 q(h))
        INDArray gw = sd.calculateGradients(ph, "w").get("w");
        INDArray expect = in.transpose().mmul(Nd4j.create(out, new long[] {8, 40}, 'c').mul(2));
        assertTrue(gw.equalsWithEps(expect, 1e-3), "gradient through the STE uses q(h)");
        assertEquals(1, obs.observations(), "output and gradient runs do not move the observer");
        obs.beforeStep(sd, 0);
        sd.output(ph, q.name());
        sd.output(ph, q.name());
        obs.afterStep(sd, 0);
        assertEquals(2, obs.observations(), "an armed step observes its forward pass once");
    }

    @Test
    void steGradientMatchesFiniteDifferenceOfTheSurrogate() {
        // the surrogate x -> x has derivative 1: finite differences of the *unquantized* objective match the STE gradient
        SameDiff sd = SameDiff.create();
        INDArray w0 = Params.gaussian(9, 0.5, 3, 2);
        SDVariable wv = sd.var("w", w0.dup());
        SDVariable fq = FakeQuant.weightsPerChannel(sd, wv, 8);
        fq.mul(fq).sum().rename("loss");
        sd.setLossVariables("loss");
        INDArray gw = sd.calculateGradients(Map.of(), "w").get("w");
        // STE: d/dw sum(q(w)^2) = 2 q(w) (outer derivative at q(w), identity inner)
        INDArray expect = fq.eval().mul(2);
        assertTrue(gw.equalsWithEps(expect, 1e-5), gw + " vs " + expect);
    }

    @Test
    void activationFakeQuantUsesObserverRangeAndIdentityGradient() {
        SameDiff sd = SameDiff.create();
        INDArray in = Nd4j.create(new float[][] {{-1f, 0f, 0.3333f, 3f}, {2.5f, -0.77f, 1.234f, 5f}});
        SDVariable x = sd.var("x", in.dup());
        ActivationObserver obs = ActivationObserver.minMax("act");
        SDVariable pre = x.mul("pre", 1.0);
        SDVariable y = FakeQuant.activations(sd, pre, obs);
        y.sum().rename("loss");
        sd.setLossVariables("loss");
        // before any observation the node is the identity
        assertTrue(sd.output(Map.<String, INDArray>of(), y.name()).get(y.name()).equalsWithEps(in, 1e-7));
        obs.setRange(-1, 3);
        QuantParams p = Quantization.activationParams(-1, 3);
        assertEquals(4.0 / 255, p.scale(), 1e-7);
        INDArray out = sd.output(Map.<String, INDArray>of(), y.name()).get(y.name());
        float[] o = out.dup('c').data().asFloat();
        float[] v = in.dup('c').data().asFloat();
        for (int i = 0; i < v.length; i++) assertEquals(p.dequantize(p.quantize(v[i])), o[i], 1e-6f, "element " + i);
        assertEquals(0f, o[1], 0f, "zero is exactly representable");
        assertEquals(3f, o[7], 0.02f, "values above the range are clipped to hi");
        INDArray gx = sd.calculateGradients(Map.of(), "x").get("x");
        assertTrue(gx.equalsWithEps(Nd4j.ones(DataType.FLOAT, 2, 4), 1e-7), "STE gradient is the identity: " + gx);
        FakeQuant.setEnabled(sd, false);
        assertTrue(sd.output(Map.<String, INDArray>of(), y.name()).get(y.name()).equalsWithEps(in, 1e-7), "QAT switch off = float");
    }

    @Test
    void ptqCalibrationRecordsGlobalMinMax() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 3);
        ActivationObserver obs = ActivationObserver.minMax("h");
        SDVariable h = x.mul("h", 2.0);
        FakeQuant.activations(sd, h, obs);
        INDArray[] batches = {
                Nd4j.create(new float[][] {{0.1f, -0.2f, 0.3f}}),
                Nd4j.create(new float[][] {{1.5f, 0.0f, -0.4f}}),
                Nd4j.create(new float[][] {{0.2f, 0.7f, 0.1f}})};
        org.edgenn.train.data.BatchSource src = new org.edgenn.train.data.BatchSource() {
            public int batchesPerEpoch() { return 3; }
            public org.nd4j.linalg.dataset.api.MultiDataSet batch(int e, int i) {
                return new org.nd4j.linalg.dataset.MultiDataSet(batches[i], null);
            }
        };
        assertEquals(3, Calibration.run(sd, src, List.of("x"), 10));
        assertEquals(List.of(obs), Calibration.observers(sd));
        assertEquals(-0.8, obs.min(), 1e-6);
        assertEquals(3.0, obs.max(), 1e-6);
        assertEquals(3, obs.observations());
        QuantParams p = obs.params();
        assertEquals(3.8 / 255, p.scale(), 1e-6);
        assertEquals(-128 + Math.round(0.8 / p.scale()), p.zeroPoint());
        assertTrue(FakeQuant.isEnabled(sd));
    }

    @Test
    void emaObserverSmoothsBatchRanges() {
        ActivationObserver o = ActivationObserver.ema("a", 0.5);
        o.update(-1, 1);
        o.update(-3, 3);
        assertEquals(-2, o.min(), 1e-12);
        assertEquals(2, o.max(), 1e-12);
        o.freeze();
        o.update(-100, 100);
        assertEquals(2, o.max(), 1e-12);
    }
}
