package org.edgenn.train.loop;

import org.edgenn.train.data.ArrayBatches;
import org.edgenn.train.data.BatchSource;
import org.edgenn.train.data.SparseCoding;
import org.edgenn.train.metrics.Evaluate;
import org.edgenn.train.metrics.MetricsReport;
import org.edgenn.train.sd.Inits;
import org.edgenn.train.sd.Layers;
import org.edgenn.train.sd.Losses;
import org.edgenn.train.sd.Params;
import org.edgenn.train.sd.Shrink;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class LayerwiseCurriculumTest {
    static final int M = 20, N = 40, K = 3;
    static final SparseCoding PROBLEM = new SparseCoding(M, N, 0.1, Double.POSITIVE_INFINITY, 3);

    /**
     * LISTA with 3 steps: x_0 = shrink(We y, theta_0), x_k = shrink(We y + S_k x_{k-1}, theta_k), and the loss of
     * every step's state (loss_stage_k) next to the network's loss of the last one.
     */
    static SameDiff lista() {
        SameDiff sd = SameDiff.create();
        SDVariable y = sd.placeHolder("y", DataType.FLOAT, -1, M);
        SDVariable xt = sd.placeHolder("x_true", DataType.FLOAT, -1, N);
        SDVariable b = Layers.dense(sd, "We", y, Params.of(sd, "We_weight", Inits.toRuntime(Inits.dictionaryT(PROBLEM.dictionary()))), null);
        SDVariable x = Shrink.soft(sd, "x_0", b, Shrink.thetaParam(sd, "theta_0", 0.1, 1));
        Losses.named(Losses.nmse(sd, x, xt), "loss_stage_0");
        for (int k = 1; k < K; k++) {
            SDVariable s = Params.of(sd, "S_" + k + "_weight", Inits.toRuntime(Inits.istaS(PROBLEM.dictionary())));
            x = Shrink.soft(sd, "x_" + k, b.add(Layers.dense(sd, "S_" + k, x, s, null)), Shrink.thetaParam(sd, "theta_" + k, 0.1, 1));
            Losses.named(Losses.nmse(sd, x, xt), "loss_stage_" + k);
        }
        Losses.named(Losses.nmse(sd, x, xt), "loss");
        return sd;
    }

    static List<String> trainable(int k) {
        return k == 0 ? List.of("We_weight", "theta_0") : List.of("S_" + k + "_weight", "theta_" + k);
    }

    static Map<String, INDArray> snapshot(SameDiff sd) {
        Map<String, INDArray> m = new LinkedHashMap<>();
        for (SDVariable v : sd.variables()) if (v.getVariableType() == VariableType.VARIABLE) m.put(v.name(), v.getArr().dup());
        return m;
    }

    @Test
    void eachStageChangesOnlyItsStepAndTheCurriculumImprovesTheHeldOutError() {
        SameDiff sd = lista();
        int[] hookCalls = {0};
        GraphHooks.register(sd, new GraphHooks.Hook() {
            @Override public void beforeStep(SameDiff g, long step) { hookCalls[0]++; }
        });
        ArrayBatches heldOut = PROBLEM.heldOut(256, 64, 11);
        BatchSource train = PROBLEM.stream(32, 40, 5);
        double before = Evaluate.nmseDb(sd, heldOut, List.of("y"), "x_" + (K - 1));
        List<Map<String, INDArray>> after = new ArrayList<>();
        after.add(snapshot(sd));
        LayerwiseCurriculum c = LayerwiseCurriculum.on(sd).inputs("y").labels("x_true").epochsPerStage(2).learningRate(5e-3)
                .metric("nmse_db", false, (g, out) -> Evaluate.nmseDb(g, heldOut, List.of("y"), out))
                .progress(new Progress.Listener() {
                    @Override public void onBatch(Progress p) {}
                    @Override public void onStageEnd(Progress.StageRecord r) { after.add(snapshot(sd)); }
                });
        for (int k = 0; k < K; k++) c.stage("loss_stage_" + k, "x_" + k, trainable(k), k == 0 ? Map.of() : Map.of("theta_" + k, "theta_" + (k - 1)));
        List<Progress.StageRecord> stages = c.run(train);

        assertEquals(K, stages.size());
        assertEquals(0, hookCalls[0], "no pruning or observer hooks during the stages");
        for (int k = 0; k < K; k++) {
            Map<String, INDArray> a = after.get(k), b = after.get(k + 1);
            for (String v : a.keySet()) {
                // stage k's weights do not reach the losses of earlier stages: they change only if SameDiff's cached
                // gradient function was rebuilt for loss_stage_k (setLossVariables drops it)
                if (trainable(k).contains(v)) assertNotEquals(a.get(v), b.get(v), "stage " + k + " trains " + v);
                else assertEquals(a.get(v), b.get(v), "stage " + k + " leaves " + v + " bit for bit");
            }
            assertEquals(k + 1, stages.get(k).stage());
            assertEquals("x_" + k, stages.get(k).output());
            assertEquals(80, stages.get(k).steps());
            assertTrue(Double.isFinite(stages.get(k).metric()));
        }
        double afterDb = Evaluate.nmseDb(sd, heldOut, List.of("y"), "x_" + (K - 1));
        assertTrue(afterDb < before - 1, "held-out NMSE " + before + " dB -> " + afterDb + " dB");
        assertEquals(afterDb, stages.get(K - 1).metric(), 1e-6, "the last stage's metric reads the last step's output");

        String json = new MetricsReport("Lista").stages(stages).toJson();
        assertTrue(json.contains("\"curriculum\"") && json.contains("\"nmse_db\"") && json.contains("\"output\" : \"x_2\""), json);
        assertTrue(ConsoleProgress.stageLine(stages.get(2)).startsWith("stage 3/3 (x_2): nmse_db -"), ConsoleProgress.stageLine(stages.get(2)));
    }

    @Test
    void aStageStartsFromThePreviousStepsValuesWhenTheShapesMatch() {
        SameDiff sd = lista();
        sd.getArrForVarName("theta_0").assign(0.7);
        // theta_2 is frozen in this stage, so after it it holds exactly the copied value; We [M, N] and S_1 [N, N] differ in shape
        LayerwiseCurriculum.on(sd).inputs("y").labels("x_true").epochsPerStage(1).learningRate(1e-3)
                .stage("loss_stage_1", "x_1", List.of("S_1_weight"), Map.of("theta_2", "theta_0", "S_1_weight", "We_weight"))
                .run(PROBLEM.stream(16, 2, 1));
        assertEquals(0.7, sd.getArrForVarName("theta_2").getDouble(0), 1e-7);
        assertArrayEquals(new long[] {N, N}, sd.getArrForVarName("S_1_weight").shape());
    }

    /** The ops one optimizer step on loss_stage_2 executes when only {@code trainable} is trained. */
    static List<String> opsOfOneStep(List<String> trainable) {
        SameDiff sd = lista();
        List<String> ops = new ArrayList<>();
        sd.addListeners(new BaseListener() {
            @Override public boolean isActive(Operation op) { return true; }
            @Override public void opExecution(SameDiff s, At at, MultiDataSet batch, SameDiffOp op, OpContext ctx, INDArray[] outputs) {
                ops.add(op.getName());
            }
        });
        Trainer.on(sd).inputs("y").labels("x_true").loss("loss_stage_2").trainable(trainable).fit(PROBLEM.stream(16, 1, 1));
        return ops;
    }

    @Test
    void aFrozenPrefixCostsOnlyItsForwardPass() {
        List<String> last = opsOfOneStep(trainable(2));
        List<String> all = opsOfOneStep(List.of("We_weight", "theta_0", "S_1_weight", "theta_1", "S_2_weight", "theta_2"));
        // forward: the three steps either way; backward: through step 2 alone (one dense backward) versus all steps
        assertEquals(3, all.stream().filter(o -> o.startsWith("matmul_bp")).count(), all.toString());
        assertEquals(1, last.stream().filter(o -> o.startsWith("matmul_bp")).count(), last.toString());
        assertEquals(all.stream().filter(o -> o.startsWith("matmul") && !o.contains("_bp")).count(),
                last.stream().filter(o -> o.startsWith("matmul") && !o.contains("_bp")).count(), "same forward pass");
        assertTrue(last.size() < all.size());
    }

    @Test
    void theLearningRateDecaysPiecewiseWithinAStage() {
        var s = LayerwiseCurriculum.decay(1.0, 100);
        assertEquals(1.0, s.valueAt(59, 0), 1e-12);
        assertEquals(0.2, s.valueAt(60, 0), 1e-12);
        assertEquals(0.02, s.valueAt(85, 0), 1e-12);
        assertEquals(1.0, LayerwiseCurriculum.decay(1.0, 1).valueAt(0, 0), 1e-12, "one step: no empty pieces");
    }

    @Test
    void trainableRejectsNamesThatAreNotVariables() {
        SameDiff sd = lista();
        assertThrows(IllegalArgumentException.class, () -> Trainer.on(sd).trainable(List.of("x_1")));
        assertThrows(IllegalArgumentException.class, () -> Trainer.on(sd).trainable(List.of("nope")));
    }
}
