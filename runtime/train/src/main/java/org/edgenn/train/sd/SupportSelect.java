package org.edgenn.train.sd;

import org.edgenn.train.classic.SupportSelection;
import org.edgenn.train.loop.PerGraph;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Support selection (LISTA-SS / CPSS, Chen et al. 2018) in a SameDiff graph: per sample, the entries among the
 * {@link SupportSelection#count largest p %} magnitudes that exceed the threshold pass unchanged, the others are
 * soft-thresholded; the same function as {@link SupportSelection#apply} (ties by the lower index).
 * <p>The top-p % indicator is not differentiable and SameDiff's top-k op has no gradient at all (SameDiff also
 * differentiates, with zeros, ops behind a stop-gradient), so it is one cheap graph node, {@code stopGradient(v) · 1},
 * whose output a graph listener replaces in place by the indicator right after it runs, as {@code FakeQuant} does.
 * The rest is graph ops: {@code keep = stopGradient(top · [|v| > θ])}, {@code out = soft(v, θ) + keep (v − soft(v, θ))}:
 * kept entries get gradient 1 and the threshold learns through the others.
 */
public final class SupportSelect {
    private SupportSelect() {}

    private static final PerGraph<SameDiff, Listener> LISTENERS = new PerGraph<>();

    /** {@code ss_θ^p(v)} for {@code v [batch, n]} with the learnable threshold {@code softplus(thetaRaw)}. */
    public static SDVariable apply(SameDiff sd, String name, SDVariable v, SDVariable thetaRaw, double percent) {
        return applyFixed(sd, name, v, Shrink.theta(sd, thetaRaw), percent);
    }

    /** The same for an input {@code v [batch, n]} whose static shape SameDiff does not know. */
    public static SDVariable apply(SameDiff sd, String name, SDVariable v, SDVariable thetaRaw, double percent, int n) {
        return applyFixed(sd, name, v, Shrink.theta(sd, thetaRaw), percent, n);
    }

    /** The same with an already non-negative threshold expression. */
    public static SDVariable applyFixed(SameDiff sd, String name, SDVariable v, SDVariable theta, double percent) {
        long[] shape = Ops.shapeOf(v);
        if (shape == null || shape.length != 2 || shape[1] < 1)
            throw new IllegalArgumentException("support selection needs a [batch, n] input of known n, '" + v.name() + "' has "
                    + java.util.Arrays.toString(shape) + "; pass n");
        return applyFixed(sd, name, v, theta, percent, (int) shape[1]);
    }

    /** The same for an input {@code v [batch, n]} whose static shape SameDiff does not know. */
    public static SDVariable applyFixed(SameDiff sd, String name, SDVariable v, SDVariable theta, double percent, int n) {
        int count = SupportSelection.count(n, percent);
        SDVariable soft = Shrink.softFixed(sd, null, v, theta);
        if (count == 0) return name == null ? soft : soft.add(name, 0.0);
        SDVariable top = Ops.stopGradient(sd, v).mul(1.0);
        LISTENERS.computeIfAbsent(sd, () -> {
            Listener l = new Listener();
            sd.addListeners(l);
            return l;
        }).nodes.put(top.name(), count);
        SDVariable keep = Ops.stopGradient(sd, top.mul(sd.math.abs(v).gt(theta.castTo(DataType.FLOAT)).castTo(DataType.FLOAT)));
        SDVariable out = soft.add(keep.mul(v.sub(soft)));
        return Ops.sameShape(v, name == null ? out : out.add(name, 0.0));
    }

    /** Replaces a registered node's output (a copy of {@code v}) by the per-row indicator of its {@code count} largest magnitudes. */
    private static final class Listener extends BaseListener {
        final Map<String, Integer> nodes = new ConcurrentHashMap<>();

        @Override public boolean isActive(Operation operation) { return true; }

        @Override
        public void opExecution(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, OpContext ctx, INDArray[] outputs) {
            List<String> outs = op.getOutputsOfOp();
            if (outs == null || outs.size() != 1) return;
            Integer count = nodes.get(outs.get(0));
            if (count != null) outputs[0].assign(topIndicator(outputs[0], count));
        }
    }

    /**
     * 1 at the {@code count} largest magnitudes of each row (ties: lower index first), 0 elsewhere. Per row: the
     * {@code count}-th largest magnitude {@code t} by selection (expected linear time), then every entry above {@code t} and, in index
     * order, as many entries equal to {@code t} as the count leaves (this runs on every row at every unroll step of every
     * training step and evaluation, so it neither sorts nor boxes).
     */
    static INDArray topIndicator(INDArray v, int count) {
        int rows = (int) v.size(0), n = (int) v.size(1);
        float[] x = v.castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[] mask = new float[x.length];
        float[] mag = new float[n];
        int take = Math.min(count, n);
        for (int r = 0; r < rows && take > 0; r++) {
            int base = r * n;
            for (int i = 0; i < n; i++) mag[i] = Math.abs(x[base + i]);
            float t = kthSmallest(mag.clone(), n - take);
            int above = 0;
            for (int i = 0; i < n; i++) if (mag[i] > t) { mask[base + i] = 1f; above++; }
            int ties = take - above;
            for (int i = 0; i < n && ties > 0; i++) if (mag[i] == t) { mask[base + i] = 1f; ties--; }
        }
        return Nd4j.create(mask, new long[] {rows, n}, 'c').castTo(v.dataType());
    }

    /** The {@code k}-th smallest value (0-based) of {@code a}, which it reorders: Hoare's selection, middle pivot. */
    static float kthSmallest(float[] a, int k) {
        int lo = 0, hi = a.length - 1;
        while (lo < hi) {
            float pivot = a[(lo + hi) >>> 1];
            int i = lo, j = hi;
            while (i <= j) {
                while (a[i] < pivot) i++;
                while (a[j] > pivot) j--;
                if (i <= j) {
                    float tmp = a[i]; a[i] = a[j]; a[j] = tmp;
                    i++;
                    j--;
                }
            }
            if (k <= j) hi = j;
            else if (k >= i) lo = i;
            else return a[k];
        }
        return a[k];
    }
}
