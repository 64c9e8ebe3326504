package org.edgenn.train.loop;

import org.edgenn.train.data.BatchSource;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.schedule.ISchedule;

import java.util.ArrayList;
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
 * It is one case of the {@link StagewiseRecipe}: each stage trains its new step alone, with the learning rate
 * decayed to 0.2x at 60 % and 0.02x at 85 % of the stage's steps (a fresh Adam per piece), as the benchmark found
 * best. The stages run in float without the graph's hooks: no pruning (which would rewrite frozen weights) and no
 * observer updates.
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

    /**
     * Runs every stage in order on {@code data} and returns one record per stage: a {@link StagewiseRecipe} whose
     * phases train the new step alone for 60 %, 25 % and 15 % of the stage's steps at 1, 0.2 and 0.02 times the
     * learning rate (the pieces of {@link #decay}), each phase a fresh Adam, without returning to a best point.
     */
    public List<Progress.StageRecord> run(BatchSource data) {
        int steps = data.batchesPerEpoch() * epochsPerStage;
        List<StagewiseRecipe.Phase> phases = new ArrayList<>();
        int[] at = {0, steps * 6 / 10, steps * 85 / 100, steps};
        double[] factor = {1, 0.2, 0.02};
        for (int i = 0; i < 3; i++) {
            if (at[i + 1] > at[i])
                phases.add(new StagewiseRecipe.Phase(factor[i], StagewiseRecipe.Scope.STAGE, StagewiseRecipe.Budget.fixed(at[i + 1] - at[i])));
        }
        StagewiseRecipe r = StagewiseRecipe.on(sd).inputs(inputs).labels(labels).learningRate(lr).phases(phases).restoreBest(false);
        if (metric != null) r.metric(metricName, higherIsBetter, metric);
        progress.forEach(r::progress);
        for (Stage s : stages) r.stage(s.loss(), s.output(), s.trainable(), s.initFrom());
        return r.run(data);
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
