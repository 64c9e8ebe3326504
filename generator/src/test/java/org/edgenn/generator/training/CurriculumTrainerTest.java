package org.edgenn.generator.training;

import static org.edgenn.generator.training.ListaTrainerTest.set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.edgenn.ir.graph.Program;
import org.edgenn.train.loop.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** curriculum layerwise: the per-stage losses and trainable weights in the generated trainer, and a run end to end. */
class CurriculumTrainerTest {

    static String withCurriculum(String name, boolean tied) {
        return ListaTrainerTest.tinyLista(name, tied).replace("  epochs 1\n", "  curriculum layerwise(epochs=1)\n  epochs 1\n");
    }

    @Test
    void eachStageHasTheLossOfItsStepsStateAndTrainsItsStepsWeights(@TempDir Path dir) {
        Program p = Lowered.text(dir, "lista.edgenn", withCurriculum("StagedLista", false));
        String src = Generated.trainer(p, "StagedLista").source();
        assertTrue(src.contains("public int curriculumEpochs = 1;"), src);
        for (int k = 0; k < 3; k++) {
            assertTrue(src.contains("Losses.named(Losses.nmse(sd, x_" + k + ", x_true), \"stage_" + k + "_loss\");"), "nmse of x[" + k + "]");
            assertTrue(src.contains("Losses.named(MoreOps.l1(sd, x_" + k + ", 1), \"stage_" + k + "_loss_l1\");"), "l1 of x[" + k + "]");
            assertTrue(src.contains("SDVariable loss_stage_" + k + " = "), "total loss of stage " + k);
        }
        assertTrue(src.contains("c.stage(\"loss_stage_0\", \"x_0\", List.of(\"We_weight\", \"S_0_weight\", \"theta_0\"), Map.of());"), src);
        assertTrue(src.contains("c.stage(\"loss_stage_2\", \"x_2\", List.of(\"S_2_weight\", \"theta_2\"), "
                + "Map.of(\"S_2_weight\", \"S_1_weight\", \"theta_2\", \"theta_1\"));"), src);
        assertTrue(src.contains(".epochsPerStage(curriculumEpochs).learningRate(0.01)"));
        assertTrue(src.contains("List<Progress.StageRecord> stages = curriculumEpochs > 0 ? curriculum(progress) : List.of();"));
        assertTrue(src.contains("c.stage(\"loss_3\", \"x_3\", List.of(\"S_3_weight\", \"theta_3\"), "), "the last stage trains on the network's loss");
        assertTrue(!src.contains("loss_stage_3") && !src.contains("x_3, x_true), \"stage_"), "which is not emitted twice");
        assertTrue(src.contains("this.loss = loss_3;"), "the joint epochs keep the network's loss");
    }

    @Test
    void aTiedLayerTrainsInTheFirstStageOnly(@TempDir Path dir) throws Exception {
        Program p = Lowered.text(dir, "lista.edgenn", withCurriculum("TiedStages", true));
        GeneratedTrainer g = Generated.trainer(p, "TiedStages");
        String src = g.source();
        assertTrue(src.contains("c.stage(\"loss_stage_0\", \"x_0\", List.of(\"We_weight\", \"S_weight\", \"theta_0\"), Map.of());"), src);
        assertTrue(src.contains("c.stage(\"loss_stage_1\", \"x_1\", List.of(\"theta_1\"), Map.of(\"theta_1\", \"theta_0\"));"), src);
        Generated.compile(g);
    }

    @Test
    void theStagesRunBeforeTheEpochsAndLandInTheMetrics(@TempDir Path dir) throws Exception {
        Program p = Lowered.text(dir, "lista.edgenn", withCurriculum("RunStages", false));
        GeneratedTrainer g = Generated.trainer(p, "RunStages");
        Class<?> c = Generated.compile(g).load(g.qualifiedName());
        Object t = c.getConstructor().newInstance();
        set(t, "batchesPerEpoch", 3);
        set(t, "qatFromEpoch", -1);
        List<Progress.StageRecord> stages = new ArrayList<>();
        List<Integer> epochsAfterStages = new ArrayList<>();
        Progress.Listener l = new Progress.Listener() {
            @Override public void onBatch(Progress pr) {}
            @Override public void onEpochEnd(Progress.EpochRecord r) { epochsAfterStages.add(stages.size()); }
            @Override public void onStageEnd(Progress.StageRecord r) { stages.add(r); }
        };
        @SuppressWarnings("unchecked")
        Map<String, Double> m = (Map<String, Double>) c.getMethod("train", Path.class, Progress.Listener.class).invoke(t, dir.resolve("out"), l);
        assertEquals(4, stages.size());
        for (int k = 0; k < 4; k++) {
            assertEquals(k + 1, stages.get(k).stage());
            assertEquals(3, stages.get(k).steps());
            assertTrue(Double.isFinite(stages.get(k).metric()) && stages.get(k).metricName().equals("nmse_db"), stages.toString());
        }
        // each stage is one epoch in three learning-rate phases (1, 0.2, 0.02: one record each), then the joint epoch
        assertEquals(List.of(0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4), epochsAfterStages);
        assertTrue(Double.isFinite(m.get("float.nmse_db")), m.toString());
        String json = Files.readString(dir.resolve("out/RunStages.metrics.json"));
        assertTrue(json.contains("\"curriculum\""), json);
        assertTrue(json.contains("\"stage\" : 4"), json);
        assertTrue(json.contains("\"curriculum_epochs_per_stage\" : 1"), json);
        org.edgenn.generator.report.TrainingRecord record = org.edgenn.generator.report.TrainingRecord.read(dir.resolve("out/RunStages.metrics.json"));
        assertEquals(4, record.stages().size(), "the build report reads the stages back");
        assertEquals(stages.get(3).metric(), record.stages().get(3).metric(), 1e-9);
        assertEquals("x_3", record.stages().get(3).output());
    }
}
