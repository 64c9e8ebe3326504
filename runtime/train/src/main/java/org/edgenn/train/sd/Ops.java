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

    /**
     * Straight-through estimator: forward value {@code q}, gradient of {@code x}. Built as
     * {@code x + stopGradient(q - x)} which SameDiff differentiates correctly (measured; the built-in
     * FakeQuant op has a zero gradient and is not used).
     */
    public static SDVariable straightThrough(SameDiff sd, SDVariable x, SDVariable q) {
        return x.add(stopGradient(sd, q.sub(x)));
    }
}
