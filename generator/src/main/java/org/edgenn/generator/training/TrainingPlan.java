package org.edgenn.generator.training;

import java.util.List;
import org.edgenn.ir.graph.CurriculumPlan;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Node;
import org.edgenn.ir.spec.TrainingSpec;
import org.edgenn.ir.spec.vocab.Curriculum;
import org.edgenn.ir.spec.vocab.DataSource;
import org.edgenn.ir.spec.vocab.Optimizer;
import org.edgenn.ir.spec.vocab.Schedule;

/**
 * What a generated trainer does, decided before any text is written ({@link TrainingPlanner}), as
 * {@code InferencePlan} is for the int8 class: what gets trained, on which data, with which optimizer and schedule,
 * QAT and pruning epochs, the curriculum, the teachers and how the model is exported. The emitters only read it.
 *
 * @param spec       the train block, or null (defaults; the caller sets the data)
 * @param inputs     the input placeholders in binding order (the train block's first, then the network's others)
 * @param labels     the label placeholders in binding order
 * @param data       the data source, or null when the train block names none
 * @param quantized  weights or activations are quantized: calibrate (PTQ) or fake-quantize (QAT), export int8
 * @param perTensor  weights are quantized per tensor (default: per output channel)
 * @param curriculum the stages of the train block's {@code curriculum} (layer-wise or stage-wise), or null
 */
public record TrainingPlan(Network net, TrainingSpec spec, String className, List<String> inputs, List<String> labels,
                           Metric metric, Settings settings, DataSource data, Optimizer optimizer, Schedule schedule,
                           boolean quantized, boolean perTensor, CurriculumPlan curriculum, List<Teacher> teachers) {

    public TrainingPlan {
        inputs = List.copyOf(inputs);
        labels = List.copyOf(labels);
        teachers = List.copyOf(teachers);
    }

    /** The held-out metric: {@code nmse_db} (lower is better), {@code accuracy} or {@code psnr_db}, and the node it reads. */
    public record Metric(String name, String node) {
        public boolean higherIsBetter() {
            return !name.equals("nmse_db");
        }
    }

    /** The train block's numbers, the generated trainer's public fields ({@code -1}: not given). */
    public record Settings(int epochs, int batch, long seed, int qatFromEpoch, int pruneFromEpoch, int pruneToEpoch,
                           int curriculumEpochs) {
    }

    /** A teacher of the trained network: its node and the network it runs (frozen, in the same graph). */
    public record Teacher(Node node, Network network) {
    }

    public boolean hasCurriculum() {
        return curriculum != null;
    }

    /** The stage-wise recipe of the train block, or null (no curriculum, or a layer-wise one). */
    public Curriculum.Stagewise stagewise() {
        return curriculum != null && spec != null && spec.curriculum() instanceof Curriculum.Stagewise s ? s : null;
    }
}
