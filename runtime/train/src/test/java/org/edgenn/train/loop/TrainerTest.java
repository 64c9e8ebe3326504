package org.edgenn.train.loop;

import org.edgenn.train.data.ArrayBatches;
import org.edgenn.train.metrics.Evaluate;
import org.edgenn.train.metrics.MetricsReport;
import org.edgenn.train.metrics.TrainingCurve;
import org.edgenn.train.quant.ActivationObserver;
import org.edgenn.train.quant.Calibration;
import org.edgenn.train.quant.FakeQuant;
import org.edgenn.train.sd.Layers;
import org.edgenn.train.sd.Losses;
import org.edgenn.train.sd.Params;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class TrainerTest {
    @TempDir Path dir;

    static SameDiff regression(boolean qat) {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 8);
        SDVariable t = sd.placeHolder("t", DataType.FLOAT, -1, 3);
        SDVariable w = Params.glorot(sd, "w", 1, 8, 3);
        if (qat) w = FakeQuant.weightsPerChannel(sd, w, 8);
        SDVariable y = Layers.dense(sd, "y", x, w, Params.zeros(sd, "b", 3));
        if (qat) y = FakeQuant.activations(sd, y, ActivationObserver.ema("y", 0.9));
        Losses.named(Losses.nmse(sd, y, t), "loss");
        return sd;
    }

    static ArrayBatches data(int n, long seed) {
        INDArray x = Params.gaussian(seed, 1, n, 8);
        return ArrayBatches.of(x, x.mmul(Params.gaussian(99, 1, 8, 3)), 16, true, seed);
    }

    @Test
    void trainsReportsProgressAndRunsAllEpochsWithoutEarlyStopping() {
        SameDiff sd = regression(false);
        ArrayBatches val = data(64, 2);
        List<Progress> seen = new ArrayList<>();
        List<Progress.EpochRecord> ends = new ArrayList<>();
        Trainer.TrainResult r = Trainer.on(sd).inputs("x").labels("t").loss("loss").updater(new Adam(0.05)).epochs(6)
                .metric("nmse_db", false, g -> Evaluate.nmseDb(g, val, "y"))
                .progress(new Progress.Listener() {
                    public void onBatch(Progress p) { seen.add(p); }
                    public void onEpochEnd(Progress.EpochRecord e) { ends.add(e); }
                }).fit(data(128, 1));
        assertEquals(6, r.epochs().size());
        assertFalse(r.stoppedEarly());
        assertEquals(6 * 8, seen.size());
        Progress first = seen.get(0), last = seen.get(seen.size() - 1);
        assertEquals(1, first.epoch());
        assertEquals(1, first.batch());
        assertEquals(8, first.batches());
        assertTrue(Double.isNaN(first.metric()), "no metric before the first epoch ends");
        assertEquals(0, last.etaSeconds(), 1e-9);
        assertTrue(first.etaSeconds() >= 0);
        assertFalse(Double.isNaN(seen.get(8).metric()), "epoch 2 shows epoch 1's metric");
        assertEquals(6, ends.size());
        assertTrue(r.last().metric() < -10, "linear regression is learned: " + r.last().metric() + " dB");
        assertTrue(r.last().meanLoss() < r.epochs().get(0).meanLoss());
        String line = ConsoleProgress.line(last, 10);
        assertTrue(line.startsWith("epoch 6/6 [=========>] 8/8 loss"), line);
        assertTrue(line.contains("nmse_db") && line.contains("ETA 00:00"), line);
    }

    @Test
    void earlyStoppingWhenEnabled() {
        SameDiff sd = regression(false);
        Trainer.TrainResult r = Trainer.on(sd).inputs("x").labels("t").loss("loss").updater(new Adam(1e-9)).epochs(50)
                .metric("const", true, g -> 1.0).earlyStopping(2, 0.0).fit(data(32, 1));
        assertTrue(r.stoppedEarly());
        assertEquals(3, r.epochs().size());
    }

    @Test
    void qatTrainingUpdatesObserversFromActivations() {
        SameDiff sd = regression(true);
        ArrayBatches d = data(64, 3);
        Calibration.run(sd, d, List.of("x"), 2);
        ActivationObserver o = Calibration.observers(sd).get(0);
        long before = o.observations();
        Trainer.TrainResult r = Trainer.on(sd).inputs("x").labels("t").loss("loss").updater(new Adam(0.05)).epochs(4).fit(d);
        assertEquals(before + r.steps(), o.observations(), "one observer update per optimizer step");
        assertTrue(o.max() > o.min());
        assertTrue(r.last().meanLoss() < 0.7 * r.epochs().get(0).meanLoss(), "QAT still learns: " + r.epochs());
    }

    @Test
    void clearErrorsForMisconfiguredGraphs() {
        SameDiff sd = regression(false);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Trainer.on(sd).inputs("nope").labels("t").loss("loss").fit(data(32, 1)));
        assertTrue(e.getMessage().contains("'nope' is not a placeholder"));
        assertThrows(IllegalStateException.class, () -> Trainer.on(sd).inputs("x").fit(data(32, 1)));
        INDArray wrong = Params.gaussian(1, 1, 32, 5);
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class, () -> Trainer.on(sd).inputs("x").labels("t")
                .loss("loss").fit(ArrayBatches.of(wrong, wrong.mmul(Params.gaussian(2, 1, 5, 3)), 8, true, 1)));
        assertTrue(shape.getMessage().contains("placeholder 'x' expects [-1, 8]"), shape.getMessage());
        assertEquals(0, sd.getArrForVarName("w").neq(Params.glorot(SameDiff.create(), "w", 1, 8, 3).getArr()).castTo(DataType.INT32).sumNumber().intValue(),
                "nothing was trained");
    }

    @Test
    void writesMetricsJsonAndCurvePng() throws Exception {
        List<Progress.EpochRecord> ep = List.of(new Progress.EpochRecord(1, 0.5, "acc", 0.8, 1.0),
                new Progress.EpochRecord(2, 0.2, "acc", 0.9, 1.1));
        Path json = dir.resolve("out/N.metrics.json");
        new MetricsReport("N").floatMetric("accuracy", 0.9).int8Metric("accuracy", 0.895).info("epochs", 2).epochs(ep).write(json);
        var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile());
        assertEquals(0.895, node.get("int8").get("accuracy").asDouble(), 1e-12);
        assertEquals(2, node.get("epochs").size());
        Path png = dir.resolve("out/N.curve.png");
        TrainingCurve.writePng(png, "N", ep);
        assertTrue(Files.size(png) > 100);
        assertEquals(640, ImageIO.read(png.toFile()).getWidth());
    }
}
