package org.edgenn.train.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.edgenn.runtime.artifact.SafetensorsWriter;
import org.edgenn.train.data.DataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Initial weights from a float safetensors file in import-onnx's layout, checked element by element against the
 * index arithmetic of the two layouts written out here (conv OHWI → [kH, kW, in/g, out], dense [OUT, IN] → [in, out]),
 * and every misfit reported at once.
 */
class InitialWeightsTest {

    private static final int K = 3, FY = 2, FX = 3, C = 4, IN = 5, OUT = 6;

    /** A trainer-like graph: a conv weight, its bias, a dense weight and a 2-D param kept as declared. */
    private static SameDiff graph() {
        SameDiff sd = SameDiff.create();
        sd.var("c_weight", Nd4j.zeros(DataType.FLOAT, FY, FX, C, K));
        sd.var("c_bias", Nd4j.zeros(DataType.FLOAT, K));
        sd.var("d_weight", Nd4j.zeros(DataType.FLOAT, IN, OUT));
        sd.var("p", Nd4j.zeros(DataType.FLOAT, 2, 3));
        return sd;
    }

    private static final Map<String, String> NAMES = Map.of("c_weight", "c.weight", "c_bias", "c.bias",
            "d_weight", "d.weight", "p", "p");

    private static float[] random(int n, Random r) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextFloat() * 2 - 1;
        }
        return v;
    }

    @Test
    void theFileLayoutIsConvertedToTheTrainersLayout(@TempDir Path dir) throws Exception {
        Random r = new Random(5);
        float[] conv = random(K * FY * FX * C, r), bias = random(K, r), dense = random(OUT * IN, r), p = random(6, r);
        Path f = dir.resolve("w.safetensors");
        new SafetensorsWriter().addFloat32("c.weight", new long[] {K, FY, FX, C}, conv).addFloat32("c.bias", new long[] {K}, bias)
                .addFloat32("d.weight", new long[] {OUT, IN}, dense).addFloat32("p", new long[] {2, 3}, p).write(f);
        SameDiff sd = graph();
        InitialWeights.load(sd, f, NAMES, List.of("p"), "Net");
        INDArray cw = sd.getArrForVarName("c_weight");
        for (int k = 0; k < K; k++) {
            for (int y = 0; y < FY; y++) {
                for (int x = 0; x < FX; x++) {
                    for (int c = 0; c < C; c++) {
                        assertEquals(conv[((k * FY + y) * FX + x) * C + c], cw.getFloat(y, x, c, k), 0f);
                    }
                }
            }
        }
        INDArray dw = sd.getArrForVarName("d_weight");
        for (int o = 0; o < OUT; o++) {
            for (int i = 0; i < IN; i++) {
                assertEquals(dense[o * IN + i], dw.getFloat(i, o), 0f);
            }
        }
        for (int k = 0; k < K; k++) {
            assertEquals(bias[k], sd.getArrForVarName("c_bias").getFloat(k), 0f);
        }
        for (int i = 0; i < 6; i++) {
            assertEquals(p[i], sd.getArrForVarName("p").getFloat(i / 3, i % 3), 0f); // as declared, not transposed
        }
    }

    @Test
    void unknownMissingMisshapenAndIntegerTensorsAreReportedTogetherAndNothingIsSet(@TempDir Path dir) throws Exception {
        Random r = new Random(6);
        Path f = dir.resolve("bad.safetensors");
        new SafetensorsWriter()
                .addFloat32("c.weight", new long[] {K, FY, FX, C}, random(K * FY * FX * C, r))  // fits
                .addFloat32("d.weight", new long[] {IN, OUT}, random(OUT * IN, r))               // transposed: misfit
                .addInt8("p", new long[] {2, 3}, new byte[6])                                    // int8, not float
                .addFloat32("e.weight", new long[] {2}, random(2, r))                            // no such weight
                .write(f);                                                                        // c.bias missing
        SameDiff sd = graph();
        InitialWeights.Problems e = assertThrows(InitialWeights.Problems.class,
                () -> InitialWeights.load(sd, f, NAMES, List.of("p"), "Net"));
        List<String> problems = e.problems();
        assertEquals(4, problems.size(), problems.toString());
        assertTrue(problems.contains("tensor e.weight names no trained weight of Net"), problems.toString());
        assertTrue(problems.contains("no tensor c.bias [3] (a trained weight of Net)"), problems.toString());
        assertTrue(problems.contains("tensor d.weight has shape [5, 6], Net needs [6, 5] (dense [OUT, IN])"), problems.toString());
        assertTrue(problems.contains("tensor p is I8, not F32: initial weights are float"), problems.toString());
        assertEquals(0.0, sd.getArrForVarName("c_weight").sumNumber().doubleValue(), 0.0, "set despite the problems");
    }

    @Test
    void nonFiniteValuesAreNamedAndNothingIsSet(@TempDir Path dir) throws Exception {
        Random r = new Random(7);
        float[] conv = random(K * FY * FX * C, r), bias = random(K, r), dense = random(OUT * IN, r);
        conv[5] = Float.NaN;
        dense[OUT * IN - 1] = Float.POSITIVE_INFINITY;
        Path f = dir.resolve("nan.safetensors");
        new SafetensorsWriter().addFloat32("c.weight", new long[] {K, FY, FX, C}, conv).addFloat32("c.bias", new long[] {K}, bias)
                .addFloat32("d.weight", new long[] {OUT, IN}, dense).addFloat32("p", new long[] {2, 3}, random(6, r)).write(f);
        SameDiff sd = graph();
        InitialWeights.Problems e = assertThrows(InitialWeights.Problems.class,
                () -> InitialWeights.load(sd, f, NAMES, List.of("p"), "Net"));
        assertEquals(java.util.Set.of("tensor c.weight holds the non-finite value NaN at index 5",
                "tensor d.weight holds the non-finite value Infinity at index 29"), java.util.Set.copyOf(e.problems()));
        assertEquals(2, e.problems().size(), e.problems().toString());
        assertEquals(0.0, sd.getArrForVarName("c_bias").sumNumber().doubleValue(), 0.0, "the finite tensors are not set either");
    }

    @Test
    void aMissingFileIsADataProblem(@TempDir Path dir) {
        DataException e = assertThrows(DataException.class,
                () -> InitialWeights.load(graph(), dir.resolve("none.safetensors"), NAMES, List.of(), "Net"));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }
}
