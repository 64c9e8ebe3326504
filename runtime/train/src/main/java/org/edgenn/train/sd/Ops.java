package org.edgenn.train.sd;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;

/** Small graph utilities missing from SameDiff's public op namespaces. */
public final class Ops {
    private Ops() {}

    /** Identity in the forward pass, zero gradient in the backward pass. */
    public static SDVariable stopGradient(SameDiff sd, SDVariable x) {
        return new StopGradient(sd, x).outputVariable();
    }

    /** Propagates the static shape of {@code from} (if known) to an element-wise result {@code to}; returns {@code to}. */
    public static SDVariable sameShape(SDVariable from, SDVariable to) {
        long[] s = shapeOf(from);
        if (s != null) {
            SHAPES.computeIfAbsent(to.getSameDiff(), java.util.concurrent.ConcurrentHashMap::new).put(to.name(), s.clone());
        }
        return to;
    }

    private static final org.edgenn.train.loop.PerGraph<SameDiff, java.util.Map<String, long[]>> SHAPES =
            new org.edgenn.train.loop.PerGraph<>();

    /** Static shape of a variable: SameDiff's own if known, else one recorded by {@link #sameShape}; null if unknown. */
    public static long[] shapeOf(SDVariable v) {
        long[] s = null;
        try { s = v.getShape(); } catch (RuntimeException ignored) { }
        if (s != null) return s;
        java.util.Map<String, long[]> m = SHAPES.get(v.getSameDiff());
        return m == null ? null : m.get(v.name());
    }

    /**
     * Straight-through estimator: forward value {@code q}, gradient of {@code x}. Built as
     * {@code x + stopGradient(q - x)} which SameDiff differentiates correctly (measured; the built-in
     * FakeQuant op has a zero gradient and is not used).
     */
    public static SDVariable straightThrough(SameDiff sd, SDVariable x, SDVariable q) {
        return x.add(stopGradient(sd, q.sub(x)));
    }
}
