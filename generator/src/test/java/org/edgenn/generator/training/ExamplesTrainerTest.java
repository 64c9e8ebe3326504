package org.edgenn.generator.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Program;
import org.edgenn.runtime.artifact.SafetensorsReader;
import org.edgenn.train.loop.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The example networks: the generated text maps their ops as documented, and each trainer compiles and runs two
 * optimizer steps on tiny random data (finite loss, artifacts written).
 */
class ExamplesTrainerTest {

    @TempDir
    Path dir;

    /** The trainer of the last smoke run. */
    private Object last;

    @Test
    void cscDenoiserTiesConvolutionsAndLearnsPerChannelThresholds() throws Exception {
        Program p = Lowered.example("denoise/csc_denoiser.edgenn");
        GeneratedTrainer g = Generated.trainer(p, "CscDenoiser");
        String src = g.source();
        assertEquals(1, ListaTrainerTest.count(src, "= Params.of(sd, \"A_weight\""), "A tied");
        assertEquals(1, ListaTrainerTest.count(src, "= Params.of(sd, \"B_weight\""), "B tied");
        assertEquals(8, ListaTrainerTest.count(src, "Layers.conv2d(sd, \"A_"), "A used in 8 steps");
        // z[2] is a shrink of the fake-quantized z[2].sub: it stays on that grid, no observer of its own (int8 plan)
        assertTrue(src.contains("Layers.conv2d(sd, \"A_3\", z_2, A_weight_q, null, 1, 3, 1)"), src);
        assertTrue(src.contains("FakeQuant.activations(sd, z_2_sub, ActivationObserver.ema(\"z_2_sub\", 0.99))"), src);
        assertTrue(src.contains("SDVariable theta_0 = Shrink.thetaParam(sd, \"theta_0\", 0.02, 64, 1, 1);"), "per-channel threshold [C,1,1]");
        assertTrue(src.contains("Shrink.soft(sd, \"z_7\", z_7_sub_q, theta_7)"));
        assertTrue(src.contains("MoreOps.zeros(sd, \"z_init\", noisy, 4096, 64, 64, 64)"));
        assertTrue(src.contains("images.denoising(64, 1024, sigma, batch, seed)"));
        assertTrue(src.contains("public static final String METRIC = \"psnr_db\";"));
        // the smoke run uses the same structure at a tenth of the size (the example is ~200 M MACs per image)
        Program small = Lowered.text(dir.resolve("small"), "csc.edgenn", Files.readString(Lowered.EXAMPLES.resolve("denoise/csc_denoiser.edgenn"))
                .replace("import \"../targets/tiny16.edgenn\"", "").replaceAll("budget[^\n]*", "")
                .replace("64, 64, 64", "8, 16, 16").replace("1, 64, 64", "1, 16, 16").replace("64 ->", "8 ->").replace("-> 64", "-> 8")
                .replace("f32[64]", "f32[8]").replace("theta[8]", "theta[3]").replace("unroll 8", "unroll 3"));
        Map<String, Double> m = smoke(small, "CscDenoiser", 2);
        assertTrue(Double.isFinite(m.get("float.psnr_db")), m.toString());
    }

    @Test
    void unrolledGradientKeepsTheLaplacianFixedAndLearnsScalarsPerStep() throws Exception {
        Program p = Lowered.example("denoise/unrolled_gradient.edgenn");
        String src = Generated.trainer(p, "UnrolledGradient").source();
        assertTrue(src.contains("SDVariable Lap_weight = sd.constant(\"Lap_weight\", Inits.toRuntime(Inits.laplacian(1, 1, 3, 3)));"), src);
        for (int k = 0; k < 6; k++) {
            assertTrue(src.contains("SDVariable step_" + k + " = Params.of(sd, \"step_" + k + "\", Inits.constant(0.2, 1));"));
            assertTrue(src.contains("SDVariable lambda_" + k + " = Params.of(sd, \"lambda_" + k + "\", Inits.constant(0.1, 1));"));
        }
        assertTrue(src.contains("FakeQuant.weightsPerTensor(sd, Lap_weight, 8)"));
        assertTrue(src.contains("MoreOps.projectBox(sd, \"x_5\", x_5_sub_q, 0.0, 1.0)"));
        assertTrue(src.contains("step_2.mul(\"x_2_sub_mul\", x_2_sub_mul_sub_q)"));
        Map<String, Double> m = smoke(p, "UnrolledGradient", 2);
        assertTrue(Double.isFinite(m.get("int8.psnr_db")), m.toString());
        try (SafetensorsReader r = SafetensorsReader.open(dir.resolve("out/UnrolledGradient.safetensors"))) {
            byte[] lap = r.readInt8("Lap_weight");
            assertEquals(-127, lap[4], "the fixed Laplacian centre stays -4 (scale 4/127)");
            assertEquals(0.2f, r.readFloat32("step_0")[0], 0.05f);
        }
    }

    @Test
    void fashionCnnMapsConvPoolDenseWithPruningAndQat() throws Exception {
        Program p = Lowered.example("fmnist/fashion_cnn.edgenn");
        String src = Generated.trainer(p, "FashionCnn").source();
        assertTrue(src.contains("Layers.conv2d(sd, \"c1_conv2d\", image_q, c1_conv2d_weight_q, c1_conv2d_bias, 1, 1, 1)"), src);
        assertTrue(src.contains("Layers.maxPool2d(sd, \"p2\", c2, 2, 2)"));
        assertTrue(src.contains("Layers.flatten(sd, \"h_dense_flatten\", p2, 3136)"));
        assertTrue(src.contains("Losses.crossEntropy(sd, logits_q, target)"));
        assertTrue(src.contains("Pruning.magnitude(sd, h_dense_weight, PruneSchedule.gradualEpochs(0.5, Math.max(0, pruneFromEpoch)"));
        assertEquals(4, ListaTrainerTest.count(src, "Pruning.magnitude("), "every weighted layer, not the biases");
        assertTrue(src.contains("public int qatFromEpoch = 8;"));
        assertTrue(src.contains("public int pruneFromEpoch = 2;"));
        assertTrue(src.contains("FashionMnist.load(dir, true)"));
        assertTrue(src.contains("public static final String METRIC = \"accuracy\";"));
        assertTrue(src.contains("Optimizers.cosine(0.001, 1.0E-5, (long) epochs * batches)"));
        Map<String, Double> m = smoke(p, "FashionCnn", 2, "pruneFromEpoch", 0, "pruneToEpoch", 1, "qatFromEpoch", 0);
        double acc = m.get("int8.accuracy");
        assertTrue(acc >= 0 && acc <= 1, m.toString());
    }

    @Test
    void fashionTinyUsesDepthwiseAndDistilsFromItsTeacher() throws Exception {
        Program p = Lowered.example("fmnist/fashion_cnn.edgenn");
        String src = Generated.trainer(p, "FashionTiny").source();
        assertTrue(src.contains("MoreOps.conv2d(sd, \"c1_depthwise\", c1_depthwise_conv2d_q, c1_depthwise_weight_q, c1_depthwise_bias, 1, 1, 1, 1, 1, 1, 1, 1, 16)"), src);
        assertTrue(src.contains("Layers.conv2d(sd, \"c1_depthwise_conv2d\", image_q, c1_depthwise_conv2d_weight_q, c1_depthwise_conv2d_bias, 2, 1, 1)"));
        assertTrue(src.contains("MoreOps.relu6(sd, \"c1\", c1_depthwise_q)"));
        assertTrue(src.contains("Layers.avgPool2d(sd, \"pooled\", c2, 14, 1)"), "global average pooling = window of the input");
        assertTrue(src.contains("SDVariable big = teacher_big(sd, image);"));
        assertTrue(src.contains("Losses.distill(sd, logits_q, big, 4.0)"));
        assertTrue(src.contains("sd.constant(\"big/c1_conv2d_weight\", weights.weight(\"c1_conv2d_weight\""), "teacher weights frozen");
        assertTrue(src.contains("return Ops.stopGradient(sd, logits);"));
        assertTrue(src.contains("Optimizers.cosine(0.01, "), "the student's own train block: a 10x larger step than the teacher's");
        // train the teacher first: the student then distils from its trained, dequantized int8 weights
        smoke(p, "FashionCnn", 1);
        smoke(p, "FashionTiny", 2);
        org.nd4j.autodiff.samediff.SameDiff sd = (org.nd4j.autodiff.samediff.SameDiff) last.getClass().getField("sd").get(last);
        INDArray teacherW = sd.getArrForVarName("big/logits_weight");
        try (SafetensorsReader r = SafetensorsReader.open(dir.resolve("out/FashionCnn.safetensors"))) {
            byte[] q = r.readInt8("logits_weight");
            float[] scale = r.readFloat32("logits_weight.scale");
            assertEquals(10, scale.length, "per output channel");
            for (int i : new int[] {0, 7, 1279}) {
                assertEquals(q[i] * scale[i % 10], teacherW.getFloat(i / 10, i % 10), 1e-6f, "teacher weight " + i);
            }
        }
    }

    @Test
    void espcnShufflesPixelsConcatenatesDilatesAndProjects() throws Exception {
        Program p = Lowered.example("sr/espcn.edgenn");
        String src = Generated.trainer(p, "Espcn").source();
        assertTrue(src.contains("MoreOps.pixelShuffle(sd, \"sr_add_pixelshuffle\", f3_q, 2, 1, 32, 32)"), src);
        assertTrue(src.contains("sd.concat(\"f3_concat\", 1, f1_q, f2_q)"));
        assertTrue(src.contains("Layers.conv2d(sd, \"f2_conv2d\", f1_q, f2_conv2d_weight_q, f2_conv2d_bias, 1, 2, 2)"), "dilation 2");
        assertTrue(src.contains("MoreOps.upsampleBilinear(sd, \"coarse\", low_q, 2, 1, 32, 32)"));
        assertTrue(src.contains("MoreOps.projectBox(sd, \"sr\", sr_add_q, 0.0, 1.0)"));
        assertTrue(src.contains("MoreOps.l2sq(sd, f3_q, 3)"));
        assertTrue(src.contains("images.superResolution(64, 2, 1024, batch, seed)"));
        Map<String, Double> m = smoke(p, "Espcn", 2);
        assertTrue(Double.isFinite(m.get("float.psnr_db")), m.toString());
    }

    /** Compiles the network's trainer, feeds it random data of the right shapes and trains {@code steps} steps. */
    private Map<String, Double> smoke(Program p, String network, int steps, Object... settings) throws Exception {
        Network net = p.network(network).orElseThrow();
        GeneratedTrainer g = Generated.trainer(p, network);
        Class<?> c = Generated.compile(g).load(g.qualifiedName());
        Object t = c.getConstructor().newInstance();
        last = t;
        ListaTrainerTest.set(t, "epochs", 1);
        ListaTrainerTest.set(t, "batch", 2);
        for (int i = 0; i < settings.length; i += 2) {
            ListaTrainerTest.set(t, (String) settings[i], settings[i + 1]);
        }
        ListaTrainerTest.set(t, "trainData", RandomBatches.of(net, 2 * steps, 2, 1));
        ListaTrainerTest.set(t, "heldOutData", RandomBatches.of(net, 2, 2, 2));
        List<Double> losses = new ArrayList<>();
        Progress.Listener l = pr -> losses.add(pr.loss());
        @SuppressWarnings("unchecked")
        Map<String, Double> m = (Map<String, Double>) c.getMethod("train", Path.class, Progress.Listener.class).invoke(t, dir.resolve("out"), l);
        assertEquals(steps, losses.size());
        losses.forEach(v -> assertTrue(Double.isFinite(v), network + " loss " + losses));
        assertTrue(Files.size(dir.resolve("out/" + network + ".safetensors")) > 0);
        assertTrue(Files.exists(dir.resolve("out/" + network + ".metrics.json")));
        assertTrue(Files.exists(dir.resolve("out/" + network + ".curve.png")));
        return m;
    }
}
