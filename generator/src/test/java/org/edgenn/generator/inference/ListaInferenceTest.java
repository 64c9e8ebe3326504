package org.edgenn.generator.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.edgenn.generator.training.LoweredExamples;
import org.edgenn.ir.graph.Network;
import org.edgenn.runtime.artifact.Int8Artifact;
import org.edgenn.runtime.artifact.WeightLayout;
import org.edgenn.runtime.kernels.Backend;
import org.edgenn.runtime.net.Int8Network;
import org.edgenn.runtime.quant.QuantParams;
import org.edgenn.runtime.quant.Quantization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The LISTA example as ISTA (We = Aᵀ/L, S = I − AᵀA/L, θ = λ/L for a random dictionary A): the generated int8 class
 * against an independent float computation with the artifact's dequantized weights, and its run() allocation.
 */
class ListaInferenceTest {
    static final int M = 250, N = 500, STEPS = 16;

    @TempDir
    static Path dir;
    static Path artifact;
    static FloatLista reference;
    static float[][] ys;
    static Compiled compiled;

    @BeforeAll
    static void istaArtifact() throws Exception {
        Network net = LoweredExamples.network("lista/lista.edgenn", "Lista");
        Random r = new Random(7);
        double[][] a = new double[M][N];
        for (double[] row : a) {
            for (int j = 0; j < N; j++) {
                row[j] = r.nextGaussian() / Math.sqrt(M);
            }
        }
        double l = lipschitz(a, r);
        double[][] we = new double[N][M];
        double[][] s = new double[N][N];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < M; j++) {
                we[i][j] = a[j][i] / l;
            }
            for (int j = 0; j < N; j++) {
                double ata = 0;
                for (int t = 0; t < M; t++) {
                    ata += a[t][i] * a[t][j];
                }
                s[i][j] = (i == j ? 1 : 0) - ata / l;
            }
        }
        float theta = (float) (0.5 / l);   // several LSB of the adds' quantization, so int8 rounds it by a few percent
        Int8Artifact.Writer w = new Int8Artifact.Writer();
        writeDense(w, "We_weight", we, M, N);
        for (int k = 0; k < STEPS; k++) {
            writeDense(w, "S_" + k + "_weight", s, N, N);
            w.float32("theta_" + k, new long[] {1}, new float[] {theta});
        }
        // calibrate every observed activation on a float run with the quantized weights
        ys = new float[40][];
        for (int t = 0; t < ys.length; t++) {
            ys[t] = measurement(a, r);
        }
        Path weightsOnly = dir.resolve("weights.safetensors");
        w.write(weightsOnly);
        reference = FloatLista.read(weightsOnly, M, N, STEPS);
        Map<String, float[]> range = new HashMap<>();
        FloatLista.Observer calibrate = (node, v) -> {
            float[] lh = range.computeIfAbsent(node, k -> new float[2]);
            for (float x : v) {
                lh[0] = Math.min(lh[0], x);
                lh[1] = Math.max(lh[1], x);
            }
        };
        for (float[] y : ys) {
            calibrate.see("y", y);
            reference.run(y, calibrate);
        }
        range.forEach((node, lh) -> w.activation(node, Quantization.activationParams(lh[0], lh[1])));
        artifact = dir.resolve("Lista.safetensors");
        w.write(artifact);
        compiled = Compiled.of(InferenceGenerator.generate(net));
    }

    /** Largest eigenvalue of AᵀA by power iteration. */
    private static double lipschitz(double[][] a, Random r) {
        double[] v = new double[N];
        for (int i = 0; i < N; i++) {
            v[i] = r.nextGaussian();
        }
        double lambda = 0;
        for (int it = 0; it < 100; it++) {
            double[] av = new double[M];
            for (int i = 0; i < M; i++) {
                for (int j = 0; j < N; j++) {
                    av[i] += a[i][j] * v[j];
                }
            }
            double[] atav = new double[N];
            for (int j = 0; j < N; j++) {
                for (int i = 0; i < M; i++) {
                    atav[j] += a[i][j] * av[i];
                }
            }
            double norm = 0;
            for (double x : atav) {
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            lambda = norm;
            for (int j = 0; j < N; j++) {
                v[j] = atav[j] / norm;
            }
        }
        return lambda;
    }

    /** y = A x for a 10%-sparse Gaussian code x. */
    private static float[] measurement(double[][] a, Random r) {
        double[] x = new double[N];
        for (int j = 0; j < N; j++) {
            x[j] = r.nextDouble() < 0.1 ? r.nextGaussian() : 0;
        }
        float[] y = new float[M];
        for (int i = 0; i < M; i++) {
            double v = 0;
            for (int j = 0; j < N; j++) {
                v += a[i][j] * x[j];
            }
            y[i] = (float) v;
        }
        return y;
    }

    /** Symmetric per-output-channel int8 of IR-layout weights {@code w[out][in]}, stored in the training layout. */
    private static void writeDense(Int8Artifact.Writer w, String name, double[][] real, int in, int out) {
        byte[] q = new byte[out * in];
        float[] scale = new float[out];
        for (int o = 0; o < out; o++) {
            double max = 0;
            for (int i = 0; i < in; i++) {
                max = Math.max(max, Math.abs(real[o][i]));
            }
            scale[o] = Quantization.weightScale(max, 8);
            for (int i = 0; i < in; i++) {
                q[o * in + i] = (byte) Quantization.quantizeWeight(real[o][i], scale[o], 8);
            }
        }
        w.int8(name, new long[] {in, out}, WeightLayout.denseToTraining(q, in, out), scale);
    }

    @Test
    void int8OutputTracksTheFloatNetworkWithTheSameWeights() throws Exception {
        Int8Network net = compiled.load(artifact, 4, Backend.SCALAR);
        QuantParams out = net.outputQuant();
        @SuppressWarnings("unchecked")
        float[][] int8 = (float[][]) compiled.type().getMethod("infer", float[][].class).invoke(net, (Object) ys);
        double err = 0, energy = 0, worst = 0;
        for (int t = 0; t < ys.length; t++) {
            float[] x = reference.run(ys[t], FloatLista.Observer.NONE);
            for (int i = 0; i < N; i++) {
                double d = int8[t][i] - x[i];
                err += d * d;
                energy += (double) x[i] * x[i];
                worst = Math.max(worst, Math.abs(d));
            }
        }
        double nmseDb = 10 * Math.log10(err / energy);
        System.out.printf("LISTA int8 vs float: NMSE %.1f dB, worst %.4f = %.1f LSB of the output%n", nmseDb, worst, worst / out.scale());
        // 16 unrolled steps, each rounding its dense, add and threshold once: a few output LSB at worst (measured 4.4, -26.5 dB)
        assertTrue(nmseDb < -23, "int8 vs float NMSE " + nmseDb + " dB");
        assertTrue(worst <= 8 * out.scale(), "worst element " + worst / out.scale() + " output LSB");
    }

    @Test
    void runAllocatesNothingAfterWarmUp() throws Exception {
        Int8Network net = compiled.load(artifact, 1, Backend.SCALAR);
        byte[] in = new byte[net.inputSize()];
        byte[] out = new byte[net.outputSize()];
        new Random(1).nextBytes(in);
        SteadyAllocation.Result r = SteadyAllocation.measure(() -> net.run(in, out), 10, 120);
        assertEquals(0, r.bytes(), "bytes allocated by 10 runs after " + r.rounds() + " rounds");
    }

    @Test
    void theDocumentedApiAgreesWithItselfAcrossBatchSizes() throws Exception {
        Class<?> type = compiled.type();
        assertEquals(M, type.getField("INPUT_SIZE").getInt(null));
        assertEquals(N, type.getField("OUTPUT_SIZE").getInt(null));
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {N}, (int[]) type.getField("OUTPUT_SHAPE").get(null));
        Int8Network one = (Int8Network) type.getMethod("load", Path.class).invoke(null, artifact);
        assertEquals(1, one.batch());
        Int8Network three = (Int8Network) type.getMethod("load", Path.class, int.class).invoke(null, artifact, 3);
        float[][] batched = (float[][]) type.getMethod("infer", float[][].class).invoke(three, (Object) java.util.Arrays.copyOf(ys, 5));
        for (int t = 0; t < 5; t++) {
            float[] single = (float[]) type.getMethod("infer", float[].class).invoke(one, (Object) ys[t]);
            org.junit.jupiter.api.Assertions.assertArrayEquals(single, batched[t], "sample " + t + ": batch 1 vs chunks of 3");
            // infer = quantize with inputQuant, run, dequantize with outputQuant
            byte[] q = new byte[M];
            for (int i = 0; i < M; i++) {
                q[i] = (byte) one.inputQuant().quantize(ys[t][i]);
            }
            byte[] out = new byte[N];
            one.run(q, out);
            for (int i = 0; i < N; i++) {
                assertEquals(one.outputQuant().dequantize(out[i]), single[i], "sample " + t + " element " + i);
            }
        }
    }

}
