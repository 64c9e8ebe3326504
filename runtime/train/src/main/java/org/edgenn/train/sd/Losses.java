package org.edgenn.train.sd;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Losses of the EdgeNN language. All return a scalar; tensors are {@code [batch, ...]}.
 * Reductions are written down here once:
 * <ul>
 *   <li>{@link #mse}: mean over all elements of {@code (p - t)^2};</li>
 *   <li>{@link #nmse}: {@code sum ||p - t||^2 / sum ||t||^2} over the whole batch (the ratio of sums used to report
 *       NMSE in dB, so the training loss and the reported metric are the same quantity);</li>
 *   <li>{@link #l1}: mean over the batch of the per-sample l1 norm {@code sum_i |x_i|};</li>
 *   <li>{@link #crossEntropy}: mean over the batch of softmax cross-entropy with one-hot labels;</li>
 *   <li>{@link #distill}: Hinton et al. knowledge distillation {@code T^2 · KL(softmax(t/T) || softmax(s/T))},
 *       batch mean; the teacher receives no gradient.</li>
 * </ul>
 * Combine with {@link #weighted} / {@link #sum}, e.g. {@code sum(nmse(x, t), weighted(1e-3, l1(x)))}.
 */
public final class Losses {
    private Losses() {}

    public static SDVariable mse(SameDiff sd, SDVariable pred, SDVariable target) {
        SDVariable d = pred.sub(target);
        return d.mul(d).mean();
    }

    public static SDVariable nmse(SameDiff sd, SDVariable pred, SDVariable target) {
        SDVariable d = pred.sub(target);
        return d.mul(d).sum().div(target.mul(target).sum().add(1e-12));
    }

    public static SDVariable l1(SameDiff sd, SDVariable x) {
        int r = x.getShape() == null ? 2 : x.getShape().length;
        int[] feat = new int[r - 1];
        for (int i = 1; i < r; i++) feat[i - 1] = i;
        return sd.math.abs(x).sum(feat).mean();
    }

    /** Mean over the batch of the per-sample squared l2 norm (an activation-energy / weight-decay style penalty). */
    public static SDVariable l2sq(SameDiff sd, SDVariable x) {
        int r = x.getShape() == null ? 2 : x.getShape().length;
        int[] feat = new int[r - 1];
        for (int i = 1; i < r; i++) feat[i - 1] = i;
        return x.mul(x).sum(feat).mean();
    }

    /** Smooth sparsity penalty {@code mean_b sum_i log(1 + x_i^2 / eps^2)} (Cauchy / log penalty). */
    public static SDVariable logSparsity(SameDiff sd, SDVariable x, double eps) {
        int r = x.getShape() == null ? 2 : x.getShape().length;
        int[] feat = new int[r - 1];
        for (int i = 1; i < r; i++) feat[i - 1] = i;
        return sd.math.log(x.mul(x).div(eps * eps).add(1.0)).sum(feat).mean();
    }

    /** Softmax cross-entropy; {@code labels} one-hot {@code [batch, classes]}. */
    public static SDVariable crossEntropy(SameDiff sd, SDVariable logits, SDVariable labels) {
        SDVariable logp = logSoftmax(sd, logits);
        return labels.mul(logp).sum(1).mean().neg();
    }

    public static SDVariable distill(SameDiff sd, SDVariable studentLogits, SDVariable teacherLogits, double temperature) {
        SDVariable t = Ops.stopGradient(sd, teacherLogits).div(temperature);
        SDVariable s = studentLogits.div(temperature);
        SDVariable logPt = logSoftmax(sd, t);
        SDVariable pt = sd.math.exp(logPt);
        SDVariable logPs = logSoftmax(sd, s);
        return pt.mul(logPt.sub(logPs)).sum(1).mean().mul(temperature * temperature);
    }

    /** Numerically stable log-softmax over axis 1. */
    public static SDVariable logSoftmax(SameDiff sd, SDVariable logits) {
        SDVariable shifted = logits.sub(Ops.stopGradient(sd, logits.max(true, 1)));
        return shifted.sub(sd.math.log(sd.math.exp(shifted).sum(true, 1)));
    }

    public static SDVariable weighted(double w, SDVariable loss) {
        return loss.mul(w);
    }

    public static SDVariable sum(SDVariable first, SDVariable... rest) {
        SDVariable s = first;
        for (SDVariable r : rest) s = s.add(r);
        return s;
    }

    /** Names the final loss variable (generated code uses the network's loss name). */
    public static SDVariable named(SDVariable loss, String name) {
        return loss.rename(name);
    }
}
