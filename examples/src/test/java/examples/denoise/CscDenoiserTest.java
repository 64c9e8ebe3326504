package examples.denoise;

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
 * The CSC denoiser's generated classes used as a library: its trainer takes one step on a smooth synthetic image
 * (its train block reads an image folder), writes the artifact, and {@link CscDenoiserInt8} runs it. One step
 * trains nothing worth measuring against the clean image; what is checked is that int8 inference computes what the
 * float network computes, and what the hardware model computes.
 */
class CscDenoiserTest {

    @TempDir
    static Path out;

    static INDArray[] pairs;
    static float[][] floatOutput;

    /** {@code n} pairs (noisy, clean) {@code [n, 1, 64, 64]}: a sum of low-frequency waves in [0, 1], noise σ 0.1. */
    static INDArray[] smoothImages(int n, long seed) {
        Random r = new Random(seed);
        float[] clean = new float[n * 64 * 64];
        float[] noisy = new float[clean.length];
        for (int s = 0; s < n; s++) {
            double fx = 1 + 3 * r.nextDouble(), fy = 1 + 3 * r.nextDouble(), phase = 6.28 * r.nextDouble();
            for (int i = 0; i < 64; i++) {
                for (int j = 0; j < 64; j++) {
                    int k = s * 4096 + i * 64 + j;
                    clean[k] = (float) (0.5 + 0.25 * Math.sin(fx * i / 10.0 + phase) + 0.2 * Math.cos(fy * j / 10.0));
                    noisy[k] = (float) (clean[k] + 0.1 * r.nextGaussian());
                }
            }
        }
        long[] shape = {n, 1, 64, 64};
        return new INDArray[] {Nd4j.create(noisy, shape), Nd4j.create(clean, shape)};
    }

    @BeforeAll
    static void trainOneStep() throws Exception {
        CscDenoiserTrainer trainer = new CscDenoiserTrainer();
        trainer.epochs = 1;
        trainer.batch = 1;
        trainer.qatFromEpoch = -1;
        INDArray[] train = smoothImages(1, 1);
        pairs = smoothImages(1, 2);
        trainer.trainData = ArrayBatches.of(train[0], train[1], 1, true, 3);
        trainer.heldOutData = ArrayBatches.of(pairs[0], pairs[1], 1, false, 4);
        trainer.train(out, null);
        FakeQuant.setEnabled(trainer.sd, false);
        floatOutput = Checks.rows(Evaluate.run(trainer.sd, new org.nd4j.linalg.dataset.MultiDataSet(pairs[0], pairs[1]),
                List.of(CscDenoiserTrainer.INPUTS), trainer.metricOutput));
    }

    @Test
    void theInt8ClassComputesWhatTheFloatNetworkComputes() throws Exception {
        CscDenoiserInt8 net = CscDenoiserInt8.load(out.resolve("CscDenoiser.safetensors"));
        float[][] int8Output = net.infer(Checks.rows(pairs[0]));
        double db = Checks.nmseDb(int8Output, Checks.clipped(floatOutput, net.outputQuant()));
        System.err.printf("CscDenoiser int8 vs float output: %.2f dB%n", db);
        // eight unrolled steps, each requantized to int8, on barely trained weights: agreement to ~10 % of the
        // output's energy (a wrong layer gives 0 dB or worse)
        assertTrue(db < -10, "int8 vs float output " + db + " dB");
    }

    @Test
    void everyLayerEqualsTheHardwareModel() throws Exception {
        CscDenoiserInt8 net = CscDenoiserInt8.load(out.resolve("CscDenoiser.safetensors"));
        net.infer(Checks.rows(pairs[0])[0]);
        Checks.equalsHardwareModel(net);
    }
}
