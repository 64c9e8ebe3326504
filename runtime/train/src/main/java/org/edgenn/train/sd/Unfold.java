package org.edgenn.train.sd;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The linear parts of unrolled (deep-unfolding) steps, in the row form of the runtime ({@code x [batch, n]},
 * {@code y [batch, m]}, a known operator {@code A [m, n]} stored once): {@code A x} is {@code x Aᵀ} and {@code Aᵀ r} is
 * {@code r A}, both multiplications reading the same variable, so {@code A} and {@code Aᵀ} are tied by construction
 * (a constant stays fixed, a trainable variable trains once for both uses).
 */
public final class Unfold {
    private Unfold() {}

    /** {@code A x} as {@code x Aᵀ}: {@code [batch, m]}. */
    public static SDVariable apply(SameDiff sd, SDVariable x, SDVariable a) {
        return sd.mmul(x, a, false, true, false);
    }

    /** {@code Aᵀ r} as {@code r A}: {@code [batch, n]}. */
    public static SDVariable applyT(SameDiff sd, SDVariable r, SDVariable a) {
        return sd.mmul(r, a);
    }

    /**
     * The coupled gradient step of LISTA-CP / ALISTA / ISTA, {@code x + γ Wᵀ(y − A x)}; {@code W} has the shape of {@code A}
     * (ISTA: {@code W = A}, {@code γ = 1/L}; ALISTA: the analytic weight); {@code gamma} null means 1.
     */
    public static SDVariable gradientStep(SameDiff sd, String name, SDVariable x, SDVariable y, SDVariable a, SDVariable w, SDVariable gamma) {
        SDVariable r = y.sub(apply(sd, x, a));
        SDVariable g = applyT(sd, r, w);
        if (gamma != null) g = g.mul(gamma);
        SDVariable out = name == null ? x.add(g) : x.add(name, g);
        return Ops.sameShape(x, out);
    }

    /** FISTA's extrapolation {@code x + c (x − xPrev)} with the step's constant {@code c = (t_k − 1)/t_{k+1}}. */
    public static SDVariable momentum(SameDiff sd, String name, SDVariable x, SDVariable xPrev, double c) {
        SDVariable d = x.sub(xPrev).mul(c);
        return Ops.sameShape(x, name == null ? x.add(d) : x.add(name, d));
    }
}
