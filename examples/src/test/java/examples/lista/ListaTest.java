package examples.lista;

import static examples.Checks.nmseDb;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import examples.Checks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.edgenn.train.metrics.Evaluate;
import org.edgenn.train.quant.FakeQuant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * LISTA used as a library, the way a user's project uses what edgenn-maven-plugin generated from
 * {@code src/main/edgenn/lista/lista.edgenn}: {@link ListaTrainer} trains a dozen steps into a temporary
 * directory, {@link ListaInt8} loads the artifact it wrote and runs the held-out measurements in int8.
 */
class ListaTest {

    @TempDir
    static Path out;

    static ListaTrainer trainer;
    static Map<String, Double> metrics;
    /** Held-out measurements y, true codes, and the trained float network's codes. */
    static float[][] y;
    static float[][] codes;
    static float[][] floatCodes;

    @BeforeAll
    static void trainBriefly() throws Exception {
        trainer = new ListaTrainer();
        trainer.epochs = 1;
        trainer.batch = 32;
        trainer.batchesPerEpoch = 12;
        trainer.qatFromEpoch = -1; // post-training calibration: the artifact's activation ranges come from the data
        // a smaller held-out set than the train block's 1000 samples keeps the test short
        trainer.heldOutData = trainer.problem().heldOut(64, 32, trainer.seed + 1);
        metrics = trainer.train(out, null);

        List<float[]> ys = new ArrayList<>(), xs = new ArrayList<>(), fs = new ArrayList<>();
        FakeQuant.setEnabled(trainer.sd, false);
        for (int b = 0; b < trainer.heldOutData.batchesPerEpoch(); b++) {
            MultiDataSet m = trainer.heldOutData.batch(0, b);
            ys.addAll(List.of(Checks.rows(m.getFeatures(0))));
            xs.addAll(List.of(Checks.rows(m.getLabels(0))));
            fs.addAll(List.of(Checks.rows(Evaluate.run(trainer.sd, m, List.of(ListaTrainer.INPUTS), trainer.metricOutput))));
        }
        y = ys.toArray(float[][]::new);
        codes = xs.toArray(float[][]::new);
        floatCodes = fs.toArray(float[][]::new);
    }

    @Test
    void theTrainerWritesItsArtifactsAndLearns() {
        for (String ext : List.of(".safetensors", ".metrics.json", ".curve.png")) {
            assertTrue(Files.isRegularFile(out.resolve("Lista" + ext)), ext);
        }
        assertEquals(0.0, nmseDb(new float[codes.length][codes[0].length], codes), 1e-9, "the all-zero code");
        assertTrue(nmseDb(floatCodes, codes) < -3, "float NMSE " + nmseDb(floatCodes, codes) + " dB, " + metrics);
        // the trainer's own held-out figure is the same measurement
        assertEquals(metrics.get("float.nmse_db"), nmseDb(floatCodes, codes), 0.01);
    }

    @Test
    void theInt8ClassRecoversTheCodesAsWellAsTheFloatNetwork() throws Exception {
        ListaInt8 net = ListaInt8.load(out.resolve("Lista.safetensors"));
        float[][] int8Codes = net.infer(y);
        double int8Db = nmseDb(int8Codes, codes);
        double floatDb = nmseDb(floatCodes, codes);
        System.err.printf("LISTA held-out NMSE: float %.2f dB, int8 %.2f dB, int8 vs float %.2f dB%n", floatDb, int8Db,
                nmseDb(int8Codes, floatCodes));
        assertTrue(int8Db < -3, "int8 NMSE " + int8Db + " dB: no better than the all-zero code's 0 dB");
        assertTrue(Math.abs(int8Db - floatDb) < 1, "int8 " + int8Db + " dB vs float " + floatDb + " dB");
        // int8 and float codes differ by far less than either differs from the truth
        double agreement = nmseDb(int8Codes, Checks.clipped(floatCodes, net.outputQuant()));
        assertTrue(agreement < -15, "int8 vs float " + agreement + " dB");
    }

    @Test
    void everyLayerEqualsTheHardwareModel() throws Exception {
        ListaInt8 net = ListaInt8.load(out.resolve("Lista.safetensors"));
        net.infer(y[0]);
        assertEquals(1 + 16 * 3, net.layers().size(), "We, then add, S[k] and shrink per step: " + net.layers().stream()
                .map(l -> l.name()).toList());
        Checks.equalsHardwareModel(net);
    }
}
