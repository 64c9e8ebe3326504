package org.edgenn.train.loop;

import org.edgenn.train.data.ArrayBatches;
import org.edgenn.train.prune.PruneSchedule;
import org.edgenn.train.prune.Pruning;
import org.edgenn.train.quant.ActivationObserver;
import org.edgenn.train.quant.FakeQuant;
import org.edgenn.train.sd.Layers;
import org.edgenn.train.sd.Losses;
import org.edgenn.train.sd.Params;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A run killed mid-epoch and resumed from its last checkpoint ends with exactly the values of the run never
 * interrupted (the reference): every graph array, the activation observer's range, the pruning mask, the step count.
 */
class RunCheckpointsTest {
    @TempDir Path dir;

    /** Thrown by the test's listener where the "kill" happens. */
    static final class Killed extends RuntimeException {
        Killed() { super("killed"); }
    }

    /** What a run leaves: every variable and constant, the observer's state and the steps done. */
    record Outcome(Map<String, float[]> arrays, double lo, double hi, long observations, long steps, List<Double> fitMetrics) {}

    /**
     * A small trainer program as generated code runs it: int8 fake quantization that starts in epoch 3 (weights and
     * activations, an EMA observer), gradual magnitude pruning over epochs 1-3, a second fit at a lower learning rate.
     * {@code killAt = {fit, epoch, batch}} throws at that batch (null: runs to the end).
     */
    static Outcome program(int[] killAt) {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 8);
        SDVariable t = sd.placeHolder("t", DataType.FLOAT, -1, 3);
        SDVariable w = Params.glorot(sd, "w", 1, 8, 3);
        int batches = 8;
        w = Pruning.magnitude(sd, w, PruneSchedule.gradualEpochs(0.5, 1, 3, batches));
        w = FakeQuant.weightsPerChannel(sd, w, 8);
        ActivationObserver obs = ActivationObserver.ema("y", 0.9);
        SDVariable y = FakeQuant.activations(sd, Layers.dense(sd, "y", x, w, Params.zeros(sd, "b", 3)), obs);
        Losses.named(Losses.nmse(sd, y, t), "loss");
        FakeQuant.setEnabled(sd, false);
        INDArray xs = Params.gaussian(5, 1, 128, 8);
        ArrayBatches data = ArrayBatches.of(xs, xs.mmul(Params.gaussian(99, 1, 8, 3)), 16, true, 7);
        INDArray vx = Params.gaussian(6, 1, 64, 8);
        ArrayBatches val = ArrayBatches.of(vx, vx.mmul(Params.gaussian(99, 1, 8, 3)), 64, false, 0);
        List<Double> metrics = new ArrayList<>();
        long steps = 0;
        for (int fit = 0; fit < 2; fit++) {
            int f = fit;
            Trainer tr = Trainer.on(sd).inputs("x").labels("t").loss("loss").updater(new Adam(fit == 0 ? 0.05 : 0.01))
                    .epochs(fit == 0 ? 5 : 3).startAtStep(steps)
                    .metric("nmse_db", false, g -> org.edgenn.train.metrics.Evaluate.nmseDb(g, val, "y"))
                    .progress(new Progress.Listener() {
                        @Override public void onBatch(Progress p) {
                            if (killAt != null && killAt[0] == f && killAt[1] == p.epoch() && killAt[2] == p.batch()) throw new Killed();
                        }
                        @Override public void onEpochEnd(Progress.EpochRecord r) {   // QAT from epoch 3, as generated trainers switch it
                            if (f == 0 && r.epoch() == 2) FakeQuant.setEnabled(sd, true);
                        }
                    });
            Trainer.TrainResult r = tr.fit(data);
            steps = r.steps();
            metrics.add(r.last().metric());
        }
        Map<String, float[]> arrays = new LinkedHashMap<>();
        for (SDVariable v : sd.variables()) {
            if ((v.getVariableType() == VariableType.VARIABLE || v.getVariableType() == VariableType.CONSTANT) && v.getArr() != null)
                arrays.put(v.name(), v.getArr().dup('c').castTo(DataType.FLOAT).data().asFloat());
        }
        assertTrue(FakeQuant.isEnabled(sd));
        return new Outcome(arrays, obs.min(), obs.max(), obs.observations(), steps, metrics);
    }

    static void assertSameOutcome(Outcome want, Outcome got) {
        assertEquals(want.arrays().keySet(), got.arrays().keySet());
        want.arrays().forEach((n, a) -> assertArrayEquals(a, got.arrays().get(n), n + " differs after the resume"));
        assertEquals(want.lo(), got.lo());
        assertEquals(want.hi(), got.hi());
        assertEquals(want.observations(), got.observations());
        assertEquals(want.steps(), got.steps());
        assertEquals(want.fitMetrics(), got.fitMetrics());
    }

    @ParameterizedTest(name = "killed in fit {0}, epoch {1}, batch {2}")
    @CsvSource({"0, 1, 3", "0, 3, 5", "0, 5, 8", "1, 1, 1", "1, 3, 2"})
    void aRunKilledAndResumedEndsBitForBitAsTheUninterruptedOne(int fit, int epoch, int batch) {
        Outcome reference = program(null);
        Path file = dir.resolve("run.ckpt");
        RunCheckpoints first = RunCheckpoints.start(file, "fp", false, Duration.ZERO);
        try {
            assertThrows(Killed.class, () -> program(new int[] {fit, epoch, batch}));
        } finally {
            first.finish(false);
        }
        boolean checkpointed = Files.isRegularFile(file);
        assertEquals(fit > 0 || epoch > 1, checkpointed, "a checkpoint exists once an epoch has ended");
        RunCheckpoints second = RunCheckpoints.start(file, "fp", true, Duration.ZERO);
        Outcome resumed;
        try {
            assertEquals(checkpointed, second.resumed());
            resumed = program(null);
        } finally {
            second.finish(true);
        }
        assertSameOutcome(reference, resumed);
        assertFalse(Files.exists(file), "a finished run deletes its checkpoint");
        // the pruning reached its target and the restored mask is what the weights show
        float[] mask = resumed.arrays().get("w_prune_mask");
        int zeros = 0;
        for (float m : mask) if (m == 0f) zeros++;
        assertEquals(12, zeros);
    }

    @Test
    void withoutResumeAnExistingCheckpointIsIgnoredAndTheRunStartsOver() {
        Outcome reference = program(null);
        Path file = dir.resolve("run.ckpt");
        RunCheckpoints first = RunCheckpoints.start(file, "fp", false, Duration.ZERO);
        try {
            assertThrows(Killed.class, () -> program(new int[] {1, 2, 1}));
        } finally {
            first.finish(false);
        }
        RunCheckpoints fresh = RunCheckpoints.start(file, "fp", false, Duration.ZERO);
        try {
            assertFalse(fresh.resumed());
            assertSameOutcome(reference, program(null));
        } finally {
            fresh.finish(true);
        }
    }

    @Test
    void aStagewiseRecipeKilledInTheMiddleOfAStageResumesToTheSameNetwork() {
        StagewiseRecipe.Budget budget = StagewiseRecipe.Budget.patience(60, 20, 40);
        SameDiff ref = LayerwiseCurriculumTest.lista();
        StagewiseRecipeTest.recipe(ref, 5e-3).phases(StagewiseRecipe.reference(budget)).run(LayerwiseCurriculumTest.PROBLEM.stream(32, 40, 5));
        Map<String, INDArray> want = LayerwiseCurriculumTest.snapshot(ref);

        Path file = dir.resolve("stagewise.ckpt");
        int[] batches = {0};
        RunCheckpoints first = RunCheckpoints.start(file, "fp", false, Duration.ZERO);
        try {
            SameDiff sd = LayerwiseCurriculumTest.lista();
            StagewiseRecipe r = StagewiseRecipeTest.recipe(sd, 5e-3).phases(StagewiseRecipe.reference(budget))
                    .progress(new Progress.Listener() {
                        @Override public void onBatch(Progress p) { if (++batches[0] == 150) throw new Killed(); }
                    });
            assertThrows(Killed.class, () -> r.run(LayerwiseCurriculumTest.PROBLEM.stream(32, 40, 5)));
        } finally {
            first.finish(false);
        }
        RunCheckpoints second = RunCheckpoints.start(file, "fp", true, Duration.ZERO);
        Map<String, INDArray> got;
        try {
            assertTrue(second.resumed());
            SameDiff sd = LayerwiseCurriculumTest.lista();
            StagewiseRecipeTest.recipe(sd, 5e-3).phases(StagewiseRecipe.reference(budget)).run(LayerwiseCurriculumTest.PROBLEM.stream(32, 40, 5));
            got = LayerwiseCurriculumTest.snapshot(sd);
        } finally {
            second.finish(true);
        }
        assertEquals(want.keySet(), got.keySet());
        for (String n : want.keySet()) {
            assertArrayEquals(want.get(n).dup('c').data().asFloat(), got.get(n).dup('c').data().asFloat(), n + " differs after the resume");
        }
    }

    @Test
    void aCheckpointOfAnotherTrainerOrAGarbledFileIsATypedError() throws IOException {
        Path file = dir.resolve("run.ckpt");
        RunCheckpoints first = RunCheckpoints.start(file, "trainer-A", false, Duration.ZERO);
        try {
            assertThrows(Killed.class, () -> program(new int[] {0, 3, 1}));
        } finally {
            first.finish(false);
        }
        CheckpointException other = assertThrows(CheckpointException.class, () -> RunCheckpoints.start(file, "trainer-B", true, Duration.ZERO));
        assertTrue(other.getMessage().contains("different trainer"), other.getMessage());

        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        CheckpointException truncated = assertThrows(CheckpointException.class, () -> RunCheckpoints.start(file, "trainer-A", true, Duration.ZERO));
        assertTrue(truncated.getMessage().contains(file.toString()), truncated.getMessage());

        Files.writeString(file, "not a checkpoint");
        assertThrows(CheckpointException.class, () -> RunCheckpoints.start(file, "trainer-A", true, Duration.ZERO));
    }
}
