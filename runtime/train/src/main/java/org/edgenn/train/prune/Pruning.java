package org.edgenn.train.prune;

import org.edgenn.train.loop.CheckpointState;
import org.edgenn.train.loop.Checkpointed;
import org.edgenn.train.loop.GraphHooks;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Magnitude pruning with masks that stay enforced through training.
 *
 * <p>{@code Pruning.magnitude(sd, w, schedule)} returns {@code w ⊙ mask} (use it wherever the layer uses
 * its weight). The mask is a graph constant owned by a {@link PrunedWeight} hook; the
 * {@link org.edgenn.train.loop.Trainer} (1) recomputes it on the schedule's update steps from the current
 * magnitudes and (2) after every optimizer step multiplies the raw weight by the mask, so momentum in the
 * optimizer can never revive a pruned weight and the exported raw weight contains the zeros.
 *
 * <p>Unstructured: exactly {@code floor(s · N)} entries with the smallest {@code |w|} are zeroed (ties broken
 * by index). Structured ({@link #channels}): exactly {@code floor(s · C)} whole output channels (last axis)
 * with the smallest L2 norm are zeroed. N:M ({@link #nm}): {@code n} of every {@code m} consecutive weights along
 * the input axis are kept.
 */
public final class Pruning {
    private Pruning() {}

    public enum Granularity { UNSTRUCTURED, OUTPUT_CHANNELS, N_M }

    /** Unstructured magnitude pruning of {@code w}. */
    public static SDVariable magnitude(SameDiff sd, SDVariable w, PruneSchedule schedule) {
        return attach(sd, w, schedule, Granularity.UNSTRUCTURED);
    }

    /** Structured pruning of whole output channels (last axis) by L2 norm. */
    public static SDVariable channels(SameDiff sd, SDVariable w, PruneSchedule schedule) {
        return attach(sd, w, schedule, Granularity.OUTPUT_CHANNELS);
    }

    /**
     * Structured pruning of whole output channels whose bias (graph variable {@code bias}, declared later) is zeroed
     * with them, so that a pruned channel is exactly zero and can be removed from the network ({@link ChannelCompaction}).
     */
    public static SDVariable channels(SameDiff sd, SDVariable w, PruneSchedule schedule, String bias) {
        SDVariable out = attach(sd, w, schedule, Granularity.OUTPUT_CHANNELS);
        of(sd).stream().filter(p -> p.weight().equals(w.name())).findFirst().orElseThrow().bias = bias;
        return out;
    }

    /**
     * Brings every pruned weight of {@code sd} to its schedule's final sparsity (a training stopped before the schedule's
     * end, e.g. with fewer epochs): the export then holds exactly the declared zeros and the declared network shape.
     */
    public static void finish(SameDiff sd) {
        for (PrunedWeight p : of(sd)) {
            if (p.currentSparsity() < p.schedule().finalSparsity()) {
                p.pruneTo(sd, p.schedule().finalSparsity());
            }
        }
    }

    /**
     * N:M pruning of {@code w}: in every group of {@code m} consecutive weights along the input axis (axis
     * {@code rank - 2}: {@code inC} of a {@code [kH, kW, inC, outC]} convolution, {@code in} of an {@code [in, out]}
     * dense weight) all but the {@code n} largest are zeroed. {@code schedule}'s final sparsity must be {@code 1 - n/m};
     * on the way there, the gradual schedule's share of the pattern's candidates (the {@code m - n} smallest of every
     * group) is pruned, smallest first, so the pattern is exact once the schedule reaches its end.
     */
    public static SDVariable nm(SameDiff sd, SDVariable w, int n, int m, PruneSchedule schedule) {
        if (!(n >= 1 && n < m)) throw new IllegalArgumentException("N:M pruning needs 1 <= N < M, got " + n + ":" + m);
        if (Math.abs(schedule.finalSparsity() - (1 - (double) n / m)) > 1e-9)
            throw new IllegalArgumentException("an N:M schedule must end at sparsity 1 - N/M = " + (1 - (double) n / m));
        return attach(sd, w, schedule, Granularity.N_M, n, m);
    }

    private static SDVariable attach(SameDiff sd, SDVariable w, PruneSchedule schedule, Granularity g) {
        return attach(sd, w, schedule, g, 0, 0);
    }

    private static SDVariable attach(SameDiff sd, SDVariable w, PruneSchedule schedule, Granularity g, int n, int m) {
        if (!sd.hasVariable(w.name()) || w.getArr() == null)
            throw new IllegalArgumentException("pruning needs a trainable variable, got " + w.name());
        if (g == Granularity.N_M) {
            long[] shape = w.getArr().shape();
            if (shape.length < 2 || shape[shape.length - 2] % m != 0)
                throw new IllegalArgumentException(n + ":" + m + " pruning needs the input axis of " + w.name()
                        + " to be a multiple of " + m + ", got shape " + Arrays.toString(shape));
        }
        INDArray mask = Nd4j.ones(DataType.FLOAT, w.getArr().shape());
        SDVariable mv = sd.constant(w.name() + "_prune_mask", mask);
        GraphHooks.register(sd, new PrunedWeight(w.name(), mask, schedule, g, n, m));
        return org.edgenn.train.sd.Ops.sameShape(w, w.mul(w.name() + "_pruned", mv));
    }

    /**
     * Mask for N:M pruning along axis {@code rank - 2} at sparsity {@code s <= 1 - n/m}: of the candidates (the
     * {@code m - n} smallest {@code |w|} of every group of {@code m}, ties by position), the
     * {@code floor(s / (1 - n/m) · candidates)} smallest are zeroed (ties by index); at {@code s = 1 - n/m} every group
     * keeps exactly its {@code n} largest.
     */
    public static INDArray nmMask(INDArray w, int n, int m, double s) {
        long[] shape = w.shape();
        float[] v = w.dup('c').castTo(DataType.FLOAT).data().asFloat();
        int axis = shape.length - 2;
        int c = (int) shape[axis];
        int stride = 1;
        for (int d = axis + 1; d < shape.length; d++) stride *= (int) shape[d];
        int outer = v.length / (c * stride);
        List<Integer> candidates = new java.util.ArrayList<>();
        Integer[] group = new Integer[m];
        for (int o = 0; o < outer; o++) {
            for (int inner = 0; inner < stride; inner++) {
                for (int g = 0; g < c / m; g++) {
                    for (int j = 0; j < m; j++) group[j] = o * c * stride + (g * m + j) * stride + inner;
                    Arrays.sort(group, Comparator.comparingDouble((Integer i) -> Math.abs(v[i])).thenComparingInt(i -> i));
                    for (int j = 0; j < m - n; j++) candidates.add(group[j]);
                }
            }
        }
        double target = 1 - (double) n / m;
        int k = s >= target - 1e-12 ? candidates.size() : (int) Math.floor(s / target * candidates.size() + 1e-9);
        candidates.sort(Comparator.comparingDouble((Integer i) -> Math.abs(v[i])).thenComparingInt(i -> i));
        float[] mask = new float[v.length];
        Arrays.fill(mask, 1f);
        for (int i = 0; i < k; i++) mask[candidates.get(i)] = 0f;
        return Nd4j.create(mask, shape, 'c');
    }

    /** All pruned weights registered on a graph. */
    public static List<PrunedWeight> of(SameDiff sd) {
        return GraphHooks.of(sd, PrunedWeight.class);
    }

    /** Mask keeping all but the {@code floor(s·N)} smallest-magnitude entries. */
    public static INDArray unstructuredMask(INDArray w, double sparsity) {
        float[] v = w.dup('c').castTo(DataType.FLOAT).data().asFloat();
        int n = v.length;
        int k = (int) Math.floor(sparsity * n + 1e-9);
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        Arrays.sort(idx, Comparator.comparingDouble((Integer i) -> Math.abs(v[i])).thenComparingInt(i -> i));
        float[] m = new float[n];
        Arrays.fill(m, 1f);
        for (int i = 0; i < k; i++) m[idx[i]] = 0f;
        return Nd4j.create(m, w.shape(), 'c');
    }

    /** Mask zeroing the {@code floor(s·C)} output channels (last axis) with smallest L2 norm. */
    public static INDArray channelMask(INDArray w, double sparsity) {
        long[] shape = w.shape();
        int c = (int) shape[shape.length - 1];
        INDArray flat = w.dup('c').castTo(DataType.DOUBLE).reshape('c', -1, c);
        double[] norms = flat.norm2(0).toDoubleVector();
        int k = (int) Math.floor(sparsity * c + 1e-9);
        Integer[] idx = new Integer[c];
        for (int i = 0; i < c; i++) idx[i] = i;
        Arrays.sort(idx, Comparator.comparingDouble((Integer i) -> norms[i]).thenComparingInt(i -> i));
        float[] row = new float[c];
        Arrays.fill(row, 1f);
        for (int i = 0; i < k; i++) row[idx[i]] = 0f;
        INDArray m = Nd4j.create(row, new long[] {1, c}, 'c').repeat(0, flat.rows());
        return m.reshape('c', shape).castTo(DataType.FLOAT);
    }

    /** A registered pruned weight: its mask, schedule and the enforcement hook. */
    public static final class PrunedWeight implements GraphHooks.Hook, Checkpointed {
        private final String weight;
        private final INDArray mask;
        private final PruneSchedule schedule;
        private final Granularity granularity;
        private final int n;
        private final int m;
        private double currentSparsity;
        /** The bias zeroed with the pruned output channels, or null. */
        private String bias;

        PrunedWeight(String weight, INDArray mask, PruneSchedule schedule, Granularity granularity, int n, int m) {
            this.weight = weight;
            this.mask = mask;
            this.schedule = schedule;
            this.granularity = granularity;
            this.n = n;
            this.m = m;
        }

        public String weight() { return weight; }
        public INDArray mask() { return mask; }
        public PruneSchedule schedule() { return schedule; }
        public Granularity granularity() { return granularity; }
        public double currentSparsity() { return currentSparsity; }

        /** Recomputes the mask for sparsity {@code s} from the current weights and applies it. */
        public void pruneTo(SameDiff sd, double s) {
            INDArray w = sd.getVariable(weight).getArr();
            INDArray next = switch (granularity) {
                case UNSTRUCTURED -> unstructuredMask(w, s);
                case OUTPUT_CHANNELS -> channelMask(w, s);
                case N_M -> nmMask(w, n, m, s);
            };
            mask.assign(next);
            w.muli(mask);
            zeroBias(sd);
            currentSparsity = s;
        }

        /** The output channels this mask keeps (last axis): a channel is kept when any of its mask entries is 1. */
        public boolean[] keptChannels() {
            long[] shape = mask.shape();
            int c = (int) shape[shape.length - 1];
            float[] v = mask.dup('c').data().asFloat();
            boolean[] kept = new boolean[c];
            for (int i = 0; i < v.length; i++) kept[i % c] |= v[i] != 0f;
            return kept;
        }

        private void zeroBias(SameDiff sd) {
            if (bias == null || !sd.hasVariable(bias)) return;
            INDArray b = sd.getVariable(bias).getArr();
            boolean[] kept = keptChannels();
            for (int k = 0; k < kept.length; k++) if (!kept[k]) b.putScalar(k, 0.0);
        }

        @Override public void beforeStep(SameDiff sd, long step) {
            if (schedule.isUpdateStep(step)) {
                double s = schedule.sparsityAt(step);
                if (s > 0 || currentSparsity > 0) pruneTo(sd, Math.max(s, currentSparsity));
            }
        }

        @Override public String checkpointKey() { return "prune:" + weight; }

        @Override public void saveState(CheckpointState st) {
            st.put("sparsity", currentSparsity).putArray("mask", mask);
        }

        @Override public void restoreState(CheckpointState st) {
            currentSparsity = st.getDouble("sparsity");
            mask.assign(st.getArray("mask"));
        }

        @Override public void afterStep(SameDiff sd, long step) {
            if (currentSparsity > 0) {
                sd.getVariable(weight).getArr().muli(mask);
                zeroBias(sd);
            }
        }
    }
}
