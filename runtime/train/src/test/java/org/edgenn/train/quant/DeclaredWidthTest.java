package org.edgenn.train.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.edgenn.runtime.artifact.Int8Artifact;
import org.edgenn.runtime.artifact.SafetensorsReader;
import org.edgenn.runtime.quant.QuantParams;
import org.edgenn.train.export.Int8Export;
import org.edgenn.train.export.Int8Files;
import org.edgenn.train.export.Int8Tensor;
import org.edgenn.train.sd.Params;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every declared width is honoured by training and export: the fake-quantized weights take exactly
 * {@code 2^bits - 1} symmetric levels (per channel and per tensor) and equal the exported integers times their scales,
 * the artifact holds the same integers (packed for 2 and 4 bits), and an activation observer quantizes to
 * {@code 2^bits} levels over its range — each checked against plain loops written here.
 */
class DeclaredWidthTest {
    @TempDir
    Path dir;

    /** Reference: symmetric quantize-dequantize of column k by plain loops, at {@code bits}. */
    private static float[] reference(float[] w, int rows, int cols, int bits, boolean perChannel) {
        int qmax = (1 << (bits - 1)) - 1;
        float[] out = new float[w.length];
        double tensorMax = 0;
        for (float v : w) tensorMax = Math.max(tensorMax, Math.abs(v));
        for (int k = 0; k < cols; k++) {
            double max = 0;
            for (int i = 0; i < rows; i++) max = Math.max(max, Math.abs(w[i * cols + k]));
            if (!perChannel) max = tensorMax;
            float s = max > 0 ? (float) (max / qmax) : 1f / qmax;
            for (int i = 0; i < rows; i++) {
                double v = w[i * cols + k] / (double) s;
                long q = (long) (Math.signum(v) * Math.floor(Math.abs(v) + 0.5));
                q = Math.max(-qmax, Math.min(qmax, q));
                out[i * cols + k] = q * s;
            }
        }
        return out;
    }

    @ParameterizedTest(name = "int{0} weights")
    @ValueSource(ints = {2, 4, 8})
    void weightsAreFakeQuantizedAndExportedAtTheirWidth(int bits) throws Exception {
        int rows = 40, cols = 6;
        INDArray w = Params.gaussian(bits, 0.5, rows, cols);
        float[] flat = w.dup('c').data().asFloat();
        for (boolean perChannel : new boolean[] {true, false}) {
            SameDiff sd = SameDiff.create();
            SDVariable v = sd.var("w", w.dup());
            SDVariable fq = perChannel ? FakeQuant.weightsPerChannel(sd, v, bits) : FakeQuant.weightsPerTensor(sd, v, bits);
            float[] graph = fq.eval().dup('c').data().asFloat();
            assertArrayEquals(reference(flat, rows, cols, bits, perChannel), graph, 1e-6f, "fake quant int" + bits);
            Int8Tensor t = new Int8Export.Format(bits, perChannel).perChannel()
                    ? Int8Export.quantizeWeightsPerChannel("w", w, bits) : Int8Export.quantizeWeightsPerTensor("w", w, bits);
            assertArrayEquals(t.dequantize(), graph, 0f, "training sees the exported integers");
            assertEquals(bits, t.bits());
            int levels = (int) java.util.stream.IntStream.range(0, t.length()).map(i -> t.int8Data()[i]).distinct().count();
            assertTrue(levels <= (1 << bits) - 1, levels + " levels at int" + bits);
            int qmax = (1 << (bits - 1)) - 1;
            for (byte q : t.int8Data()) assertTrue(Math.abs(q) <= qmax, "int" + bits + " holds " + q);
        }
    }

    @ParameterizedTest(name = "int{0} weights in the artifact")
    @ValueSource(ints = {2, 4, 8})
    void artifactStoresTheIntegersAtTheirWidth(int bits) throws Exception {
        INDArray w = Params.gaussian(7, 1.0, 3, 3, 2, 5);                   // conv [kH, kW, in, out]: 90 values
        Int8Tensor t = Int8Export.quantizeWeightsPerChannel("c_weight", w, bits);
        Int8Export.Builder b = Int8Export.builder("N").weights("c_weight", w, new Int8Export.Format(bits, true));
        Path file = dir.resolve("n" + bits + ".safetensors");
        Int8Files.writeSafetensors(b.activation("x", new QuantParams(0.01f, -3, 16)).build(), file);
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            long bytes = r.info("c_weight").byteLength();
            assertEquals((90L * bits + 7) / 8, bytes, "stored bytes = ceil(values x bits / 8)");
            if (bits < 8) {
                assertEquals(Integer.toString(bits), r.metadata().get(Int8Artifact.BITS + "c_weight"));
                assertEquals("3,3,2,5", r.metadata().get(Int8Artifact.PACKED_SHAPE + "c_weight"));
            }
        }
        try (Int8Artifact a = Int8Artifact.open(file)) {
            assertEquals(bits, a.weightBits("c_weight"));
            Int8Artifact.Weights read = a.conv("c_weight", 5, 3, 3, 2);
            // inference layout [k][fy][fx][c] from the training layout [fy][fx][c][k]
            byte[] q = t.int8Data();
            for (int k = 0; k < 5; k++)
                for (int i = 0; i < 18; i++)
                    assertEquals(q[i * 5 + k], read.values()[k * 18 + i], "value " + i + " of channel " + k);
            assertEquals(new QuantParams(0.01f, -3, 16), a.activation("x"), "16-bit activation parameters round-trip");
        }
    }

    @ParameterizedTest(name = "int{0} activations")
    @ValueSource(ints = {2, 4, 8, 16})
    void observerQuantizesToItsWidth(int bits) {
        ActivationObserver o = ActivationObserver.ema("a", 0.9, bits);
        o.setRange(-1, 3);
        QuantParams p = o.params();
        assertEquals(bits, p.bits());
        assertEquals(4.0 / ((1 << bits) - 1), p.scale(), 1e-6 * p.scale());
        SameDiff sd = SameDiff.create();
        INDArray in = Nd4j.linspace(-2, 4, 101).reshape(1, 101).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
        SDVariable y = FakeQuant.activations(sd, sd.var("x", in.dup()).mul(1.0), o);
        float[] out = sd.output(Map.<String, INDArray>of(), y.name()).get(y.name()).dup('c').data().asFloat();
        float[] v = in.dup('c').data().asFloat();
        java.util.Set<Float> levels = new java.util.HashSet<>();
        for (int i = 0; i < v.length; i++) {
            // reference: round half away from zero on the grid, clamp to [-2^(b-1), 2^(b-1) - 1]
            double r = v[i] / p.scale();
            long q = (long) (Math.signum(r) * Math.floor(Math.abs(r) + 0.5)) + p.zeroPoint();
            q = Math.max(-(1L << (bits - 1)), Math.min((1L << (bits - 1)) - 1, q));
            assertEquals(p.scale() * (q - p.zeroPoint()), out[i], 1e-6f, "element " + i);
            levels.add(out[i]);
        }
        assertTrue(levels.size() <= (1 << bits), levels.size() + " levels");
        if (bits == 16) {
            long inRange = java.util.stream.IntStream.range(0, v.length).filter(i -> v[i] > -1 && v[i] < 3).count();
            assertEquals(inRange + 2, levels.size(), "16 bits resolve every input inside the range (+ the two clip levels)");
        }
    }
}
