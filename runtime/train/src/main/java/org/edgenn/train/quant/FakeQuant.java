package org.edgenn.train.quant;

import org.edgenn.train.loop.CheckpointState;
import org.edgenn.train.loop.Checkpointed;
import org.edgenn.train.loop.GraphHooks;

import org.edgenn.train.loop.PerGraph;
import org.edgenn.train.sd.Ops;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Fake quantization with a straight-through estimator (STE) for quantization-aware training.
 *
 * <p>Every fake-quant node is ONE graph op, {@code x · 1}, whose output array {@link FakeQuantListener} overwrites
 * in place with the quantize-dequantize {@code q(x)} right after the op ran (when QAT is on). The forward value is
 * therefore {@code q(x)} and the gradient is exactly the identity (the derivative of {@code x · 1}); activations outside
 * the observed range are clipped in the forward pass but still pass the gradient ("STE without clipping mask").
 *
 * <p>Why not build {@code q(x)} from graph ops, as in {@code x + stopGradient(q(x) - x)}: SameDiff back-propagates
 * (zeros) through every op behind a stop-gradient, so each node cost ~30 ops per step; on 16-step LISTA the
 * fake-quant nodes made 1 800 of the 2 200 ops of a training step and most of its time even with QAT off. The
 * built-in FakeQuant op has a zero gradient and its own rounding, so it is not used either.
 *
 * <p>The numbers are those of the export: weights via {@link WeightQuantizer} (the code {@code Int8Export} uses),
 * activations via {@link org.edgenn.runtime.quant.QuantParams} of the observer. {@link #setEnabled} lets one graph
 * train in float first and then switch QAT on.
 */
public final class FakeQuant {
    private FakeQuant() {}

    private static final PerGraph<SameDiff, FakeQuantListener> LISTENERS = new PerGraph<>();

    /** The graph's fake-quant listener, created and registered with the graph on first use. */
    static FakeQuantListener listener(SameDiff sd) {
        return LISTENERS.computeIfAbsent(sd, () -> {
            FakeQuantListener l = new FakeQuantListener();
            sd.addListeners(l);
            GraphHooks.register(sd, new EnabledState(l));   // a checkpoint carries whether QAT has started
            return l;
        });
    }

    /** Turns all fake-quant nodes of the graph on (QAT, the default) or off (float training / calibration). */
    public static void setEnabled(SameDiff sd, boolean on) {
        listener(sd).setEnabled(on);
    }

    public static boolean isEnabled(SameDiff sd) {
        FakeQuantListener l = LISTENERS.get(sd);
        return l == null || l.isEnabled();
    }

    /**
     * Symmetric per-output-channel fake quantization of a weight tensor whose output channel is the LAST axis
     * (dense {@code [in, out]}, conv {@code [kH, kW, inC, outC]}): {@code s[k] = max|w[..,k]| / (2^(bits-1) - 1)}.
     */
    public static SDVariable weightsPerChannel(SameDiff sd, SDVariable w, int bits) {
        requireShape(w);
        return node(sd, w, WeightQuantizer.perChannel(bits));
    }

    /** Symmetric per-tensor fake quantization. */
    public static SDVariable weightsPerTensor(SameDiff sd, SDVariable w, int bits) {
        requireShape(w);
        return node(sd, w, WeightQuantizer.perTensor(bits));
    }

    /**
     * Asymmetric fake quantization of an activation with the range tracked by {@code observer}
     * ({@code s = (hi - lo)/255}, integer zero point). Until the observer has seen data the node is the identity.
     * The observer watches the node's input; the trainer arms it once per optimizer step.
     */
    public static SDVariable activations(SameDiff sd, SDVariable x, ActivationObserver observer) {
        observer.bind(sd, x);
        return node(sd, x, observer);
    }

    /** Convenience: a new EMA observer (momentum 0.9) named after the activation, plus its fake-quant node. */
    public static SDVariable activations(SameDiff sd, SDVariable x, String observerName) {
        return activations(sd, x, ActivationObserver.ema(observerName, 0.9));
    }

    private static SDVariable node(SameDiff sd, SDVariable x, FakeQuantListener.Quantizer q) {
        SDVariable out = x.mul(1.0);
        listener(sd).register(out.name(), q);
        return Ops.sameShape(x, out);
    }

    private static void requireShape(SDVariable w) {
        if (Ops.shapeOf(w) == null)
            throw new IllegalArgumentException("shape of '" + w.name() + "' is unknown; create it with Params/Layers of this library or call setShape");
    }

    /** Whether the graph's fake quantization is on, as training state a checkpoint carries (QAT may start mid-run). */
    private record EnabledState(FakeQuantListener listener) implements GraphHooks.Hook, Checkpointed {
        @Override public String checkpointKey() { return "fake-quant"; }

        @Override public void saveState(CheckpointState st) { st.put("enabled", listener.isEnabled()); }

        @Override public void restoreState(CheckpointState st) { listener.setEnabled(st.getBoolean("enabled")); }
    }
}
