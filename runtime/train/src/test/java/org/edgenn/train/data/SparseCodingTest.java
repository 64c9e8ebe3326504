package org.edgenn.train.data;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class SparseCodingTest {
    @Test
    void dictionaryHasUnitNormColumnsAndIsSeeded() {
        SparseCoding p = SparseCoding.lista(42);
        INDArray a = p.dictionary();
        assertArrayEquals(new long[] {250, 500}, a.shape());
        double[] norms = a.norm2(0).toDoubleVector();
        for (double n : norms) assertEquals(1.0, n, 1e-5);
        assertEquals(a, SparseCoding.lista(42).dictionary());
        assertNotEquals(a, SparseCoding.lista(43).dictionary());
    }

    @Test
    void supportDensityAndNoiselessMeasurements() {
        SparseCoding p = SparseCoding.lista(1);
        MultiDataSet b = p.batch(400, new Random(3));
        INDArray x = b.getLabels(0), y = b.getFeatures(0);
        double density = x.neq(0).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).meanNumber().doubleValue();
        // 200,000 Bernoulli(0.1) draws: std 0.00067
        assertEquals(0.1, density, 0.004);
        double var = x.mul(x).sumNumber().doubleValue() / x.neq(0).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).sumNumber().doubleValue();
        assertEquals(1.0, var, 0.03, "non-zeros are N(0,1)");
        INDArray resid = y.sub(x.mmul(p.dictionary().transpose()));
        assertEquals(0, resid.amaxNumber().doubleValue(), 1e-4, "noiseless: y = A x");
    }

    @Test
    void measuredSnrMatchesRequest() {
        SparseCoding p = new SparseCoding(100, 200, 0.1, 20.0, 5);
        Random r = new Random(9);
        INDArray x = p.sampleCodes(500, r);
        INDArray clean = x.mmul(p.dictionary().transpose());
        INDArray y = p.measure(x, new Random(10));
        INDArray noise = y.sub(clean);
        double snr = 10 * Math.log10(clean.mul(clean).sumNumber().doubleValue() / noise.mul(noise).sumNumber().doubleValue());
        assertEquals(20.0, snr, 0.2);
    }

    @Test
    void streamIsDeterministicAndHeldOutIsFixed() {
        SparseCoding p = new SparseCoding(20, 40, 0.2, Double.POSITIVE_INFINITY, 1);
        BatchSource s = p.stream(8, 5, 77);
        assertEquals(s.batch(2, 3).getLabels(0), s.batch(2, 3).getLabels(0));
        assertNotEquals(s.batch(2, 3).getLabels(0), s.batch(2, 4).getLabels(0));
        ArrayBatches h = p.heldOut(30, 8, 4);
        assertEquals(4, h.batchesPerEpoch());
        assertEquals(6, h.batch(0, 3).getFeatures(0).size(0));
    }
}
