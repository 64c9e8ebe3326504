package org.edgenn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Program;
import org.edgenn.runtime.net.Int8Network;
import org.edgenn.train.quant.FakeQuant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A PyTorch-trained model checked, fine-tuned with QAT and compiled to int8 (issue 18): {@code small_cnn.onnx} (trained
 * by {@code onnx/src/test/python/make_models.py} to tell which quadrant of a 12×12 image holds a bright 3×3 blob) is
 * imported with {@code edgenn import-onnx}; a train block, a label, a loss and int8 compression are added to the
 * written network, as a user would, with IDX files of freshly drawn images of the same kind. The reference throughout
 * is ONNX Runtime running the original file.
 * <ul>
 * <li>step 0: the generated trainer's float network, started from the imported weights
 * ({@code --init-weights}), computes ONNX Runtime's logits;</li>
 * <li>{@code edgenn build --init-weights ... --target Tiny16}: a short QAT fine-tune from those weights, the int8 code
 * generated, compiled and verified bit-exact against Tiny16's hardware model; the int8 code's logits stay close to the
 * original float model's and its decisions agree with them.</li>
 * </ul>
 */
class ImportedFineTuneTest {

    static final Path ONNX = ImportOnnxCommandTest.MODELS.resolve("torch/small_cnn.onnx");
    private static final int SIDE = 12, CLASSES = 4, TRAIN = 512, TEST = 128;

    private static Path dir;
    private static String name;
    private static Path spec;
    private static Path weights;
    private static Images test;

    /** Images as make_models.py draws them: noise in [0, 0.3), a 3×3 blob of ones in the labelled quadrant; as uint8. */
    record Images(byte[][] pixels, int[] labels) {
        static Images draw(int n, long seed) {
            Random r = new Random(seed);
            byte[][] px = new byte[n][SIDE * SIDE];
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = r.nextInt(CLASSES);
                int top = r.nextInt(4) + 6 * (labels[i] / 2), left = r.nextInt(4) + 6 * (labels[i] % 2);
                for (int p = 0; p < SIDE * SIDE; p++) {
                    int y = p / SIDE, x = p % SIDE;
                    boolean blob = y >= top && y < top + 3 && x >= left && x < left + 3;
                    px[i][p] = (byte) Math.round((blob ? 1.0 : r.nextDouble() * 0.3) * 255);
                }
            }
            return new Images(px, labels);
        }

        /** The float input the model sees (the IDX source's scaling, u8 / 255). */
        float[] floats(int i) {
            float[] f = new float[SIDE * SIDE];
            for (int p = 0; p < f.length; p++) {
                f[p] = (pixels[i][p] & 0xff) / 255f;
            }
            return f;
        }

        void writeIdx(Path images, Path labelsFile) throws Exception {
            ByteArrayOutputStream im = new ByteArrayOutputStream(), lb = new ByteArrayOutputStream();
            try (DataOutputStream d = new DataOutputStream(im)) {
                d.writeInt(0x00000803);
                d.writeInt(pixels.length);
                d.writeInt(SIDE);
                d.writeInt(SIDE);
                for (byte[] p : pixels) {
                    d.write(p);
                }
            }
            try (DataOutputStream d = new DataOutputStream(lb)) {
                d.writeInt(0x00000801);
                d.writeInt(labels.length);
                for (int l : labels) {
                    d.writeByte(l);
                }
            }
            Files.write(images, im.toByteArray());
            Files.write(labelsFile, lb.toByteArray());
        }
    }

    @BeforeAll
    static void importAndWriteTheFineTuning(@TempDir Path tmp) throws Exception {
        dir = tmp;
        CliRun imported = CliRun.of("import-onnx", ONNX.toString(), "--out", dir.toString());
        assertEquals(0, imported.exit(), imported.err());
        name = ImportOnnxCommand.networkName(ONNX);
        weights = dir.resolve(name + ".safetensors");
        Images.draw(TRAIN, 11).writeIdx(dir.resolve("train-images"), dir.resolve("train-labels"));
        test = Images.draw(TEST, 12);
        test.writeIdx(dir.resolve("test-images"), dir.resolve("test-labels"));
        Files.copy(CliRun.EXAMPLES.resolve("targets/tiny16.edgenn"), dir.resolve("tiny16.edgenn"));
        spec = dir.resolve("finetune.edgenn");
        Files.writeString(spec, fineTuning(Files.readString(dir.resolve(name + ".edgenn"))));
        CliRun check = CliRun.of("check", spec.toString());
        assertEquals(0, check.exit(), check.out() + check.err());
    }

    /** What a user adds to the imported network to fine-tune it: a label, a loss, int8 compression, a train block. */
    private static String fineTuning(String importedText) {
        Matcher in = Pattern.compile("(?m)^\\s*input (\\w+):").matcher(importedText);
        Matcher out = Pattern.compile("(?m)^\\s*output (\\w+)").matcher(importedText);
        assertTrue(in.find() && out.find(), importedText);
        int close = importedText.lastIndexOf('}');
        return "import \"tiny16.edgenn\"\n\n" + importedText.substring(0, close)
                + "  label target: f32[" + CLASSES + "]\n"
                + "  loss cross_entropy(" + out.group(1) + ", target)\n"
                + "  compress {\n    weights int8 per-channel\n    activations int8\n  }\n"
                + "}\n\n"
                + "train " + name + " {\n"
                + "  data idx(images=\"train-images\", labels=\"train-labels\", test_images=\"test-images\", "
                + "test_labels=\"test-labels\", classes=" + CLASSES + ", test=" + TEST + ") -> " + in.group(1) + ", target\n"
                + "  optimizer adam(lr=1e-4)\n"
                + "  epochs 2\n"
                + "  batch 32\n"
                + "  qat from epoch 0\n"
                + "  seed 1\n"
                + "}\n";
    }

    /** ONNX Runtime's logits of the original model on each test image. */
    private static float[][] onnxRuntime() throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[][] logits = new float[TEST][];
        try (OrtSession s = env.createSession(Files.readAllBytes(ONNX), new OrtSession.SessionOptions())) {
            for (int i = 0; i < TEST; i++) {
                try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(test.floats(i)), new long[] {1, 1, SIDE, SIDE});
                     OrtSession.Result r = s.run(Map.of(s.getInputNames().iterator().next(), t))) {
                    FloatBuffer b = ((OnnxTensor) r.get(0)).getFloatBuffer();
                    logits[i] = new float[b.remaining()];
                    b.get(logits[i]);
                }
            }
        }
        return logits;
    }

    private static Network network(Program[] program) {
        StringWriter err = new StringWriter();
        Loaded loaded = Loaded.check(List.of(spec.toString()), new PrintWriter(err));
        assertEquals(null, loaded.exit(), err.toString());
        program[0] = loaded.workspace().program();
        return program[0].networks().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void atStepZeroTheTrainersFloatNetworkComputesOnnxRuntimesLogits() throws Exception {
        Program[] program = new Program[1];
        Network net = network(program);
        GeneratedClasses classes = GeneratedClasses.compile(program[0], net, dir.resolve("step0/src"));
        Object trainer = classes.newTrainer(dir);
        Class<?> c = trainer.getClass();
        c.getField("initWeights").set(trainer, weights);
        SameDiff sd = (SameDiff) c.getField("sd").get(trainer);
        c.getMethod("openData").invoke(trainer);
        c.getMethod("build", SameDiff.class).invoke(trainer, sd);
        c.getMethod("loadInitialWeights").invoke(trainer);   // what train() does after build, before the first step
        FakeQuant.setEnabled(sd, false);
        String input = ((String[]) c.getField("INPUTS").get(null))[0];
        String output = ((SDVariable) c.getField("output").get(trainer)).name();
        float[][] reference = onnxRuntime();
        double max = 0;
        for (int i = 0; i < TEST; i++) {
            INDArray x = Nd4j.create(test.floats(i), new long[] {1, 1, SIDE, SIDE}, 'c');
            float[] ours = sd.output(Map.of(input, x), output).get(output).toFloatVector();
            assertEquals(reference[i].length, ours.length);
            for (int k = 0; k < ours.length; k++) {
                max = Math.max(max, Math.abs(ours[k] - reference[i][k]));
                assertEquals(reference[i][k], ours[k], 1e-4 * Math.max(1, Math.abs(reference[i][k])), "image " + i + " logit " + k);
            }
        }
        System.out.printf(Locale.ROOT, "%s step 0 (imported weights) vs ONNX Runtime: max |logit difference| %.2e over %d images%n",
                name, max, TEST);
    }

    @Test
    void aShortQatFineTuneFromTheImportedWeightsCompilesToInt8CloseToTheFloatModel() throws Exception {
        Path out = dir.resolve("build");
        CliRun build = CliRun.of("build", spec.toString(), "--network", name, "--target", "Tiny16", "--out", out.toString(),
                "--init-weights", weights.toString(), "--samples", "32", "--layer-budget", "PT0.5S");
        assertEquals(0, build.exit(), build.out() + build.err());
        // the verify stage: the generated int8 code against Tiny16's hardware model, every check passed
        assertTrue(build.out().lines().anyMatch(l -> l.equals("verified")), build.out());
        assertTrue(build.out().lines().noneMatch(l -> l.contains("FAILED")), build.out());

        Program[] program = new Program[1];
        Network net = network(program);
        GeneratedClasses classes = GeneratedClasses.compile(program[0], net, dir.resolve("int8/src"));
        Int8Network int8 = classes.load(out.resolve(name + ".safetensors"));
        Method infer = classes.infer();
        float[][] reference = onnxRuntime();
        int agree = 0, rightFloat = 0, rightInt8 = 0;
        double maxDiff = 0, sumDiff = 0, maxLogit = 0;
        for (int i = 0; i < TEST; i++) {
            float[] q = (float[]) infer.invoke(int8, (Object) test.floats(i));
            float[] f = reference[i];
            for (int k = 0; k < f.length; k++) {
                maxDiff = Math.max(maxDiff, Math.abs(q[k] - f[k]));
                sumDiff += Math.abs(q[k] - f[k]);
                maxLogit = Math.max(maxLogit, Math.abs(f[k]));
            }
            int a = argmax(q), b = argmax(f);
            agree += a == b ? 1 : 0;
            rightInt8 += a == test.labels()[i] ? 1 : 0;
            rightFloat += b == test.labels()[i] ? 1 : 0;
        }
        System.out.printf(Locale.ROOT, "%s int8 after QAT fine-tune vs original float model (ONNX Runtime), %d images: decisions agree %d/%d,"
                        + " max |logit difference| %.3f, mean %.3f (largest float |logit| %.2f); accuracy float %d/%d, int8 %d/%d%n",
                name, TEST, agree, TEST, maxDiff, sumDiff / (TEST * CLASSES), maxLogit, rightFloat, TEST, rightInt8, TEST);
        assertTrue(agree >= TEST * 0.97, "int8 and float decisions agree on " + agree + " of " + TEST);
        assertTrue(rightInt8 >= rightFloat - TEST * 0.03, "int8 accuracy " + rightInt8 + " vs float " + rightFloat);
    }

    @Test
    void anotherNetworksWeightsAreRefusedWithEveryProblemNamed(@TempDir Path other) {
        CliRun mlp = CliRun.of("import-onnx", ImportOnnxCommandTest.MODELS.resolve("torch/mlp.onnx").toString(), "--out", other.toString());
        assertEquals(0, mlp.exit(), mlp.err());
        Path wrong = other.resolve(ImportOnnxCommand.networkName(ImportOnnxCommandTest.MODELS.resolve("torch/mlp.onnx")) + ".safetensors");
        CliRun train = CliRun.of("train", spec.toString(), "--network", name, "--out", other.resolve("out").toString(),
                "--init-weights", wrong.toString(), "--epochs", "1", "--batches-per-epoch", "1");
        assertEquals(EdgeNN.INPUT_ERRORS, train.exit(), train.out() + train.err());
        assertTrue(train.err().contains("not initial weights of " + name), train.err());
        assertTrue(train.err().contains("names no trained weight of " + name), train.err());
        assertTrue(train.err().contains("no tensor "), train.err());
        assertTrue(Files.notExists(other.resolve("out").resolve(name + ".safetensors")), "trained despite the error");
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
