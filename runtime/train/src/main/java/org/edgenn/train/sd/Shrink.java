package org.edgenn.train.sd;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Shrinkage (proximal) operators with learnable thresholds.
 *
 * <p><b>Non-negativity by construction.</b> A learnable threshold is stored as an unconstrained raw variable
 * {@code rho} and used as {@code theta = softplus(rho) = log(1 + e^rho) > 0}. Softplus was chosen over
 * {@code |rho|} because its gradient never vanishes or flips sign at 0, and for small thresholds
 * ({@code rho << 0}) it behaves like {@code e^rho}, i.e. Adam updates thresholds on a relative (log) scale,
 * which suits the geometric decay of thresholds across unrolled steps. Use {@link #thetaParam} to create the
 * raw variable from the desired initial threshold (it applies the inverse softplus) and {@link #theta} to read
 * the effective threshold back.
 */
public final class Shrink {
    private Shrink() {}

    /** Raw threshold variable such that {@code softplus(raw) == theta0} (elementwise; shape e.g. {@code [1]} or {@code [n]}). */
    public static SDVariable thetaParam(SameDiff sd, String name, double theta0, long... shape) {
        if (!(theta0 > 0)) throw new IllegalArgumentException("initial threshold must be > 0, got " + theta0);
        double raw = inverseSoftplus(theta0);
        return sd.var(name, Nd4j.zeros(DataType.FLOAT, shape.length == 0 ? new long[] {1} : shape).addi(raw));
    }

    /** The effective, non-negative threshold {@code softplus(raw)}. */
    public static SDVariable theta(SameDiff sd, SDVariable raw) {
        return sd.nn.softplus(raw);
    }

    /**
     * Soft threshold {@code sign(x) max(|x| - theta, 0)} with {@code theta = softplus(thetaRaw)}, written as
     * {@code relu(x - theta) - relu(-x - theta)} so both x and theta get exact (sub)gradients.
     */
    public static SDVariable soft(SameDiff sd, String name, SDVariable x, SDVariable thetaRaw) {
        return softFixed(sd, name, x, theta(sd, thetaRaw));
    }

    public static SDVariable soft(SameDiff sd, SDVariable x, SDVariable thetaRaw) {
        return soft(sd, null, x, thetaRaw);
    }

    /** Soft threshold with an already non-negative threshold expression (no reparametrisation). */
    public static SDVariable softFixed(SameDiff sd, String name, SDVariable x, SDVariable theta) {
        SDVariable pos = sd.nn.relu(x.sub(theta), 0.0);
        SDVariable neg = sd.nn.relu(x.neg().sub(theta), 0.0);
        return name == null ? pos.sub(neg) : pos.sub(name, neg);
    }

    /**
     * Hard threshold {@code x · 1[|x| > theta]}. The indicator has zero derivative, so theta only learns
     * through downstream terms; x gets the gradient of the kept entries.
     */
    public static SDVariable hard(SameDiff sd, String name, SDVariable x, SDVariable thetaRaw) {
        SDVariable keep = sd.math.abs(x).gt(theta(sd, thetaRaw)).castTo(DataType.FLOAT);
        return x.mul(name, Ops.stopGradient(sd, keep));
    }

    /** Non-negative soft threshold (ReLU with learnable bias), the proximal map of l1 plus x >= 0. */
    public static SDVariable softNonNeg(SameDiff sd, String name, SDVariable x, SDVariable thetaRaw) {
        return sd.nn.relu(name, x.sub(theta(sd, thetaRaw)), 0.0);
    }

    public static double softplus(double r) {
        return r > 30 ? r : Math.log1p(Math.exp(r));
    }

    public static double inverseSoftplus(double t) {
        return t > 30 ? t : Math.log(Math.expm1(t));
    }
}
