package org.edgenn.train.loop;

import org.edgenn.train.data.ArrayBatches;
import org.edgenn.train.data.BatchSource;
import org.edgenn.train.metrics.Evaluate;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.edgenn.train.loop.LayerwiseCurriculumTest.K;
import static org.edgenn.train.loop.LayerwiseCurriculumTest.PROBLEM;
import static org.edgenn.train.loop.LayerwiseCurriculumTest.lista;
import static org.edgenn.train.loop.LayerwiseCurriculumTest.snapshot;
import static org.edgenn.train.loop.LayerwiseCurriculumTest.trainable;
import static org.junit.jupiter.api.Assertions.*;

class StagewiseRecipeTest {
    static final ArrayBatches HELD_OUT = PROBLEM.heldOut(256, 64, 11);

    static StagewiseRecipe recipe(SameDiff sd, double lr) {
        StagewiseRecipe r = StagewiseRecipe.on(sd).inputs("y").labels("x_true").learningRate(lr)
                .metric("nmse_db", false, (g, out) -> Evaluate.nmseDb(g, HELD_OUT, List.of("y"), out));
        for (int k = 0; k < K; k++) r.stage("loss_stage_" + k, "x_" + k, trainable(k), k == 0 ? Map.of() : Map.of("theta_" + k, "theta_" + (k - 1)));
        return r;
    }

    @Test
    void referencePhasesTrainTheNewStepThenThePrefixAndNeverEndWorse() {
        SameDiff sd = lista();
        List<Map<String, INDArray>> atPhase = new ArrayList<>();
        List<Progress.PhaseInfo> infos = new ArrayList<>();
        List<Double> before = new ArrayList<>();
        StagewiseRecipe r = recipe(sd, 5e-3).phases(StagewiseRecipe.reference(StagewiseRecipe.Budget.patience(60, 20, 40)))
                .progress(new Progress.Listener() {
                    @Override public void onBatch(Progress p) {}
                    @Override public void onPhaseStart(Progress.PhaseInfo p) {
                        atPhase.add(snapshot(sd));
                        infos.add(p);
                        before.add(Evaluate.nmseDb(sd, HELD_OUT, List.of("y"), p.output()));
                    }
                });
        double start = Evaluate.nmseDb(sd, HELD_OUT, List.of("y"), "x_" + (K - 1));
        List<Progress.StageRecord> stages = r.run(PROBLEM.stream(32, 40, 5));
        atPhase.add(snapshot(sd));
        assertEquals(3 * K, infos.size());
        for (int i = 0; i < infos.size(); i++) {
            Progress.PhaseInfo p = infos.get(i);
            int k = p.stage() - 1;
            Set<String> allowed = new HashSet<>(trainable(k));
            if (p.phase() > 1) for (int j = 0; j < k; j++) allowed.addAll(trainable(j));
            assertEquals(allowed.size(), p.variables());
            if (p.phase() == 3) allowed.add("theta_" + (k + 1)); // the next stage starts from a copy of theta_k
            assertEquals(5e-3 * new double[] {1, 0.2, 0.02}[p.phase() - 1], p.lr(), 1e-15);
            Map<String, INDArray> a = atPhase.get(i), b = atPhase.get(i + 1);
            for (String v : a.keySet()) {
                if (!allowed.contains(v)) assertEquals(a.get(v), b.get(v), p + " leaves " + v);
            }
            double after = i + 1 < before.size() && infos.get(i + 1).stage() == p.stage() ? before.get(i + 1)
                    : stages.get(k).metric();
            assertTrue(after <= before.get(i) + 1e-9, p + ": " + before.get(i) + " dB -> " + after + " dB");
        }
        // phase 2 of stage 2 (PREFIX) moved the first step's weights: the prefix really trains
        assertNotEquals(atPhase.get(4).get("We_weight"), atPhase.get(5).get("We_weight"));
        double end = Evaluate.nmseDb(sd, HELD_OUT, List.of("y"), "x_" + (K - 1));
        assertEquals(end, stages.get(K - 1).metric(), 1e-6, "the record is the restored best point");
        assertTrue(end < start - 3, start + " dB -> " + end + " dB");
    }

    @Test
    void aPhaseThatOnlyHurtsIsUndoneBitForBit() {
        SameDiff sd = lista();
        Map<String, INDArray> start = snapshot(sd);
        // Adam at learning rate 50 throws the step's weights far off: every evaluation is worse than the start
        List<Progress.StageRecord> rec = StagewiseRecipe.on(sd).inputs("y").labels("x_true").learningRate(50)
                .metric("nmse_db", false, (g, out) -> Evaluate.nmseDb(g, HELD_OUT, List.of("y"), out))
                .phases(List.of(new StagewiseRecipe.Phase(1, StagewiseRecipe.Scope.STAGE, StagewiseRecipe.Budget.fixed(10))))
                .stage("loss_stage_0", "x_0", trainable(0), Map.of()).run(PROBLEM.stream(32, 40, 5));
        assertEquals(start, snapshot(sd));
        assertEquals(Evaluate.nmseDb(sd, HELD_OUT, List.of("y"), "x_0"), rec.get(0).metric(), 1e-9);
    }

    @Test
    void betterWaitStopsAPhaseAndTheDataStreamContinuesAcrossPhases() {
        SameDiff sd = lista();
        List<long[]> served = new ArrayList<>();
        BatchSource base = PROBLEM.stream(16, 7, 2);
        BatchSource data = new BatchSource() {
            @Override public int batchesPerEpoch() { return base.batchesPerEpoch(); }
            @Override public MultiDataSet batch(int epoch, int index) {
                served.add(new long[] {epoch, index});
                return base.batch(epoch, index);
            }
        };
        // a metric that never improves: the phase stops after the first evaluation plus 2 of patience (30 / 10 = 3 intervals
        // of "better wait" rounded up to whole intervals is 3; here betterWait 20 = 2 intervals)
        List<Progress.StageRecord> rec = StagewiseRecipe.on(sd).inputs("y").labels("x_true").learningRate(1e-3).restoreBest(false)
                .metric("const", false, (g, out) -> 1.0)
                .phases(List.of(new StagewiseRecipe.Phase(1, StagewiseRecipe.Scope.STAGE, StagewiseRecipe.Budget.patience(1000, 10, 20)),
                        new StagewiseRecipe.Phase(0.5, StagewiseRecipe.Scope.PREFIX, StagewiseRecipe.Budget.fixed(5))))
                .stage("loss_stage_0", "x_0", trainable(0), Map.of()).run(data);
        served.remove(0); // the trainer's shape check reads the first batch of each phase once more
        served.remove(30);
        assertEquals(35, rec.get(0).steps());
        Set<Long> seen = new HashSet<>();
        for (long[] s : served) assertTrue(seen.add(s[0] * 7 + s[1]), "batch " + s[0] + "/" + s[1] + " served twice");
        assertEquals(35, seen.size());
    }

    @Test
    void fineTuningTrainsEveryStageAndLayerwiseIsTheFixedBudgetCase() {
        SameDiff sd = lista();
        List<Progress.StageRecord> rec = recipe(sd, 3e-3).phases(StagewiseRecipe.reference(StagewiseRecipe.Budget.fixed(20)))
                .fineTune("loss", "x_" + (K - 1), List.of(new StagewiseRecipe.Phase(0.1, StagewiseRecipe.Scope.ALL, StagewiseRecipe.Budget.fixed(20))))
                .run(PROBLEM.stream(32, 40, 5));
        assertEquals(K + 1, rec.size());
        assertEquals("joint x_2", rec.get(K).output());
        assertEquals(20, rec.get(K).steps());
        assertTrue(rec.get(K).metric() <= rec.get(K - 1).metric() + 1e-9);
    }

    @Test
    void plainProgressLinesWhenNotATerminal() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleProgress log = new ConsoleProgress(new java.io.PrintWriter(new PrintStream(bytes, true, StandardCharsets.UTF_8), true), false);
        recipe(lista(), 3e-3).phases(List.of(new StagewiseRecipe.Phase(1, StagewiseRecipe.Scope.STAGE, StagewiseRecipe.Budget.patience(20, 10, 10))))
                .progress(log).run(PROBLEM.stream(16, 40, 5));
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertFalse(text.contains("\r"), text);
        String[] lines = text.strip().split("\\R");
        assertTrue(lines[0].startsWith("stage 1/3 (x_0) phase 1/1: lr 0.00300, 2 variables, <= 20 steps, better wait 10"), lines[0]);
        assertTrue(lines[1].startsWith("epoch 1/2 [") && lines[1].contains("nmse_db -"), lines[1]);
        assertTrue(text.contains("stage 3/3 (x_2): nmse_db -"), text);
    }
}
