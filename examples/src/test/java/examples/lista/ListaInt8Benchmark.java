package examples.lista;

import static examples.Checks.nmseDb;

import examples.Checks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.edgenn.train.data.ArrayBatches;
import org.edgenn.train.data.SparseCoding;
import org.edgenn.train.export.Int8Files;
import org.edgenn.train.loop.Optimizers;
import org.edgenn.train.loop.Trainer;
import org.edgenn.train.quant.ActivationObserver;
import org.edgenn.train.quant.Calibration;
import org.edgenn.train.quant.FakeQuant;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Quality-bar benchmark (not a unit test): the int8 NMSE of the code a user ships. Float LISTA weights trained
 * by runtime/train's {@code ListaBenchmark} (written with {@code -Dlista.save=DIR}, shared {@code W_e}) are loaded
 * into the generated {@link ListaTrainer} of {@code lista.edgenn}, calibrated there (post-training, min/max over
 * 20 batches) and exported; the generated {@link ListaInt8} then runs the 1000 held-out vectors of the benchmark.
 *
 * <pre>java -cp &lt;examples test classpath&gt; examples.lista.ListaInt8Benchmark PARAMS_DIR OUT_DIR [QAT_STEPS]</pre>
 */
public final class ListaInt8Benchmark {
    public static void main(String[] args) throws IOException {
        Path params = Path.of(args[0]);
        Path out = Files.createDirectories(Path.of(args[1]));
        SparseCoding problem = SparseCoding.lista(42);            // ListaBenchmark's problem and held-out set
        ListaTrainer trainer = new ListaTrainer();
        trainer.trainData = problem.stream(128, 20, 4242);
        trainer.heldOutData = problem.heldOut(1000, 250, 7);
        trainer.build(trainer.sd);

        // ListaBenchmark's x_{j+1} = soft(y We + x_j S_j, theta_j) is the generated step j (S_0 meets x = 0)
        set(trainer, "We_weight", params.resolve("We.bin"));
        for (int j = 0; j < 16; j++) {
            set(trainer, "theta_" + j, params.resolve("theta_" + j + ".bin"));
            if (j > 0) set(trainer, "S_" + j + "_weight", params.resolve("S_" + j + ".bin"));
        }
        FakeQuant.setEnabled(trainer.sd, false);
        double floatDb = trainer.metric(trainer.sd, trainer.heldOutData);
        Calibration.run(trainer.sd, trainer.trainData, List.of(ListaTrainer.INPUTS), 20);
        FakeQuant.setEnabled(trainer.sd, true);
        Calibration.observers(trainer.sd).forEach(ActivationObserver::freeze);
        double graphDb = trainer.metric(trainer.sd, trainer.heldOutData);
        int qatSteps = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        if (qatSteps > 0) {
            // QAT with the calibrated ranges kept (frozen observers): only the weights and thresholds adapt to the
            // integer grid; EMA ranges that follow the batches clipped the largest codes in ListaBenchmark's QAT
            Trainer.on(trainer.sd).inputs(ListaTrainer.INPUTS).labels(ListaTrainer.LABELS).loss(trainer.loss)
                    .updater(new Adam(Optimizers.piecewise(new int[] {0, qatSteps / 2}, new double[] {2e-5, 5e-6})))
                    .epochs(1).fit(problem.stream(128, qatSteps, 99));
            System.out.printf(Locale.ROOT, "QAT %d steps: int8 fake-quant graph %.2f dB (was %.2f)%n", qatSteps,
                    trainer.metric(trainer.sd, trainer.heldOutData), graphDb);
        }
        Path artifact = out.resolve("Lista.safetensors");
        Int8Files.writeSafetensors(trainer.export(), artifact);

        ListaInt8 net = ListaInt8.load(artifact);
        List<float[]> got = new ArrayList<>(), want = new ArrayList<>();
        ArrayBatches held = (ArrayBatches) trainer.heldOutData;
        for (int b = 0; b < held.batchesPerEpoch(); b++) {
            MultiDataSet m = held.batch(0, b);
            float[][] ys = Checks.rows(m.getFeatures(0));
            for (float[] y : ys) got.add(net.infer(y));
            want.addAll(List.of(Checks.rows(m.getLabels(0))));
        }
        double int8Db = nmseDb(got.toArray(float[][]::new), want.toArray(float[][]::new));
        System.out.printf(Locale.ROOT, "Lista from %s on 1000 held-out vectors: float %.2f dB | int8 fake-quant graph %.2f dB"
                + " | generated ListaInt8 %.2f dB%n", params, floatDb, graphDb, int8Db);
    }

    static void set(ListaTrainer t, String variable, Path file) throws IOException {
        INDArray value = Nd4j.readBinary(file.toFile());
        INDArray current = t.sd.getArrForVarName(variable);
        if (!java.util.Arrays.equals(current.shape(), value.shape()))
            throw new IllegalArgumentException(variable + ": shape " + java.util.Arrays.toString(value.shape()) + " in " + file
                    + ", the generated trainer has " + java.util.Arrays.toString(current.shape()));
        current.assign(value);
    }
}
