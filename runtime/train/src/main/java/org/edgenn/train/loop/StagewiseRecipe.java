package org.edgenn.train.loop;

import org.edgenn.train.data.BatchSource;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.learning.config.Adam;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToDoubleBiFunction;

/**
 * The stage-wise training recipe of the unrolled-network papers (Chen et al. NeurIPS 2018, Liu et al. ICLR 2019,
 * their reference code): stage k trains the network truncated after unroll step k, on the loss of that step's
 * output. Each stage runs a sequence of {@link Phase}s, by default the reference's three: the new step's
 * parameters alone at the learning rate, then every step up to k at 0.2 and 0.02 times it. Each phase is a fresh
 * Adam that runs until the held-out metric has not improved for {@code betterWait} steps (evaluated every
 * {@code evalEvery} steps) or its step cap, then returns to its best point. Optional joint phases over every
 * parameter follow the stages ({@link #fineTune}).
 * <p>The layer-wise curriculum ({@link LayerwiseCurriculum}) is one case: every phase trains the new step alone
 * for a fixed share of the stage's steps.
 * <p>Each phase starts from the values the previous one left and, with {@link #restoreBest}, ends at the best
 * held-out point it evaluated (the value it started from included), so a phase never leaves the network worse
 * on the held-out set than it found it.
 */
public final class StagewiseRecipe {

    /** What a phase trains: the stage's own parameters, every parameter of stages up to it, or all (fine-tuning). */
    public enum Scope { STAGE, PREFIX, ALL }

    /**
     * How long a phase runs: at most {@code maxSteps} optimizer steps, the metric evaluated every {@code evalEvery}
     * steps, stopping once {@code betterWait} steps have passed without improvement (0 = never stop early). Steps are
     * counted in whole evaluation intervals ({@code maxSteps} rounds up to a multiple of {@code evalEvery}).
     */
    public record Budget(int maxSteps, int evalEvery, int betterWait) {
        public Budget {
            if (maxSteps < 1 || evalEvery < 1) throw new IllegalArgumentException("maxSteps and evalEvery must be >= 1");
            if (betterWait < 0) throw new IllegalArgumentException("betterWait must be >= 0");
        }

        /** Exactly {@code steps} steps, evaluated once at the end. */
        public static Budget fixed(int steps) { return new Budget(steps, steps, 0); }

        /** The reference's patience ("better wait"). */
        public static Budget patience(int maxSteps, int evalEvery, int betterWait) {
            if (betterWait < 1) throw new IllegalArgumentException("betterWait must be >= 1");
            return new Budget(maxSteps, evalEvery, betterWait);
        }
    }

    /** One phase of a stage: the learning rate factor, what it trains and how long. */
    public record Phase(double lrFactor, Scope scope, Budget budget) {
        public Phase {
            if (!(lrFactor > 0)) throw new IllegalArgumentException("learning-rate factor must be > 0");
            Objects.requireNonNull(scope);
            Objects.requireNonNull(budget);
        }
    }

    /** The reference phases: (1, new step), (0.2, steps ≤ k), (0.02, steps ≤ k), each with the same budget. */
    public static List<Phase> reference(Budget budget) {
        return List.of(new Phase(1, Scope.STAGE, budget), new Phase(0.2, Scope.PREFIX, budget), new Phase(0.02, Scope.PREFIX, budget));
    }

    private record Stage(String loss, String output, List<String> trainable, Map<String, String> initFrom, List<Phase> phases) {}

    private final SameDiff sd;
    private final List<Stage> stages = new ArrayList<>();
    private Stage fineTune;
    private String[] inputs = {};
    private String[] labels = {};
    private double lr = 1e-3;
    private List<Phase> phases = reference(Budget.patience(20_000, 50, 1_000));
    private boolean restoreBest = true;
    private double scalarLr = 1;
    private String metricName = "metric";
    private boolean higherIsBetter;
    private ToDoubleBiFunction<SameDiff, String> metric;
    private final List<Progress.Listener> progress = new ArrayList<>();
    private long dataStep;

    private StagewiseRecipe(SameDiff sd) {
        this.sd = Objects.requireNonNull(sd);
    }

    public static StagewiseRecipe on(SameDiff sd) {
        return new StagewiseRecipe(sd);
    }

    public StagewiseRecipe inputs(String... names) { inputs = names.clone(); return this; }

    public StagewiseRecipe labels(String... names) { labels = names.clone(); return this; }

    /** The learning rate the phases' factors multiply. */
    public StagewiseRecipe learningRate(double lr) {
        if (!(lr > 0)) throw new IllegalArgumentException("learning rate must be > 0");
        this.lr = lr;
        return this;
    }

    /** The phases of every stage (default: {@link #reference} with at most 20 000 steps, eval every 50, better wait 1 000). */
    public StagewiseRecipe phases(List<Phase> p) {
        if (p.isEmpty()) throw new IllegalArgumentException("a stage needs at least one phase");
        phases = List.copyOf(p);
        return this;
    }

    /**
     * One-value parameters (step sizes, thresholds) train at {@code factor} times the phase's learning rate (default 1).
     * Adam moves every element by about the learning rate: a rate that suits a matrix barely moves a threshold that
     * has to fall by orders of magnitude along the unrolled steps.
     */
    public StagewiseRecipe scalarLearningRate(double factor) {
        if (!(factor > 0)) throw new IllegalArgumentException("scalar learning-rate factor must be > 0");
        scalarLr = factor;
        return this;
    }

    /** End every phase at its best evaluated point (default true; needs a metric). */
    public StagewiseRecipe restoreBest(boolean b) { restoreBest = b; return this; }

    /** Held-out metric of one output of the graph (each stage reads its own step's output). */
    public StagewiseRecipe metric(String name, boolean higherIsBetter, ToDoubleBiFunction<SameDiff, String> fn) {
        metricName = name;
        this.higherIsBetter = higherIsBetter;
        metric = fn;
        return this;
    }

    public StagewiseRecipe progress(Progress.Listener l) { progress.add(l); return this; }

    /**
     * Appends a stage: {@code loss} of step output {@code output}; {@code trainable} are the parameters the stage
     * introduces (its {@link Scope#STAGE}); each {@code initFrom} entry {@code to -> from} copies {@code from}'s
     * value into {@code to} before the stage when the shapes match (a new step starts as a copy of the previous one).
     */
    public StagewiseRecipe stage(String loss, String output, List<String> trainable, Map<String, String> initFrom) {
        if (trainable.isEmpty()) throw new IllegalArgumentException("stage " + output + " has no parameter to train");
        stages.add(new Stage(loss, output, List.copyOf(trainable), new LinkedHashMap<>(initFrom), null));
        return this;
    }

    /** Joint phases over every parameter of every stage, after the stages, on {@code loss} of {@code output}. */
    public StagewiseRecipe fineTune(String loss, String output, List<Phase> finePhases) {
        if (finePhases.isEmpty()) throw new IllegalArgumentException("fine-tuning needs at least one phase");
        fineTune = new Stage(loss, output, List.of(), Map.of(), List.copyOf(finePhases));
        return this;
    }

    /**
     * Runs every stage (and the fine-tuning) in order on {@code data}; one record per stage, the fine-tuning last.
     * Under a {@link Checkpoint} the recipe belongs to the training the checkpoint continues: its fits run outside it,
     * and it does not run at all (no records) when the checkpoint continues a saved state, which holds its outcome.
     */
    public List<Progress.StageRecord> run(BatchSource data) {
        if (restoreBest && metric == null) throw new IllegalStateException("restoreBest needs a held-out metric");
        if (Checkpoint.continuesSavedState()) return List.of();
        return Checkpoint.outside(() -> runStages(data));
    }

    private List<Progress.StageRecord> runStages(BatchSource data) {
        int total = stages.size() + (fineTune == null ? 0 : 1);
        List<Progress.StageRecord> records = new ArrayList<>();
        Set<String> prefix = new LinkedHashSet<>();
        for (int k = 0; k < total; k++) {
            boolean fine = k == stages.size();
            Stage s = fine ? fineTune : stages.get(k);
            if (!fine) prefix.addAll(s.trainable());
            long t0 = System.nanoTime();
            copyInitialValues(s);
            List<Phase> ps = fine ? s.phases() : phases;
            long steps = 0;
            double lastLoss = Double.NaN, lastMetric = Double.NaN;
            for (int p = 0; p < ps.size(); p++) {
                Phase ph = ps.get(p);
                List<String> vars = switch (fine ? Scope.ALL : ph.scope()) {
                    case STAGE -> s.trainable();
                    case PREFIX, ALL -> List.copyOf(prefix);
                };
                Progress.PhaseInfo info = new Progress.PhaseInfo(k + 1, total, s.output(), p + 1, ps.size(), lr * ph.lrFactor(),
                        vars.size(), ph.budget().maxSteps(), ph.budget().betterWait());
                for (Progress.Listener l : progress) l.onPhaseStart(info);
                PhaseResult r = runPhase(s, vars, ph, data);
                steps += r.steps;
                lastLoss = r.meanLoss;
                lastMetric = r.metric;
            }
            Progress.StageRecord rec = new Progress.StageRecord(k + 1, total, fine ? "joint " + s.output() : s.output(), lastLoss,
                    metricName, lastMetric, (System.nanoTime() - t0) / 1e9, steps);
            records.add(rec);
            for (Progress.Listener l : progress) l.onStageEnd(rec);
        }
        return List.copyOf(records);
    }

    private record PhaseResult(long steps, double meanLoss, double metric) {}

    private PhaseResult runPhase(Stage s, List<String> vars, Phase ph, BatchSource data) {
        Budget b = ph.budget();
        int chunks = (b.maxSteps() + b.evalEvery() - 1) / b.evalEvery();
        Trainer t = Trainer.on(sd).inputs(inputs).labels(labels).loss(s.loss()).trainable(vars).withoutHooks()
                .updater(new Adam(lr * ph.lrFactor())).epochs(chunks);
        if (scalarLr != 1) {
            for (String v : vars) {
                if (sd.getArrForVarName(v).length() == 1) t.updater(v, new Adam(lr * ph.lrFactor() * scalarLr));
            }
        }
        if (b.betterWait() > 0) t.earlyStopping(Math.max(1, (b.betterWait() + b.evalEvery() - 1) / b.evalEvery()), 0);
        Best best = null;
        if (metric != null) {
            t.metric(metricName, higherIsBetter, g -> metric.applyAsDouble(g, s.output()));
            if (restoreBest) {
                best = new Best(vars, metric.applyAsDouble(sd, s.output()));
                t.progress(best);
            }
        }
        progress.forEach(t::progress);
        Trainer.TrainResult r = t.fit(window(data, dataStep, b.evalEvery(), b.maxSteps()));
        dataStep += r.steps();
        double m = r.last().metric();
        if (best != null) {
            best.restore();
            m = best.value;
        }
        return new PhaseResult(r.steps(), r.last().meanLoss(), m);
    }

    /** The best evaluated point of a phase: a copy of its trainable values whenever the metric improves. */
    private final class Best implements Progress.Listener, Checkpointed {
        private final Map<String, INDArray> values = new LinkedHashMap<>();
        private double value;

        Best(List<String> vars, double start) {
            for (String v : vars) values.put(v, sd.getArrForVarName(v).dup());
            value = start;
        }

        @Override public void onBatch(Progress p) {}

        @Override public void onEpochEnd(Progress.EpochRecord r) {
            boolean better = Double.isNaN(value) || (higherIsBetter ? r.metric() > value : r.metric() < value);
            if (!better) return;
            value = r.metric();
            for (Map.Entry<String, INDArray> e : values.entrySet()) e.getValue().assign(sd.getArrForVarName(e.getKey()));
        }

        @Override public String checkpointKey() { return "stagewise-best"; }

        @Override public void saveState(CheckpointState st) {
            st.put("value", value);
            values.forEach(st::putArray);
        }

        @Override public void restoreState(CheckpointState st) {
            value = st.getDouble("value");
            values.forEach((n, a) -> a.assign(st.getArray(n)));
        }

        void restore() {
            for (Map.Entry<String, INDArray> e : values.entrySet()) sd.getArrForVarName(e.getKey()).assign(e.getValue());
        }
    }

    /**
     * The phase's view of the data: "epochs" of {@code evalEvery} steps (the trainer evaluates after each), continuing
     * the source where the previous phase stopped, so no two steps of a run see the same batch of a stream.
     */
    static BatchSource window(BatchSource data, long start, int evalEvery, int maxSteps) {
        int per = data.batchesPerEpoch();
        return new BatchSource() {
            @Override public int batchesPerEpoch() { return Math.min(evalEvery, maxSteps); }

            @Override public MultiDataSet batch(int epoch, int index) {
                long g = start + (long) epoch * evalEvery + index;
                return data.batch((int) (g / per), (int) (g % per));
            }
        };
    }

    private void copyInitialValues(Stage s) {
        for (Map.Entry<String, String> e : s.initFrom().entrySet()) {
            INDArray to = sd.getArrForVarName(e.getKey());
            INDArray from = sd.getArrForVarName(e.getValue());
            if (to != null && from != null && Arrays.equals(to.shape(), from.shape())) to.assign(from);
        }
    }
}
