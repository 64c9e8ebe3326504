package org.edgenn.generator.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.edgenn.ir.graph.Program;
import org.edgenn.runtime.artifact.SafetensorsReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generator reads the typed vocabulary: optimizers, schedules and initializers become the right Java, which compiles and runs. */
class VocabularyTrainerTest {

    private static String lista(String name, String optimizer, String schedule, String sInit) {
        return ListaTrainerTest.tinyLista(name, false).replace("init=ista_s", "init=" + sInit)
                .replace("  optimizer adam(lr=1e-2)\n", "  optimizer " + optimizer + "\n  schedule " + schedule + "\n");
    }

    @Test
    void everyOptimizerScheduleAndInitializerIsEmittedAndCompiles(@TempDir Path dir) throws Exception {
        String[][] cases = {
            {"adamw(lr=1e-2, weight_decay=0.05)", "cosine(min=1e-4)", "normal(0.02)",
                    "new Adam(Optimizers.cosine(0.01, 1.0E-4, (long) epochs * batches))", ".decoupledWeightDecay(0.05)",
                    "Params.gaussian(seed + 2, 0.02, 40, 40)"},
            {"sgd(0.1, momentum=0.9)", "step(gamma=0.5, every=2)", "uniform(a=0.1)",
                    "new Nesterovs(Optimizers.stepDecay(0.1, 0.5, (long) 2 * batches)", "", "Params.uniform(seed + 2, 0.1, 40, 40)"},
            {"rmsprop(lr=1e-3)", "exponential(gamma=0.9)", "he",
                    "new RmsProp(Optimizers.exponential(0.001, Math.pow(0.9, 1.0 / batches))", "", "Math.sqrt(2.0 / 40)"},
            {"sgd(lr=0.1)", "constant", "identity", "new Sgd(new FixedSchedule(0.1))", "", "Inits.toRuntime(Inits.identity(40, 40))"},
        };
        GeneratedTrainer[] all = new GeneratedTrainer[cases.length];
        for (int i = 0; i < cases.length; i++) {
            String[] c = cases[i];
            String name = "Vocab" + i;
            Program p = Lowered.text(dir.resolve(name), "lista.edgenn", lista(name, c[0], c[1], c[2]));
            GeneratedTrainer g = Generated.trainer(p, name);
            for (int k = 3; k < 6; k++) {
                assertTrue(g.source().contains(c[k]), c[0] + " " + c[1] + " " + c[2] + ": no «" + c[k] + "» in\n" + g.source());
            }
            if (!c[0].startsWith("adamw")) {
                assertTrue(!g.source().contains("decoupledWeightDecay"), c[0]);
            }
            all[i] = g;
        }
        Generated.compile(all);
    }

    /** adamw's decay reaches the weights: same seeds, same data, different trained weights than adam; adamw(weight_decay=0) is adam. */
    @Test
    void adamwDecaysTheWeightsAdamDoesNot(@TempDir Path dir) throws Exception {
        float[] adam = trainedS0(dir, "adam(lr=1e-2)", "A");
        float[] noDecay = trainedS0(dir, "adamw(lr=1e-2, weight_decay=0)", "B");
        float[] decay = trainedS0(dir, "adamw(lr=1e-2, weight_decay=0.5)", "C");
        assertEquals(java.util.Arrays.toString(adam), java.util.Arrays.toString(noDecay), "weight_decay=0 is Adam");
        assertNotEquals(java.util.Arrays.toString(adam), java.util.Arrays.toString(decay));
        double nAdam = 0, nDecay = 0;
        for (int i = 0; i < adam.length; i++) {
            nAdam += (double) adam[i] * adam[i];
            nDecay += (double) decay[i] * decay[i];
        }
        assertTrue(nDecay < nAdam, "decay shrinks the weights: |w|² " + nDecay + " vs " + nAdam);
    }

    private static float[] trainedS0(Path dir, String optimizer, String tag) throws Exception {
        String name = "Decay" + tag;
        Program p = Lowered.text(dir.resolve(name), "lista.edgenn", lista(name, optimizer, "constant", "ista_s")
                .replace("  compress { weights int8 per-channel\n activations int8 }\n", ""));
        GeneratedTrainer g = Generated.trainer(p, name);
        Class<?> c = Generated.compile(g).load(g.qualifiedName());
        Object t = c.getConstructor().newInstance();
        ListaTrainerTest.set(t, "batchesPerEpoch", 5);
        @SuppressWarnings("unchecked")
        Map<String, Double> m = (Map<String, Double>) c.getMethod("train", Path.class, org.edgenn.train.loop.Progress.Listener.class)
                .invoke(t, dir.resolve(name + "-out"), null);
        assertTrue(Double.isFinite(m.get("float.nmse_db")), m.toString());
        try (SafetensorsReader r = SafetensorsReader.open(dir.resolve(name + "-out").resolve(name + ".safetensors"))) {
            return r.readFloat32("theta_0").length > 0 ? floatWeights(r) : new float[0];
        }
    }

    /** S[0] dequantized from the int8 artifact (the float export would need the graph): scale × int8. */
    private static float[] floatWeights(SafetensorsReader r) throws java.io.IOException {
        byte[] q = r.readInt8("S_0_weight");
        float[] s = r.readFloat32("S_0_weight.scale");
        float[] w = new float[q.length];
        for (int i = 0; i < q.length; i++) {
            w[i] = q[i] * s[i % s.length];
        }
        return w;
    }
}
