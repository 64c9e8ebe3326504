package org.edgenn.train.loop;

import org.edgenn.train.data.BatchSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The training loop called by generated trainers:
 * <pre>{@code
 * TrainResult r = Trainer.on(sd)
 *     .inputs("y").labels("x_target").loss(loss)
 *     .updater(new Adam(5e-4)).epochs(10)
 *     .metric("nmse_db", false, g -> Evaluate.nmseDb(g, heldOut, "x_16"))
 *     .progress(ConsoleProgress.stdout())
 *     .fit(train);
 * }</pre>
 * Around every optimizer step it drives the graph's {@link GraphHooks} (activation observers of fake-quant
 * nodes, pruning masks). Early stopping is off unless {@link #earlyStopping} is called.
 */
public final class Trainer {
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

    private final SameDiff sd;
    private List<String> inputs = List.of();
    private List<String> labels = List.of();
    private String loss;
    private IUpdater updater = new Adam(1e-3);
    private int epochs = 1;
    private final List<Progress.Listener> progress = new ArrayList<>();
    private String metricName = "metric";
    private boolean higherIsBetter;
    private ToDoubleFunction<SameDiff> metric;
    private int patience = -1;
    private double minDelta;
    private long globalStep;
    private double weightDecay;
    private double decoupledWeightDecay;
    private boolean configured;
    /** The variables the optimizer updates; null = every trainable variable of the graph. */
    private Set<String> trainable;
    private boolean hooks = true;

    private Trainer(SameDiff sd) {
        this.sd = Objects.requireNonNull(sd);
    }

    public static Trainer on(SameDiff sd) {
        return new Trainer(sd);
    }

    /** Placeholder names fed from the batch features, in order. */
    public Trainer inputs(String... names) { inputs = List.of(names); return this; }

    /** Placeholder names fed from the batch labels, in order (none for unsupervised losses). */
    public Trainer labels(String... names) { labels = List.of(names); return this; }

    public Trainer loss(SDVariable lossVar) { loss = lossVar.name(); return this; }

    public Trainer loss(String lossVar) { loss = lossVar; return this; }

    /** Any ND4J updater; learning-rate schedules via its {@code ISchedule} constructor (see {@link Optimizers}). */
    public Trainer updater(IUpdater u) { updater = u; updaters.clear(); updaterStates.clear(); configured = false; return this; }

    /**
     * Updates only these variables; every other one keeps its value bit for bit (a layer-wise curriculum freezes
     * the steps it has trained). Gradients are requested for these alone, and SameDiff executes only the part of
     * the backward graph they need, so a frozen prefix costs its forward pass.
     */
    public Trainer trainable(Collection<String> names) {
        for (String n : names) {
            if (!sd.hasVariable(n) || sd.getVariable(n).getVariableType() != VariableType.VARIABLE)
                throw new IllegalArgumentException("'" + n + "' is not a trainable variable of the graph");
        }
        if (names.isEmpty()) throw new IllegalArgumentException("no variable to train");
        trainable = Set.copyOf(names);
        updaters.clear();
        updaterStates.clear();
        return this;
    }

    /**
     * Trains without the graph's {@link GraphHooks} (activation observers, pruning masks): a layer-wise curriculum
     * runs in float before pruning and quantization start, and pruning would also rewrite the frozen weights.
     */
    public Trainer withoutHooks() { hooks = false; return this; }

    public Trainer epochs(int e) {
        if (e < 1) throw new IllegalArgumentException("epochs must be >= 1");
        epochs = e;
        return this;
    }

    public Trainer progress(Progress.Listener l) { progress.add(l); return this; }

    /** Held-out metric computed at the end of every epoch. */
    public Trainer metric(String name, boolean higherIsBetter, ToDoubleFunction<SameDiff> fn) {
        metricName = name;
        this.higherIsBetter = higherIsBetter;
        metric = fn;
        return this;
    }

    /** Stop when the metric (or the mean loss if no metric) has not improved by {@code minDelta} for {@code patience} epochs. */
    public Trainer earlyStopping(int patience, double minDelta) {
        if (patience < 1) throw new IllegalArgumentException("patience must be >= 1");
        this.patience = patience;
        this.minDelta = minDelta;
        return this;
    }

    /** L2 weight decay: adds {@code lambda · w} to the gradient of every trainable variable of rank >= 2 (weights, not biases or thresholds). */
    public Trainer weightDecay(double lambda) {
        if (lambda < 0) throw new IllegalArgumentException("weight decay must be >= 0");
        weightDecay = lambda;
        return this;
    }

    /**
     * Decoupled weight decay (Loshchilov and Hutter, "Decoupled Weight Decay Regularization", ICLR 2019): each step
     * also subtracts {@code lr_t · lambda · w} from every trainable variable of rank >= 2 (weights, not biases or
     * thresholds), where {@code lr_t} is the updater's scheduled learning rate; with Adam this is AdamW. Unlike
     * {@link #weightDecay}, the decay does not pass through the updater, so Adam's per-element scaling leaves it alone.
     */
    public Trainer decoupledWeightDecay(double lambda) {
        if (lambda < 0) throw new IllegalArgumentException("weight decay must be >= 0");
        decoupledWeightDecay = lambda;
        return this;
    }

    /** Global optimizer steps done so far (pruning schedules count these). */
    public long globalStep() { return globalStep; }

    /** Continue step counting from a previous run (e.g. a fine-tuning phase with a new Trainer). */
    public Trainer startAtStep(long step) { globalStep = step; return this; }

    /** The outcome of {@link #fit}. */
    public record TrainResult(List<Progress.EpochRecord> epochs, boolean stoppedEarly, long steps) {
        public Progress.EpochRecord last() { return epochs.get(epochs.size() - 1); }
        public double meanEpochSeconds() { return epochs.stream().mapToDouble(Progress.EpochRecord::seconds).average().orElse(Double.NaN); }
    }

    private void configure() {
        if (loss == null) throw new IllegalStateException("no loss variable set");
        if (inputs.isEmpty()) throw new IllegalStateException("no input placeholders set");
        for (String n : inputs) requirePlaceholder(n);
        for (String n : labels) requirePlaceholder(n);
        if (!sd.hasVariable(loss)) throw new IllegalStateException("loss variable '" + loss + "' not in graph");
        sd.setLossVariables(loss);
        TrainingConfig.Builder b = TrainingConfig.builder().updater(updater).dataSetFeatureMapping(inputs);
        if (labels.isEmpty()) b.markLabelsUnused(); else b.dataSetLabelMapping(labels);
        sd.setTrainingConfig(b.build());
        configured = true;
    }

    private void requirePlaceholder(String n) {
        if (!sd.hasVariable(n) || !sd.isPlaceHolder(n))
            throw new IllegalStateException("'" + n + "' is not a placeholder of the graph");
    }

    public TrainResult fit(BatchSource data) {
        if (!configured) configure();
        int batches = data.batchesPerEpoch();
        if (batches < 1) throw new IllegalArgumentException("the training data yields no batches");
        checkShapes(data.batch(0, 0));
        RunCheckpoints cp = RunCheckpoints.active();
        int fitNo = cp == null ? -1 : cp.beginFit();
        RunCheckpoints.FitRecord finished = cp == null ? null : cp.replay(fitNo);
        if (finished != null) return replay(cp, fitNo, finished);
        List<GraphHooks.Hook> hooks = this.hooks ? GraphHooks.of(sd) : List.of();
        initUpdaters();
        Checkpoint checkpoint = Checkpoint.take();
        long resumed = 0;   // optimizer steps the checkpoint holds: skipped here, so the batches are those that come next
        if (checkpoint != null) {
            resumed = checkpoint.restore(sd, updaterStates, holders(), batches);
            globalStep = resumed;
        }
        long firstStep = globalStep - resumed;
        long stopAt = checkpoint == null ? Long.MAX_VALUE : checkpoint.stopAt();   // a rung: this training, interrupted
        List<Progress.EpochRecord> records = new ArrayList<>();
        long t0 = System.nanoTime();
        double best = Double.NaN;
        int sinceBest = 0;
        boolean stopped = false;
        double lastMetric = Double.NaN;
        RunCheckpoints.Snapshot snap = cp == null ? null : cp.resumeIn(fitNo);
        if (snap != null) {
            // the listeners see the recorded epochs first (their decisions repeat), then every state is set back
            for (Progress.EpochRecord r : snap.current().epochs()) for (Progress.Listener pl : progress) pl.onEpochEnd(r);
            restore(snap);
            records.addAll(snap.current().epochs());
            best = snap.best();
            sinceBest = snap.sinceBest();
            stopped = snap.current().stopped();
            globalStep = snap.current().stepEnd();
            if (!records.isEmpty()) lastMetric = records.get(records.size() - 1).metric();
        }
        for (int e = records.size(); e < epochs && !stopped && (long) e * batches < stopAt; e++) {
            long te = System.nanoTime();
            double lossSum = 0;
            int skipped = 0;
            int trained = 0;
            for (int b = 0; b < batches; b++) {
                long at = firstStep + (long) e * batches + b;
                if (at < resumed) {
                    skipped++;
                    continue;
                }
                if (at - firstStep >= stopAt) break;
                MultiDataSet mds = data.batch(e, b);
                for (GraphHooks.Hook h : hooks) h.beforeStep(sd, globalStep);
                double l = step(mds, e);
                for (GraphHooks.Hook h : hooks) h.afterStep(sd, globalStep);
                NativeMemory.afterStep();   // the step's native buffers are garbage now: keep the process under its budget
                globalStep++;
                trained++;
                if (!Double.isFinite(l)) throw new IllegalStateException("loss became " + l + " at epoch " + (e + 1) + " batch " + (b + 1));
                lossSum += l;
                double elapsed = (System.nanoTime() - t0) / 1e9;
                long done = (long) e * batches + b + 1;
                double eta = elapsed / done * ((long) epochs * batches - done);
                Progress p = new Progress(e + 1, epochs, b + 1, batches, lossSum / trained, metricName, lastMetric, elapsed, eta);
                for (Progress.Listener pl : progress) pl.onBatch(p);
            }
            if (trained == 0) continue;   // an epoch the checkpoint already holds
            double secs = (System.nanoTime() - te) / 1e9;
            double m = metric == null ? Double.NaN : metric.applyAsDouble(sd);
            lastMetric = m;
            Progress.EpochRecord rec = new Progress.EpochRecord(e + 1, lossSum / trained, metricName, m, secs);
            records.add(rec);
            for (Progress.Listener pl : progress) pl.onEpochEnd(rec);
            LOG.debug("epoch {}: loss {} {} {} ({} s)", e + 1, rec.meanLoss(), metricName, m, secs);
            if (patience > 0) {
                double v = metric == null ? rec.meanLoss() : m;
                boolean better = metric == null || !higherIsBetter ? (Double.isNaN(best) || v < best - minDelta)
                        : (Double.isNaN(best) || v > best + minDelta);
                if (better) { best = v; sinceBest = 0; } else if (++sinceBest >= patience) stopped = true;
            }
            if (cp != null && cp.due()) checkpoint(cp, fitNo, new RunCheckpoints.FitRecord(List.copyOf(records), stopped, globalStep), best, sinceBest);
        }
        if (checkpoint != null) {
            try {
                checkpoint.save(sd, updaterStates, holders(), globalStep, batches);
            } catch (java.io.IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        }
        if (cp != null) cp.fitEnded(fitNo, new RunCheckpoints.FitRecord(List.copyOf(records), stopped, globalStep));
        return new TrainResult(List.copyOf(records), stopped, globalStep);
    }

    /** A fit that finished before the checkpoint the run resumed from: its recorded epochs, no training. */
    private TrainResult replay(RunCheckpoints cp, int fitNo, RunCheckpoints.FitRecord done) {
        for (Progress.EpochRecord r : done.epochs()) for (Progress.Listener pl : progress) pl.onEpochEnd(r);
        globalStep = done.stepEnd();
        cp.fitEnded(fitNo, done);
        return new TrainResult(done.epochs(), done.stopped(), globalStep);
    }

    /** The state holders a checkpoint carries besides arrays: the graph's hooks and this trainer's listeners. */
    private List<Checkpointed> holders() {
        List<Checkpointed> out = new ArrayList<>();
        Set<String> keys = new java.util.HashSet<>();
        List<Object> candidates = new ArrayList<>(GraphHooks.of(sd));
        candidates.addAll(progress);
        for (Object o : candidates) {
            if (!(o instanceof Checkpointed)) continue;
            Checkpointed c = (Checkpointed) o;
            if (!keys.add(c.checkpointKey())) throw new IllegalStateException("two checkpointed states named " + c.checkpointKey());
            out.add(c);
        }
        return out;
    }

    /** Graph arrays a checkpoint carries: trainable variables and constants (pruning masks among them). */
    private static boolean persistent(SDVariable v) {
        return (v.getVariableType() == VariableType.VARIABLE || v.getVariableType() == VariableType.CONSTANT) && v.getArr() != null;
    }

    private void checkpoint(RunCheckpoints cp, int fitNo, RunCheckpoints.FitRecord current, double best, int sinceBest) {
        Map<String, String> scalars = new LinkedHashMap<>();
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        for (SDVariable v : sd.variables()) if (persistent(v)) arrays.put("graph/" + v.name(), v.getArr());
        updaterStates.forEach((n, view) -> arrays.put("updater/" + n, view));
        for (Checkpointed c : holders()) {
            CheckpointState st = CheckpointState.empty();
            c.saveState(st);
            st.scalars().forEach((k, v) -> scalars.put(c.checkpointKey() + "/" + k, v));
            st.arrays().forEach((k, a) -> arrays.put("state/" + c.checkpointKey() + "/" + k, a));
        }
        cp.write(fitNo, current, best, sinceBest, scalars, arrays);
    }

    private void restore(RunCheckpoints.Snapshot s) {
        for (SDVariable v : sd.variables()) {
            if (persistent(v)) assign(v.getArr(), s.arrays().get("graph/" + v.name()), v.name());
        }
        updaterStates.forEach((n, view) -> assign(view, s.arrays().get("updater/" + n), "the optimizer state of " + n));
        for (Checkpointed c : holders()) {
            String prefix = c.checkpointKey() + "/";
            CheckpointState st = CheckpointState.empty();
            s.scalars().forEach((k, v) -> { if (k.startsWith(prefix)) st.scalars().put(k.substring(prefix.length()), v); });
            s.arrays().forEach((k, a) -> { if (k.startsWith("state/" + prefix)) st.arrays().put(k.substring(6 + prefix.length()), a); });
            c.restoreState(st);
        }
    }

    private static void assign(INDArray target, INDArray saved, String what) {
        if (saved == null)
            throw new CheckpointException("the checkpoint holds no value for " + what + ": it was written for another graph");
        if (!java.util.Arrays.equals(target.shape(), saved.shape()))
            throw new CheckpointException("the checkpoint's " + what + " has shape " + java.util.Arrays.toString(saved.shape())
                    + ", the graph's " + java.util.Arrays.toString(target.shape()));
        target.assign(saved);
    }

    /** Fails before the first step when the data does not fit the placeholders (count or static dimensions). */
    private void checkShapes(MultiDataSet first) {
        if (first.numFeatureArrays() != inputs.size())
            throw new IllegalArgumentException("data has " + first.numFeatureArrays() + " feature arrays but the graph inputs are " + inputs);
        int nl = first.getLabels() == null ? 0 : first.numLabelsArrays();
        if (nl < labels.size())
            throw new IllegalArgumentException("data has " + nl + " label arrays but the graph labels are " + labels);
        for (int i = 0; i < inputs.size(); i++) checkShape(inputs.get(i), first.getFeatures(i), "features[" + i + "]");
        for (int i = 0; i < labels.size(); i++) checkShape(labels.get(i), first.getLabels(i), "labels[" + i + "]");
    }

    private void checkShape(String ph, INDArray arr, String what) {
        long[] want = sd.getVariable(ph).placeholderShape();
        if (want == null) return;
        long[] got = arr.shape();
        boolean ok = want.length == got.length;
        for (int d = 0; ok && d < want.length; d++) ok = want[d] < 0 || want[d] == got[d];
        if (!ok)
            throw new IllegalArgumentException("data " + what + " has shape " + java.util.Arrays.toString(got) + " but placeholder '" + ph
                    + "' expects " + java.util.Arrays.toString(want) + " (-1 = any)");
    }

    private final Map<String, GradientUpdater> updaters = new LinkedHashMap<>();
    /** The state arrays of the updaters (Adam's moments), by variable: what a {@link Checkpoint} saves and restores. */
    private final Map<String, INDArray> updaterStates = new LinkedHashMap<>();
    private final Map<String, IUpdater> updaterOf = new LinkedHashMap<>();

    /** Variable {@code name} trains with {@code u} instead of the trainer's updater (e.g. another learning rate). */
    public Trainer updater(String name, IUpdater u) {
        updaterOf.put(name, u);
        updaters.remove(name);
        updaterStates.remove(name);
        return this;
    }

    /** One updater state per trainable variable (kept across {@link #fit} calls of this trainer). */
    private void initUpdaters() {
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() != VariableType.VARIABLE || updaters.containsKey(v.name())) continue;
            if (trainable != null && !trainable.contains(v.name())) continue;
            INDArray arr = v.getArr();
            IUpdater u = updaterOf.getOrDefault(v.name(), updater);
            long n = u.stateSize(arr.length());
            INDArray view = n > 0 ? Nd4j.zeros(arr.dataType(), 1, n) : null;
            GradientUpdater gu = u.clone().instantiate(view, true);
            if (view != null) {
                gu.setStateViewArray(view, arr.shape(), 'c', true);
                updaterStates.put(v.name(), view);
            }
            updaters.put(v.name(), gu);
        }
    }

    /**
     * One optimizer step: forward + backward via {@code calculateGradientsAndOutputs} (which, unlike
     * {@code SameDiff.fit}, also returns the loss value), then the updater, in place on the gradient arrays
     * (SameDiff hands them over; copying 17 MB per LISTA step was measurable).
     */
    private double step(MultiDataSet mds, int epoch) {
        Map<String, INDArray> ph = new HashMap<>();
        if (mds.numFeatureArrays() < inputs.size())
            throw new IllegalArgumentException("batch has " + mds.numFeatureArrays() + " feature arrays, graph needs " + inputs);
        for (int i = 0; i < inputs.size(); i++) ph.put(inputs.get(i), mds.getFeatures(i));
        for (int i = 0; i < labels.size(); i++) ph.put(labels.get(i), mds.getLabels(i));
        OutAndGrad og = sd.calculateGradientsAndOutputs(ph, List.of(loss), updaters.keySet());
        int it = (int) Math.min(Integer.MAX_VALUE, globalStep);
        for (Map.Entry<String, INDArray> g : og.getGradients().entrySet()) {
            GradientUpdater gu = updaters.get(g.getKey());
            INDArray grad = g.getValue();
            if (gu == null || grad == null) continue;
            INDArray param = sd.getArrForVarName(g.getKey());
            INDArray upd = grad.isView() || grad.ordering() != 'c' ? grad.dup('c') : grad;
            if (weightDecay > 0 && param.rank() >= 2) upd.addi(param.reshape(upd.shape()).mul(weightDecay));
            gu.applyUpdater(upd, it, epoch);
            if (decoupledWeightDecay > 0 && param.rank() >= 2)   // on the weights before this step, as in AdamW
                upd.addi(param.reshape(upd.shape()).mul(updater.getLearningRate(it, epoch) * decoupledWeightDecay));
            param.subi(upd.reshape(param.shape()));
        }
        return og.getOutputs().get(loss).getDouble(0);
    }
}
