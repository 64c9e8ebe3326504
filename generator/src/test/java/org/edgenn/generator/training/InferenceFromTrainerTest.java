package org.edgenn.generator.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.eclipse.jdt.internal.compiler.tool.EclipseCompiler;
import org.edgenn.generator.inference.GeneratedInference;
import org.edgenn.generator.inference.InferenceGenerator;
import org.edgenn.ir.graph.Program;
import org.edgenn.runtime.artifact.SafetensorsReader;
import org.edgenn.runtime.hw.AcceleratorArithmetic;
import org.edgenn.runtime.hw.FunctionalModel;
import org.edgenn.runtime.kernels.Backend;
import org.edgenn.runtime.kernels.KernelBackend;
import org.edgenn.runtime.net.Int8Network;
import org.edgenn.runtime.hw.LayerCheck;
import org.edgenn.runtime.quant.QuantParams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop closed on a real artifact: a generated LISTA trainer runs a few optimizer steps with quantization-aware
 * training and exports; the generated int8 class loads that file, equals the hardware model layer by layer on both
 * backends, and tracks a plain float LISTA with the artifact's dequantized weights.
 */
class InferenceFromTrainerTest {
    @Test
    void trainedListaArtifactRunsInInt8(@TempDir Path dir) throws Exception {
        String text = ListaTrainerTest.tinyLista("TrainedLista", false).replace("  epochs 1\n", "  epochs 2\n  qat from epoch 1\n");
        Program p = Lowered.text(dir, "lista.edgenn", text);
        GeneratedTrainer trainer = Generated.trainer(p, "TrainedLista");
        Class<?> t = Generated.compile(trainer).load(trainer.qualifiedName());
        Object tr = t.getConstructor().newInstance();
        ListaTrainerTest.set(tr, "batchesPerEpoch", 10);
        t.getMethod("train", Path.class, org.edgenn.train.loop.Progress.Listener.class).invoke(tr, dir.resolve("out"), null);
        Path artifact = dir.resolve("out/TrainedLista.safetensors");
        try (SafetensorsReader r = SafetensorsReader.open(artifact)) {
            for (int k = 0; k < 4; k++) {
                assertTrue(r.names().contains("act.x_" + k + "_add.scale"), "the trainer exports the add's quantization, step " + k);
            }
        }

        GeneratedInference g = InferenceGenerator.generate(p.network("TrainedLista").orElseThrow());
        InMemoryCompiler.Result compiled = InMemoryCompiler.compile(new EclipseCompiler(), List.of(g), getClass().getClassLoader(),
                dir.resolve("src"));
        Class<?> c = compiled.load(g.qualifiedName());
        FunctionalModel model = new FunctionalModel(AcceleratorArithmetic.int32("int32"));
        Random r = new Random(4);
        float[][] ys = new float[16][20];
        for (float[] y : ys) {
            for (int i = 0; i < y.length; i++) {
                y[i] = (float) (r.nextGaussian() * 0.3);
            }
        }
        float[][] first = null;
        for (Backend backend : List.of(Backend.SCALAR, Backend.VECTOR)) {
            if (!KernelBackend.isAvailable(backend)) {
                continue;
            }
            Int8Network net = (Int8Network) c.getMethod("load", Path.class, int.class, Backend.class).invoke(null, artifact, 16, backend);
            float[][] xs = (float[][]) c.getMethod("infer", float[][].class).invoke(net, (Object) ys);
            LayerCheck.Report report = LayerCheck.check(net, model);
            assertTrue(report.ok(), backend + ": " + (report.ok() ? "" : report.firstFailure().message()));
            if (first == null) {
                first = xs;
            } else {
                for (int i = 0; i < xs.length; i++) {
                    assertArrayEquals(first[i], xs[i], "SCALAR and " + backend + " differ on sample " + i);
                }
            }
        }
        org.edgenn.generator.inference.FloatListaAccess.assertTracks(artifact, ys, first, 20, 40, 4,
                ((Int8Network) c.getMethod("load", Path.class).invoke(null, artifact)).outputQuant());
    }
}
