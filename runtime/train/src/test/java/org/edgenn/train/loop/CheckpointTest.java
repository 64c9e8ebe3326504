package org.edgenn.train.loop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.edgenn.train.data.ArrayBatches;
import org.edgenn.train.data.BatchSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.edgenn.train.sd.Losses;
import org.edgenn.train.sd.Params;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;

/**
 * A training continued from a checkpoint (variables, Adam's moments, the global step) in a fresh graph ends exactly where
 * the uninterrupted training ends: the reference is the same training run in one go.
 */
class CheckpointTest {
    @TempDir Path dir;

    private static Trainer trainer(SameDiff sd, int epochs) {
        // the schedule spans the whole training in both runs: the continued run sees the learning rates it would have seen
        return Trainer.on(sd).inputs("x").labels("t").loss("loss").updater(new Adam(Optimizers.cosine(0.05, 0.001, 24))).epochs(epochs);
    }

    @Test
    void aContinuedTrainingEqualsTheUninterruptedOne() throws Exception {
        ArrayBatches data = TrainerTest.data(128, 1);   // 8 batches per epoch, shuffled per epoch by its seed
        SameDiff whole = TrainerTest.regression(false);
        Trainer.TrainResult all = trainer(whole, 3).fit(data);

        Path first = dir.resolve("epoch1.ckpt");
        SameDiff part1 = TrainerTest.regression(false);
        Trainer.TrainResult r1 = Checkpoint.around(null, first, () -> trainer(part1, 1).fit(data));
        assertEquals(8, r1.steps());
        assertNotEquals(whole.getArrForVarName("w").getFloat(0), part1.getArrForVarName("w").getFloat(0), "one epoch is not three");

        Path last = dir.resolve("epoch3.ckpt");
        SameDiff part2 = TrainerTest.regression(false);   // a fresh graph: its own initial values are overwritten
        Trainer.TrainResult r2 = Checkpoint.around(first, last, () -> trainer(part2, 3).fit(data));
        assertEquals(24, r2.steps());
        assertEquals(2, r2.epochs().size(), "epoch 1 is the checkpoint's");
        assertEquals(all.epochs().get(1).meanLoss(), r2.epochs().get(0).meanLoss(), 0.0);
        assertEquals(all.epochs().get(2).meanLoss(), r2.epochs().get(1).meanLoss(), 0.0);
        for (String v : new String[] {"w", "b"}) {
            assertArrayEquals(whole.getArrForVarName(v).ravel().toFloatVector(), part2.getArrForVarName(v).ravel().toFloatVector(), 0f, v);
        }
        assertTrue(Files.size(last) > 0);
    }

    /**
     * A generated trainer with a curriculum: the stage-wise recipe (fits of its own), then the joint fit of {@code budget}
     * steps per epoch with a cosine schedule over it. Returns the joint fit's result; counts the recipe's phases.
     */
    private static Trainer.TrainResult curriculumThenJoint(SameDiff sd, BatchSource data, List<Progress.PhaseInfo> phases) {
        StagewiseRecipeTest.recipe(sd, 5e-3).phases(StagewiseRecipe.reference(StagewiseRecipe.Budget.patience(20, 10, 10)))
                .progress(new Progress.Listener() {
                    @Override public void onBatch(Progress p) {}
                    @Override public void onPhaseStart(Progress.PhaseInfo p) { phases.add(p); }
                }).run(data);
        return Trainer.on(sd).inputs("y").labels("x_true").loss("loss")
                .updater(new Adam(Optimizers.cosine(5e-3, 1e-4, data.batchesPerEpoch()))).epochs(1).fit(data);
    }

    @Test
    void aCurriculumTrainingContinuedRungByRungRunsItsCurriculumOnceAndEndsAsTheUninterruptedOne() throws Exception {
        BatchSource data = LayerwiseCurriculumTest.PROBLEM.stream(16, 30, 7);   // the largest budget: 30 joint steps
        List<Progress.PhaseInfo> wholePhases = new ArrayList<>();
        SameDiff whole = LayerwiseCurriculumTest.lista();
        Trainer.TrainResult all = curriculumThenJoint(whole, data, wholePhases);
        assertEquals(30, all.steps());
        assertEquals(3 * LayerwiseCurriculumTest.K, wholePhases.size(), "three phases per stage");

        // rungs of 4, 12 and 30 steps (halving's min 4, eta 3), each in a fresh graph continued from the one before
        Path previous = null;
        int[] rungs = {4, 12, 30};
        List<List<Progress.PhaseInfo>> phasesPerRung = new ArrayList<>();
        SameDiff last = null;
        for (int steps : rungs) {
            Path to = dir.resolve("rung-" + steps + ".ckpt");
            SameDiff sd = LayerwiseCurriculumTest.lista();
            List<Progress.PhaseInfo> phases = new ArrayList<>();
            Trainer.TrainResult r = Checkpoint.around(previous, to, steps, () -> curriculumThenJoint(sd, data, phases));
            assertEquals(steps, r.steps(), "the rung stops at its budget");
            phasesPerRung.add(phases);
            previous = to;
            last = sd;
        }
        assertEquals(wholePhases.size(), phasesPerRung.get(0).size(), "the first rung runs the whole curriculum");
        assertEquals(List.of(0, 0), List.of(phasesPerRung.get(1).size(), phasesPerRung.get(2).size()),
                "the continued rungs run none: their saved state holds it");
        for (String v : LayerwiseCurriculumTest.snapshot(whole).keySet()) {
            assertArrayEquals(whole.getArrForVarName(v).ravel().toFloatVector(), last.getArrForVarName(v).ravel().toFloatVector(), 0f, v);
        }

        // a checkpoint saved with another epoch size is refused: its next steps would see other batches
        SameDiff other = LayerwiseCurriculumTest.lista();
        Path rung12 = dir.resolve("rung-12.ckpt");
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.around(rung12, null, 20,
                () -> curriculumThenJoint(other, LayerwiseCurriculumTest.PROBLEM.stream(16, 20, 7), new ArrayList<>())));
        assertTrue(e.getMessage().contains("30 batches per epoch, this one has 20"), e.getMessage());
    }

    @Test
    void aCheckpointOfAnotherGraphIsRefused() throws Exception {
        Path ckpt = dir.resolve("one.ckpt");
        SameDiff one = TrainerTest.regression(false);
        Checkpoint.around(null, ckpt, () -> trainer(one, 1).fit(TrainerTest.data(32, 1)));
        SameDiff different = SameDiff.create();
        SDVariable x = different.placeHolder("x", DataType.FLOAT, -1, 8);
        SDVariable t = different.placeHolder("t", DataType.FLOAT, -1, 3);
        SDVariable w = Params.glorot(different, "w2", 1, 8, 3);
        Losses.named(Losses.nmse(different, x.mmul(w), t), "loss");
        Exception e = assertThrows(CheckpointException.class,
                () -> Checkpoint.around(ckpt, null, () -> trainer(different, 2).fit(TrainerTest.data(32, 1))));
        assertTrue(e.getMessage().contains("does not fit this graph: array "), e.getMessage());
    }

    @Test
    void aGarbledOrForeignCheckpointIsATypedErrorNamingTheFile() throws Exception {
        Path ckpt = dir.resolve("garbled.ckpt");
        Files.writeString(ckpt, "not a checkpoint");
        SameDiff sd = TrainerTest.regression(false);
        CheckpointException garbled = assertThrows(CheckpointException.class,
                () -> Checkpoint.around(ckpt, null, () -> trainer(sd, 1).fit(TrainerTest.data(32, 1))));
        assertTrue(garbled.getMessage().contains(ckpt.toString()), garbled.getMessage());
        // a run checkpoint is not a continuation point: the format names the kind
        Path run = dir.resolve("run.ckpt");
        ArrayArchive.write(run, "edgenn-train-checkpoint-1", new java.util.Properties(), java.util.Map.of());
        CheckpointException foreign = assertThrows(CheckpointException.class,
                () -> Checkpoint.around(run, null, () -> trainer(sd, 1).fit(TrainerTest.data(32, 1))));
        assertTrue(foreign.getMessage().contains("edgenn-continuation-checkpoint-2"), foreign.getMessage());
    }
}
