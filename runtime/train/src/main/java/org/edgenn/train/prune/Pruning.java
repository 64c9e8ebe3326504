package org.edgenn.train.prune;

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
 * with the smallest L2 norm are zeroed.
 */
public final class Pruning {
    private Pruning() {}

    public enum Granularity { UNSTRUCTURED, OUTPUT_CHANNELS }

    /** Unstructured magnitude pruning of {@code w}. */
    public static SDVariable magnitude(SameDiff sd, SDVariable w, PruneSchedule schedule) {
        return attach(sd, w, schedule, Granularity.UNSTRUCTURED);
    }

    /** Structured pruning of whole output channels (last axis) by L2 norm. */
    public static SDVariable channels(SameDiff sd, SDVariable w, PruneSchedule schedule) {
        return attach(sd, w, schedule, Granularity.OUTPUT_CHANNELS);
    }

    private static SDVariable attach(SameDiff sd, SDVariable w, PruneSchedule schedule, Granularity g) {
        if (!sd.hasVariable(w.name()) || w.getArr() == null)
            throw new IllegalArgumentException("pruning needs a trainable variable, got " + w.name());
        INDArray mask = Nd4j.ones(DataType.FLOAT, w.getArr().shape());
        SDVariable m = sd.constant(w.name() + "_prune_mask", mask);
        GraphHooks.register(sd, new PrunedWeight(w.name(), mask, schedule, g));
        return org.edgenn.train.sd.Ops.sameShape(w, w.mul(w.name() + "_pruned", m));
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
    public static final class PrunedWeight implements GraphHooks.Hook {
        private final String weight;
        private final INDArray mask;
        private final PruneSchedule schedule;
        private final Granularity granularity;
        private double currentSparsity;

        PrunedWeight(String weight, INDArray mask, PruneSchedule schedule, Granularity granularity) {
            this.weight = weight;
            this.mask = mask;
            this.schedule = schedule;
            this.granularity = granularity;
        }

        public String weight() { return weight; }
        public INDArray mask() { return mask; }
        public PruneSchedule schedule() { return schedule; }
        public Granularity granularity() { return granularity; }
        public double currentSparsity() { return currentSparsity; }

        /** Recomputes the mask for sparsity {@code s} from the current weights and applies it. */
        public void pruneTo(SameDiff sd, double s) {
            INDArray w = sd.getVariable(weight).getArr();
            INDArray m = granularity == Granularity.UNSTRUCTURED ? unstructuredMask(w, s) : channelMask(w, s);
            mask.assign(m);
            w.muli(mask);
            currentSparsity = s;
        }

        @Override public void beforeStep(SameDiff sd, long step) {
            if (schedule.isUpdateStep(step)) {
                double s = schedule.sparsityAt(step);
                if (s > 0 || currentSparsity > 0) pruneTo(sd, Math.max(s, currentSparsity));
            }
        }

        @Override public void afterStep(SameDiff sd, long step) {
            if (currentSparsity > 0) sd.getVariable(weight).getArr().muli(mask);
        }
    }
}
