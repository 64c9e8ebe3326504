package org.edgenn.train.quant;

import org.edgenn.runtime.quant.QuantParams;
import org.edgenn.runtime.quant.Quantization;

import org.edgenn.train.loop.CheckpointState;
import org.edgenn.train.loop.Checkpointed;
import org.edgenn.train.loop.GraphHooks;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;


/**
 * Activation range observer for one activation tensor. Two modes:
 * <ul>
 *   <li>{@link #minMax(String)}: running global min / max of everything seen (PTQ calibration default);</li>
 *   <li>{@link #ema(String, double)}: exponential moving average of per-batch min / max (QAT default,
 *       robust to early-training outliers): {@code lo <- m lo + (1 - m) batchMin}.</li>
 * </ul>
 * The observer is the quantizer of the fake-quant node built by {@link FakeQuant#activations}: the
 * {@link org.edgenn.train.loop.Trainer} arms it before every optimizer step, and the node's forward pass of that
 * step feeds it the pre-quantization activation once (evaluation passes do not). {@link #freeze()} stops updates
 * (e.g. after calibration or for the last QAT epochs).
 */
public final class ActivationObserver implements GraphHooks.Hook, FakeQuantListener.Quantizer, Checkpointed {
    private final String name;
    private final double momentum; // < 0: min/max mode
    private final int bits;
    private double lo = Double.NaN, hi = Double.NaN;
    private long count;
    private boolean frozen;
    // graph side
    private String observed;
    private volatile boolean armed;

    private ActivationObserver(String name, double momentum, int bits) {
        this.name = name;
        this.momentum = momentum;
        this.bits = bits;
    }

    public static ActivationObserver minMax(String name) {
        return new ActivationObserver(name, -1, 8);
    }

    public static ActivationObserver ema(String name, double momentum) {
        return ema(name, momentum, 8);
    }

    /** An EMA observer quantizing to {@code bits} (2 to 16) bits: {@code s = (hi - lo) / (2^bits - 1)}. */
    public static ActivationObserver ema(String name, double momentum, int bits) {
        if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("momentum must be in [0,1)");
        if (bits < 2 || bits > 16) throw new IllegalArgumentException("activations are 2 to 16 bits, got " + bits);
        return new ActivationObserver(name, momentum, bits);
    }

    public String name() { return name; }
    public int bits() { return bits; }
    public boolean isReady() { return count > 0; }
    public long observations() { return count; }
    public double min() { return lo; }
    public double max() { return hi; }
    public void freeze() { frozen = true; }
    public void unfreeze() { frozen = false; }
    public boolean isFrozen() { return frozen; }

    /** Quantization parameters for the current range at the observer's width (asymmetric, widened to include 0). */
    public QuantParams params() {
        if (!isReady()) throw new IllegalStateException("observer " + name + " has seen no data; run calibration or training first");
        return Quantization.activationParams(lo, hi, bits);
    }

    /** Feed one tensor of observed values. */
    public synchronized void update(INDArray values) {
        if (frozen) return;
        double bMin = values.minNumber().doubleValue();
        double bMax = values.maxNumber().doubleValue();
        update(bMin, bMax);
    }

    public synchronized void update(double bMin, double bMax) {
        if (frozen) return;
        if (count == 0) {
            lo = bMin;
            hi = bMax;
        } else if (momentum < 0) {
            lo = Math.min(lo, bMin);
            hi = Math.max(hi, bMax);
        } else {
            lo = momentum * lo + (1 - momentum) * bMin;
            hi = momentum * hi + (1 - momentum) * bMax;
        }
        count++;
    }

    /** Set the range directly (e.g. from a known data range such as [0, 1] pixels). */
    public synchronized void setRange(double lo, double hi) {
        this.lo = lo;
        this.hi = hi;
        count = Math.max(count, 1);
    }

    // ---- graph wiring (used by FakeQuant) ----
    void bind(SameDiff sd, SDVariable x) {
        if (observed != null) throw new IllegalStateException("observer " + name + " is already bound to " + observed);
        this.observed = x.name();
        GraphHooks.register(sd, this);
    }

    /** The fake-quant node's output (a copy of the observed activation): observe it if armed, then quantize it in place. */
    @Override public void apply(INDArray values, boolean quantize) {
        if (armed) {
            armed = false;
            update(values);
        }
        if (!quantize || !isReady()) return;
        QuantParams p = params();
        float[] v = values.castTo(DataType.FLOAT).dup('c').data().asFloat();
        for (int i = 0; i < v.length; i++) v[i] = p.dequantize(p.quantize(v[i]));
        values.assign(Nd4j.create(v, values.shape(), 'c'));
    }

    /** One observation per optimizer step: the step's forward pass. */
    @Override public void beforeStep(SameDiff sd, long step) { armed = true; }

    @Override public void afterStep(SameDiff sd, long step) { armed = false; }

    @Override public String checkpointKey() { return "observer:" + name; }

    @Override public synchronized void saveState(CheckpointState st) {
        st.put("lo", lo).put("hi", hi).put("count", count).put("frozen", frozen);
    }

    @Override public synchronized void restoreState(CheckpointState st) {
        lo = st.getDouble("lo");
        hi = st.getDouble("hi");
        count = st.getLong("count");
        frozen = st.getBoolean("frozen");
    }

    /** Name of the graph variable observed (the input of the fake-quant node). */
    public String observedVariable() { return observed; }

    @Override public String toString() {
        return "ActivationObserver[" + name + " lo=" + lo + " hi=" + hi + " n=" + count + (frozen ? " frozen" : "") + "]";
    }
}
