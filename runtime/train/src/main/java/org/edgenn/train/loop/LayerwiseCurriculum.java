package org.edgenn.train.loop;

import org.edgenn.train.data.BatchSource;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.ISchedule;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToDoubleBiFunction;

/**
 * Layer-wise (stage-wise) training of an unrolled network, before its joint training (Chen et al. 2018): stage
 * k trains unroll step k alone, on the outputs of the steps before it, which stay frozen. In ListaBenchmark this
 * reached -18.6 dB in 8 minutes where joint training from the start needed 2 hours for -21.9 dB: each step starts
 * from a good input instead of from the noise of untrained steps before it.
 * <pre>{@code
 * List<Progress.StageRecord> stages = LayerwiseCurriculum.on(sd).inputs("y").labels("x_true")
 *     .epochsPerStage(2).learningRate(5e-4)
 *     .metric("nmse_db", false, (g, output) -> Evaluate.nmseDb(g, heldOut, List.of("y"), output))
 *     .stage("loss_stage_0", "x_0", List.of("We_weight", "S_0_weight", "theta_0"), Map.of())
 *     .stage("loss_stage_1", "x_1", List.of("S_1_weight", "theta_1"), Map.of("S_1_weight", "S_0_weight", "theta_1", "theta_0"))
 *     .run(train);
 * }</pre>
 * Each stage gets a fresh Adam (the previous step's moments say nothing about this one) with the learning rate
 * decayed piecewise to 0.2x at 60 % and 0.02x at 85 % of the stage's steps, as the benchmark found best. The stages
 * run in float without the graph's hooks: no pruning (which would rewrite frozen weights) and no observer updates.
 */
public final class LayerwiseCurriculum {

    /** One stage: its loss, the output its metric reads, what it trains and the copies that start it. */
    private record Stage(String loss, String output, List<String> trainable, Map<String, String> initFrom) {}

    private final SameDiff sd;
    private final List<Stage> stages = new ArrayList<>();
    private String[] inputs = {};
    private String[] labels = {};
    private int epochsPerStage = 1;
    private double lr = 1e-3;
    private String metricName = "metric";
    private boolean higherIsBetter;
    private ToDoubleBiFunction<SameDiff, String> metric;
    private final List<Progress.Listener> progress = new ArrayList<>();

    private LayerwiseCurriculum(SameDiff sd) {
        this.sd = Objects.requireNonNull(sd);
    }

    public static LayerwiseCurriculum on(SameDiff sd) {
        return new LayerwiseCurriculum(sd);
    }

    public LayerwiseCurriculum inputs(String... names) { inputs = names.clone(); return this; }

    public LayerwiseCurriculum labels(String... names) { labels = names.clone(); return this; }

    public LayerwiseCurriculum epochsPerStage(int e) {
        if (e < 1) throw new IllegalArgumentException("epochs per stage must be >= 1");
        epochsPerStage = e;
        return this;
    }

    /** The learning rate every stage starts from. */
    public LayerwiseCurriculum learningRate(double lr) {
        if (!(lr > 0)) throw new IllegalArgumentException("learning rate must be > 0");
        this.lr = lr;
        return this;
    }

    /** Held-out metric of one output of the graph (each stage reads its own step's output). */
    public LayerwiseCurriculum metric(String name, boolean higherIsBetter, ToDoubleBiFunction<SameDiff, String> fn) {
        metricName = name;
        this.higherIsBetter = higherIsBetter;
        metric = fn;
        return this;
    }

    public LayerwiseCurriculum progress(Progress.Listener l) { progress.add(l); return this; }

    /**
     * Appends a stage: minimise {@code loss} by updating {@code trainable} only. Before it runs, each
     * {@code initFrom} entry {@code to -> from} copies the (already trained) value of {@code from} into
     * {@code to} when both have the same shape: a new step starts as a copy of the previous one.
     */
    public LayerwiseCurriculum stage(String loss, String output, List<String> trainable, Map<String, String> initFrom) {
        stages.add(new Stage(loss, output, List.copyOf(trainable), new LinkedHashMap<>(initFrom)));
        return this;
    }

    /** Runs every stage in order on {@code data} and returns one record per stage. */
    public List<Progress.StageRecord> run(BatchSource data) {
        List<Progress.StageRecord> records = new ArrayList<>();
        for (int k = 0; k < stages.size(); k++) {
            Stage s = stages.get(k);
            long t0 = System.nanoTime();
            copyInitialValues(s);
            int steps = data.batchesPerEpoch() * epochsPerStage;
            Trainer t = Trainer.on(sd).inputs(inputs).labels(labels).loss(s.loss()).trainable(s.trainable()).withoutHooks()
                    .updater(new Adam(decay(lr, steps))).epochs(epochsPerStage);
            if (metric != null) t.metric(metricName, higherIsBetter, g -> metric.applyAsDouble(g, s.output()));
            progress.forEach(t::progress);
            Trainer.TrainResult r = t.fit(data);
            Progress.StageRecord rec = new Progress.StageRecord(k + 1, stages.size(), s.output(), r.last().meanLoss(), metricName,
                    r.last().metric(), (System.nanoTime() - t0) / 1e9, r.steps());
            records.add(rec);
            for (Progress.Listener l : progress) l.onStageEnd(rec);
        }
        return List.copyOf(records);
    }

    private void copyInitialValues(Stage s) {
        for (Map.Entry<String, String> e : s.initFrom().entrySet()) {
            INDArray to = sd.getArrForVarName(e.getKey());
            INDArray from = sd.getArrForVarName(e.getValue());
            if (to != null && from != null && Arrays.equals(to.shape(), from.shape())) to.assign(from);
        }
    }

    /** lr, then 0.2 lr from 60 % and 0.02 lr from 85 % of the stage's steps (pieces that would be empty are left out). */
    public static ISchedule decay(double lr, int steps) {
        int[] at = {0, steps * 6 / 10, steps * 85 / 100};
        double[] value = {lr, lr * 0.2, lr * 0.02};
        List<Integer> starts = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < at.length; i++) {
            if (i > 0 && at[i] <= starts.get(starts.size() - 1)) continue;
            starts.add(at[i]);
            values.add(value[i]);
        }
        return Optimizers.piecewise(starts.stream().mapToInt(Integer::intValue).toArray(),
                values.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
