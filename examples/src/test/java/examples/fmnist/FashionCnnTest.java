package examples.fmnist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import examples.Checks;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.edgenn.train.data.ArrayBatches;
import org.edgenn.train.metrics.Evaluate;
import org.edgenn.train.quant.FakeQuant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Fashion-MNIST CNN's generated classes used as a library. The train block reads Fashion-MNIST; here the
 * generated trainer is handed a small synthetic task of the same shapes instead (ten noisy class templates), which
 * sixteen steps learn, and the generated {@link FashionCnnInt8} runs the trained artifact.
 */
class FashionCnnTest {

    @TempDir
    static Path out;

    static FashionCnnTrainer trainer;
    static float[][] images;
    static int[] classes;
    static float[][] floatLogits;
    /** The trainer's own simulation of the int8 network it exported (fake quantization on). */
    static float[][] fakeQuantLogits;

    /** {@code n} images {@code [n, 1, 28, 28]}: the black-and-white template of a random class plus noise; labels one-hot. */
    static INDArray[] templates(int n, long seed) {
        Random shared = new Random(1);
        float[][] template = new float[10][28 * 28];
        for (float[] t : template) {
            for (int i = 0; i < t.length; i++) {
                t[i] = shared.nextBoolean() ? 1 : 0;
            }
        }
        Random r = new Random(seed);
        float[] x = new float[n * 28 * 28];
        float[] y = new float[n * 10];
        for (int s = 0; s < n; s++) {
            int c = r.nextInt(10);
            y[s * 10 + c] = 1;
            for (int i = 0; i < 28 * 28; i++) {
                x[s * 28 * 28 + i] = (float) Math.min(1, Math.max(0, template[c][i] + 0.2 * r.nextGaussian()));
            }
        }
        return new INDArray[] {Nd4j.create(x, new long[] {n, 1, 28, 28}), Nd4j.create(y, new long[] {n, 10})};
    }

    @BeforeAll
    static void trainBriefly() throws Exception {
        trainer = new FashionCnnTrainer();
        trainer.epochs = 1;
        trainer.qatFromEpoch = -1;
        INDArray[] train = templates(16 * 32, 2);
        INDArray[] heldOut = templates(64, 3);
        trainer.trainData = ArrayBatches.of(train[0], train[1], 32, true, 4);
        trainer.heldOutData = ArrayBatches.of(heldOut[0], heldOut[1], 32, false, 5);
        trainer.train(out, null);

        var heldOutSet = new org.nd4j.linalg.dataset.MultiDataSet(heldOut[0], heldOut[1]);
        fakeQuantLogits = Checks.rows(Evaluate.run(trainer.sd, heldOutSet, List.of(FashionCnnTrainer.INPUTS), trainer.metricOutput));
        FakeQuant.setEnabled(trainer.sd, false);
        images = Checks.rows(heldOut[0]);
        classes = new int[images.length];
        for (int s = 0; s < classes.length; s++) {
            classes[s] = heldOut[1].getRow(s).argMax().getInt(0);
        }
        floatLogits = Checks.rows(Evaluate.run(trainer.sd, heldOutSet, List.of(FashionCnnTrainer.INPUTS), trainer.metricOutput));
    }

    static double accuracy(float[][] logits) {
        int right = 0;
        for (int s = 0; s < logits.length; s++) {
            int best = 0;
            for (int c = 1; c < logits[s].length; c++) {
                best = logits[s][c] > logits[s][best] ? c : best;
            }
            right += best == classes[s] ? 1 : 0;
        }
        return right / (double) logits.length;
    }

    @Test
    void theInt8ClassClassifiesAsTheFloatNetwork() throws Exception {
        FashionCnnInt8 net = FashionCnnInt8.load(out.resolve("FashionCnn.safetensors"));
        float[][] int8Logits = net.infer(images);
        double f = accuracy(floatLogits);
        double q = accuracy(int8Logits);
        float[][] reference = Checks.clipped(floatLogits, net.outputQuant());
        double db = Checks.nmseDb(int8Logits, reference);
        System.err.printf("FashionCnn held-out accuracy: float %.3f, int8 %.3f; logits int8 vs float in the output range %.2f dB"
                + " (vs float %.2f dB, vs the trainer's fake-quant %.2f dB)%n", f, q, db, Checks.nmseDb(int8Logits, floatLogits),
                Checks.nmseDb(int8Logits, fakeQuantLogits));
        assertTrue(f > 0.5, "float accuracy " + f + ": the short training learned nothing (chance is 0.1)");
        assertTrue(q >= f - 0.05, "int8 accuracy " + q + " vs float " + f);
        assertTrue(db < -15, "int8 vs float logits " + db + " dB");
    }

    @Test
    void everyLayerEqualsTheHardwareModel() throws Exception {
        FashionCnnInt8 net = FashionCnnInt8.load(out.resolve("FashionCnn.safetensors"));
        net.infer(images[0]);
        assertEquals(FashionCnnInt8.OUTPUT_SIZE, 10);
        Checks.equalsHardwareModel(net);
    }
}
