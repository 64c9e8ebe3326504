package org.edgenn.generator.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.eclipse.jdt.internal.compiler.tool.EclipseCompiler;
import org.edgenn.generator.inference.GeneratedInference;
import org.edgenn.generator.inference.InferenceGenerator;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Program;
import org.edgenn.runtime.artifact.SafetensorsReader;
import org.edgenn.runtime.hw.AcceleratorArithmetic;
import org.edgenn.runtime.hw.FunctionalModel;
import org.edgenn.runtime.hw.LayerCheck;
import org.edgenn.runtime.kernels.Backend;
import org.edgenn.runtime.net.Int8Network;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code A^T(r)}: the transpose of a dense layer tied to the layer's own weight. One weight in the IR, one trainable
 * variable in the trainer (both uses), one tensor with one scale in the artifact; the generated int8 class reads that
 * tensor transposed, equals the hardware model layer by layer, and tracks a float ISTA computed here from the
 * artifact's dequantized A (transposed by this test, independently of the generated code).
 */
class TransposedLayerTest {

    private static final String TEXT = """
            package tiny

            network TinyIsta {
              input y: f32[20]
              label x_true: f32[40]
              layer A = dense(40 -> 20, bias=false, init=dictionary)
              param theta[2]: f32[1] = 0.05
              state x: f32[40] = 0
              unroll 2 as k {
                x = shrink(x + 0.3 * A^T(y - A(x)), theta[k])
              }
              output x
              loss nmse(x, x_true)
              compress { weights int8 per-channel
                activations int8 }
            }

            train TinyIsta {
              data synthetic_sparse(m=20, n=40, sparsity=0.1, samples=640, test=64) -> y, x_true
              optimizer adam(lr=1e-3)
              epochs 2
              qat from epoch 1
              batch 32
              seed 3
            }
            """;

    @Test
    void oneTensorTrainedThroughBothUsesAndReadTransposedInInt8(@TempDir Path dir) throws Exception {
        Program p = Lowered.text(dir, "ista.edgenn", TEXT);
        Network net = p.network("TinyIsta").orElseThrow();
        assertEquals(List.of("A.weight"), net.weights().stream().map(w -> w.name()).filter(n -> n.startsWith("A")).toList());
        assertEquals(800 + 2, net.parameterCount(), "A once (20 x 40) and two thresholds");
        assertEquals(false, net.compression().weightsOf("A").perChannel(), "a layer used transposed has one scale");

        GeneratedTrainer trainer = Generated.trainer(p, "TinyIsta");
        String src = trainer.source();
        assertEquals(1, src.split("Params.of\\(sd, \"A_weight\"", -1).length - 1, src);
        assertTrue(src.contains("FakeQuant.weightsPerTensor(sd, A_weight, 8)"), src);
        assertTrue(src.contains("Layers.denseTransposed(sd, \"A_0_T\""), src);
        Class<?> t = Generated.compile(trainer).load(trainer.qualifiedName());
        Object tr = t.getConstructor().newInstance();
        ListaTrainerTest.set(tr, "batchesPerEpoch", 10);
        t.getMethod("train", Path.class, org.edgenn.train.loop.Progress.Listener.class).invoke(tr, dir.resolve("out"), null);
        Path artifact = dir.resolve("out/TinyIsta.safetensors");
        float[][] a = new float[20][40];
        float[] theta = new float[2];
        try (SafetensorsReader r = SafetensorsReader.open(artifact)) {
            assertEquals(List.of("A_weight"), r.names().stream().filter(n -> n.startsWith("A_") && !n.contains(".")).toList(), r.names().toString());
            byte[] q = r.readInt8("A_weight");        // training layout [in, out] = [40, 20]
            float[] s = r.readFloat32("A_weight.scale");
            assertEquals(1, s.length, "one scale for A and A^T");
            for (int i = 0; i < 20; i++) {
                for (int j = 0; j < 40; j++) {
                    a[i][j] = q[j * 20 + i] * s[0];
                }
            }
            for (int k = 0; k < 2; k++) {
                theta[k] = r.readFloat32("theta_" + k)[0];
            }
        }

        GeneratedInference g = InferenceGenerator.generate(net);
        assertTrue(g.source().contains("a.denseTransposed(\"A_weight\", 20, 40)"), g.source());
        InMemoryCompiler.Result compiled = InMemoryCompiler.compile(new EclipseCompiler(), List.of(g), getClass().getClassLoader(), dir.resolve("src"));
        Class<?> c = compiled.load(g.qualifiedName());
        Random rnd = new Random(4);
        float[][] ys = new float[16][20];
        for (float[] y : ys) {
            for (int i = 0; i < y.length; i++) {
                y[i] = (float) (rnd.nextGaussian() * 0.4);
            }
        }
        Int8Network int8 = (Int8Network) c.getMethod("load", Path.class, int.class, Backend.class).invoke(null, artifact, 16, Backend.SCALAR);
        float[][] xs = (float[][]) c.getMethod("infer", float[][].class).invoke(int8, (Object) ys);
        LayerCheck.Report report = LayerCheck.check(int8, new FunctionalModel(AcceleratorArithmetic.int32("int32")));
        assertTrue(report.ok(), report.ok() ? "" : report.firstFailure().message());

        double err = 0, scale = 0;
        for (int s = 0; s < ys.length; s++) {
            double[] x = new double[40];
            for (int k = 0; k < 2; k++) {
                double[] r = new double[20];
                for (int i = 0; i < 20; i++) {
                    double ax = 0;
                    for (int j = 0; j < 40; j++) ax += a[i][j] * x[j];
                    r[i] = ys[s][i] - ax;
                }
                double[] next = new double[40];
                for (int j = 0; j < 40; j++) {
                    double atr = 0;
                    for (int i = 0; i < 20; i++) atr += a[i][j] * r[i];   // A^T r
                    double v = x[j] + 0.3 * atr;
                    next[j] = Math.signum(v) * Math.max(Math.abs(v) - theta[k], 0);
                }
                x = next;
            }
            for (int j = 0; j < 40; j++) {
                err = Math.max(err, Math.abs(xs[s][j] - x[j]));
                scale = Math.max(scale, Math.abs(x[j]));
            }
        }
        assertTrue(scale > 0.1, "the reference is not trivially zero: " + scale);
        assertTrue(err < 0.05 * scale, "int8 vs float ISTA from the artifact's A: max error " + err + " of " + scale);
    }
}
