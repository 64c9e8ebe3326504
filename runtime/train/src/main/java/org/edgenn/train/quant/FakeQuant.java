package org.edgenn.train.quant;

import org.edgenn.runtime.quant.QuantParams;
import org.edgenn.runtime.quant.Quantization;

import org.edgenn.train.sd.Ops;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import org.edgenn.train.loop.PerGraph;

/**
 * Fake quantization with a straight-through estimator (STE) for quantization-aware training.
 *
 * <p>Every node computes {@code x + enabled · stopGradient(q(x) - x)}: the forward value is the
 * quantize-dequantize {@code q(x)} and the gradient is exactly the identity (the quantizers below never clip
 * weights, whose scale comes from their own max; activations outside the observed range are clipped in the
 * forward pass but still pass the gradient, the "STE without clipping mask" variant). The scalar
 * {@code enabled} switch ({@link #setEnabled}) lets one graph train in float first and then switch QAT on.
 * Rounding is half away from zero, as in {@link org.edgenn.runtime.quant.Quantization}.
 */
public final class FakeQuant {
    private FakeQuant() {}

    private static final PerGraph<SameDiff, INDArray> SWITCH = new PerGraph<>();
    private static final String SWITCH_NAME = "edgenn_qat_enabled";

    /** The graph's QAT on/off scalar (1 = on, the default once any fake-quant node exists). */
    private static synchronized SDVariable enabledVar(SameDiff sd) {
        if (sd.hasVariable(SWITCH_NAME)) return sd.getVariable(SWITCH_NAME);
        INDArray arr = SWITCH.computeIfAbsent(sd, () -> Nd4j.scalar(DataType.FLOAT, 1f));
        return sd.constant(SWITCH_NAME, arr);
    }

    /** Turns all fake-quant nodes of the graph on (QAT) or off (float training / calibration). */
    public static synchronized void setEnabled(SameDiff sd, boolean on) {
        enabledVar(sd);
        SWITCH.get(sd).assign(on ? 1f : 0f);
    }

    public static synchronized boolean isEnabled(SameDiff sd) {
        INDArray a = SWITCH.get(sd);
        return a == null || a.getDouble(0) != 0;
    }

    /**
     * Symmetric per-output-channel fake quantization of a weight tensor whose output channel is the LAST axis
     * (dense {@code [in, out]}, conv {@code [kH, kW, inC, outC]}): {@code s[k] = max|w[..,k]| / (2^(bits-1) - 1)}.
     */
    public static SDVariable weightsPerChannel(SameDiff sd, SDVariable w, int bits) {
        int rank = rankOf(w);
        int[] reduce = new int[rank - 1];
        for (int i = 0; i < rank - 1; i++) reduce[i] = i;
        return symmetric(sd, w, bits, reduce);
    }

    /** Symmetric per-tensor fake quantization. */
    public static SDVariable weightsPerTensor(SameDiff sd, SDVariable w, int bits) {
        int rank = rankOf(w);
        int[] reduce = new int[rank];
        for (int i = 0; i < rank; i++) reduce[i] = i;
        return symmetric(sd, w, bits, reduce);
    }

    private static SDVariable symmetric(SameDiff sd, SDVariable w, int bits, int[] reduceDims) {
        double qmax = (1 << (bits - 1)) - 1;
        SDVariable sw = Ops.stopGradient(sd, w);
        SDVariable maxAbs = sd.math.abs(sw).max(true, reduceDims);
        // all-zero channel: scale 1/qmax (Quantization.weightScale); q is 0 either way
        SDVariable isZero = maxAbs.eq(0.0).castTo(DataType.FLOAT);
        SDVariable scale = maxAbs.add(isZero).div(qmax);
        SDVariable q = sd.math.clipByValue(sd.math.round(sw.div(scale)), -qmax, qmax).mul(scale);
        return ste(sd, w, q);
    }

    /**
     * Asymmetric fake quantization of an activation with the range tracked by {@code observer}
     * ({@code s = (hi - lo)/255}, integer zero point). Until the observer has seen data the node is the identity.
     */
    public static SDVariable activations(SameDiff sd, SDVariable x, ActivationObserver observer) {
        int qmin = -(1 << (observer.bits() - 1));
        int qmax = (1 << (observer.bits() - 1)) - 1;
        String base = observer.name().replaceAll("[^A-Za-z0-9_]", "_");
        INDArray sArr = Nd4j.scalar(DataType.FLOAT, 1f);
        INDArray zArr = Nd4j.scalar(DataType.FLOAT, 0f);
        INDArray rArr = Nd4j.scalar(DataType.FLOAT, 0f);
        SDVariable s = sd.constant(base + "_aq_scale", sArr);
        SDVariable zp = sd.constant(base + "_aq_zp", zArr);
        SDVariable ready = sd.constant(base + "_aq_ready", rArr);
        observer.bind(sd, x, sArr, zArr, rArr);
        SDVariable sx = Ops.stopGradient(sd, x);
        SDVariable qi = sd.math.clipByValue(sd.math.round(sx.div(s)).add(zp), qmin, qmax);
        SDVariable q = qi.sub(zp).mul(s);
        SDVariable delta = Ops.stopGradient(sd, q.sub(sx)).mul(enabledVar(sd)).mul(ready);
        return Ops.sameShape(x, x.add(delta));
    }

    /** Convenience: a new EMA observer (momentum 0.9) named after the activation, plus its fake-quant node. */
    public static SDVariable activations(SameDiff sd, SDVariable x, String observerName) {
        return activations(sd, x, ActivationObserver.ema(observerName, 0.9));
    }

    private static SDVariable ste(SameDiff sd, SDVariable x, SDVariable q) {
        SDVariable delta = Ops.stopGradient(sd, q.sub(Ops.stopGradient(sd, x))).mul(enabledVar(sd));
        return Ops.sameShape(x, x.add(delta));
    }

    private static int rankOf(SDVariable w) {
        long[] s = Ops.shapeOf(w);
        if (s == null) throw new IllegalArgumentException("shape of '" + w.name() + "' is unknown; create it with Params/Layers of this library or call setShape");
        return s.length;
    }
}
