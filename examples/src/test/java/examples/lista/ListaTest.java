package examples.lista;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.edgenn.train.metrics.Evaluate;
import org.edgenn.train.quant.FakeQuant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * LISTA used as a library, the way a user's project uses what edgenn-maven-plugin generated from
 * {@code src/main/edgenn/lista/lista.edgenn}: {@link ListaTrainer} trains a few dozen steps into a temporary
 * directory.
 */
class ListaTest {

    @TempDir
    static Path out;

    static ListaTrainer trainer;
    static Map<String, Double> metrics;

    @BeforeAll
    static void trainBriefly() throws Exception {
        trainer = new ListaTrainer();
        trainer.epochs = 1;
        trainer.batch = 32;
        trainer.batchesPerEpoch = 24;
        // a smaller held-out set than the train block's 1000 samples keeps the test short
        trainer.heldOutData = trainer.problem().heldOut(128, 32, trainer.seed + 1);
        trainer.qatFromEpoch = -1; // post-training calibration: the artifact's activation ranges come from the data
        long t0 = System.nanoTime();
        metrics = trainer.train(out, new org.edgenn.train.loop.Progress.Listener() {
            public void onBatch(org.edgenn.train.loop.Progress p) { System.err.printf("TIMING batch %d %.2f s%n", p.batch(), (System.nanoTime() - t0) / 1e9); }
            public void onEpochEnd(org.edgenn.train.loop.Progress.EpochRecord r) { System.err.printf("TIMING epoch end %.2f s%n", (System.nanoTime() - t0) / 1e9); }
        });
        System.err.printf("TIMING done %.2f s %s%n", (System.nanoTime() - t0) / 1e9, metrics);
    }

    @Test
    void theTrainerWritesItsArtifactsAndLearns() {
        for (String ext : List.of(".safetensors", ".metrics.json", ".curve.png")) {
            assertTrue(Files.isRegularFile(out.resolve("Lista" + ext)), ext);
        }
        // the all-zero code has NMSE 1 (0 dB) whatever the data: a useful network is clearly below
        assertTrue(metrics.get("float.nmse_db") < -3, metrics.toString());
        assertTrue(metrics.get("int8.nmse_db") < -3, metrics.toString());
    }
}
