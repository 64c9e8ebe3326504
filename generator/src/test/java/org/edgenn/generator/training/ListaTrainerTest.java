package org.edgenn.generator.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.edgenn.ir.graph.Program;
import org.edgenn.runtime.artifact.SafetensorsReader;
import org.edgenn.train.loop.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LISTA: generated text (untied and tied weights, learnable thresholds) and a short training run that learns. */
class ListaTrainerTest {

    static String tinyLista(String name, boolean tied) {
        return "package tiny\n\nnetwork " + name + " {\n"
                + "  input y: f32[20]\n"
                + "  label x_true: f32[40]\n"
                + "  layer We = dense(20 -> 40, bias=false, init=dictionary_t)\n"
                + (tied ? "  layer S = dense(40 -> 40, bias=false, init=ista_s)\n" : "  layer S[4] = dense(40 -> 40, bias=false, init=ista_s)\n")
                + "  param theta[4]: f32[1] = 0.1\n"
                + "  let b = We(y)\n"
                + "  state x: f32[40] = 0\n"
                + "  unroll 4 as k {\n"
                + (tied ? "    x = shrink(b + S(x), theta[k])\n" : "    x = shrink(b + S[k](x), theta[k])\n")
                + "  }\n"
                + "  output x\n"
                + "  loss nmse(x, x_true)\n"
                + "  loss 1e-4 * l1(x)\n"
                + "  compress { weights int8 per-channel\n activations int8 }\n"
                + "}\n\n"
                + "train " + name + " {\n"
                + "  data synthetic_sparse(m=20, n=40, sparsity=0.1, samples=640, test=64) -> y, x_true\n"
                + "  optimizer adam(lr=1e-2)\n"
                + "  epochs 1\n"
                + "  batch 32\n"
                + "  seed 3\n"
                + "}\n";
    }

    @Test
    void untiedListaHasOneWeightAndThresholdPerStep(@TempDir Path dir) {
        Program p = Lowered.text(dir, "lista.edgenn", tinyLista("TinyLista", false));
        String src = Generated.trainer(p, "TinyLista").source();
        assertTrue(src.contains("package tiny;"));
        assertTrue(src.contains("public final class TinyListaTrainer {"));
        for (int k = 0; k < 4; k++) {
            assertTrue(src.contains("SDVariable S_" + k + "_weight = Params.of(sd, \"S_" + k + "_weight\", istaS());"), "S[" + k + "] untied");
            assertTrue(src.contains("SDVariable theta_" + k + " = Shrink.thetaParam(sd, \"theta_" + k + "\", 0.1, 1);"), "theta[" + k + "]");
            // the int8 pipeline: the add is observed and fake-quantized, the shrink keeps its quantization
            assertTrue(src.contains("FakeQuant.activations(sd, x_" + k + "_add, ActivationObserver.ema(\"x_" + k + "_add\", 0.99))"), "add " + k);
            assertTrue(src.contains("Shrink.soft(sd, \"x_" + k + "\", x_" + k + "_add_q, theta_" + k + ");"), "shrink step " + k);
            assertFalse(src.contains("ActivationObserver.ema(\"x_" + k + "\""), "no observer of its own on shrink " + k);
            assertTrue(src.contains("// step " + k));
        }
        assertTrue(src.contains("SDVariable We_weight = Params.of(sd, \"We_weight\", dictionaryT());"));
        assertTrue(src.contains("FakeQuant.weightsPerChannel(sd, S_3_weight, 8)"));
        assertTrue(src.contains("FakeQuant.activations(sd, y, ActivationObserver.ema(\"y\", 0.99))"));
        assertTrue(src.contains("macInputObserver.put(\"S_1\", \"x_0_add\");"), "S[1] reads x[0] in x[0].add's quantization");
        assertTrue(src.contains("Losses.named(Losses.nmse(sd, x_3, x_true), \"loss\")"));
        assertTrue(src.contains(".mul(\"loss_2\", 1.0E-4)"), "weighted l1 penalty");
        assertTrue(src.contains("new SparseCoding(20, 40, 0.1, Double.POSITIVE_INFINITY, seed)"));
        assertTrue(src.contains("new Adam(new FixedSchedule(0.01))"));
    }

    @Test
    void tiedListaReusesOneWeightInEveryStep(@TempDir Path dir) throws Exception {
        Program p = Lowered.text(dir, "lista.edgenn", tinyLista("TiedLista", true));
        GeneratedTrainer g = Generated.trainer(p, "TiedLista");
        String src = g.source();
        assertEquals(1, count(src, "= Params.of(sd, \"S_weight\""), "one tied S");
        assertEquals(4, count(src, "Layers.dense(sd, \"S_"), "used by four steps");
        assertEquals(4, count(src, ", S_weight_q, null)"));
        assertTrue(src.contains("(tied: 4 uses)"));
        Generated.compile(g);
    }

    @Test
    void tinyListaTrainsLossFallsAndArtifactsAreWritten(@TempDir Path dir) throws Exception {
        Program p = Lowered.text(dir, "lista.edgenn", tinyLista("SmokeLista", false));
        GeneratedTrainer g = Generated.trainer(p, "SmokeLista");
        Class<?> c = Generated.compile(g).load(g.qualifiedName());
        Object t = c.getConstructor().newInstance();
        set(t, "batchesPerEpoch", 20);
        set(t, "epochs", 1);
        set(t, "qatFromEpoch", -1);
        List<Double> running = new ArrayList<>();
        Progress.Listener l = pr -> running.add(pr.loss());
        @SuppressWarnings("unchecked")
        Map<String, Double> m = (Map<String, Double>) c.getMethod("train", Path.class, Progress.Listener.class).invoke(t, dir.resolve("out"), l);
        assertEquals(20, running.size());
        List<Double> step = new ArrayList<>();
        for (int i = 0; i < running.size(); i++) {
            step.add(i == 0 ? running.get(0) : (i + 1) * running.get(i) - i * running.get(i - 1));
        }
        step.forEach(v -> assertTrue(Double.isFinite(v)));
        double last = step.subList(15, 20).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertTrue(last < 0.9 * step.get(0), "loss falls over 20 steps: " + step);
        assertTrue(Double.isFinite(m.get("float.nmse_db")) && m.get("float.nmse_db") < 0, m.toString());
        assertTrue(Double.isFinite(m.get("int8.nmse_db")), m.toString());
        Path out = dir.resolve("out");
        try (SafetensorsReader r = SafetensorsReader.open(out.resolve("SmokeLista.safetensors"))) {
            assertTrue(r.names().contains("We_weight"));
            assertTrue(r.names().contains("S_3_weight.scale"));
            assertTrue(r.names().contains("theta_0"));
            assertTrue(r.names().contains("act.y.scale"));
            assertEquals(20 * 40, r.readInt8("We_weight").length);
            float theta = r.readFloat32("theta_0")[0];
            assertTrue(theta > 0, "threshold stays positive: " + theta);
        }
        String json = Files.readString(out.resolve("SmokeLista.metrics.json"));
        assertTrue(json.contains("nmse_db"), json);
        assertTrue(Files.size(out.resolve("SmokeLista.curve.png")) > 100);
        assertFalse(json.contains("NaN"), json);
    }

    @Test
    void qatSwitchesOnAfterTheGivenEpoch(@TempDir Path dir) throws Exception {
        Program p = Lowered.text(dir, "lista.edgenn", tinyLista("QatLista", false).replace("  epochs 1\n", "  epochs 2\n  qat from epoch 1\n"));
        GeneratedTrainer g = Generated.trainer(p, "QatLista");
        assertTrue(g.source().contains("public int qatFromEpoch = 1;"));
        Class<?> c = Generated.compile(g).load(g.qualifiedName());
        Object t = c.getConstructor().newInstance();
        set(t, "batchesPerEpoch", 3);
        List<Boolean> quantOn = new ArrayList<>();
        Progress.Listener l = pr -> quantOn.add(org.edgenn.train.quant.FakeQuant.isEnabled(
                (org.nd4j.autodiff.samediff.SameDiff) get(t, "sd")));
        @SuppressWarnings("unchecked")
        Map<String, Double> m = (Map<String, Double>) c.getMethod("train", Path.class, Progress.Listener.class).invoke(t, dir.resolve("out"), l);
        assertEquals(List.of(false, false, false, true, true, true), quantOn, "float epoch 1, QAT epoch 2");
        assertTrue(Files.readString(dir.resolve("out/QatLista.metrics.json")).contains("\"qat_from_epoch\" : 1"));
        assertTrue(Double.isFinite(m.get("int8.nmse_db")));
    }

    static Object get(Object o, String field) {
        try {
            return o.getClass().getField(field).get(o);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    static void set(Object o, String field, Object v) throws ReflectiveOperationException {
        Field f = o.getClass().getField(field);
        f.set(o, v);
    }

    static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
