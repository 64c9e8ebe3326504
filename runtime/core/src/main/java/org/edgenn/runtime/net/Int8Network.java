package org.edgenn.runtime.net;

import org.edgenn.runtime.quant.QuantParams;

import java.util.List;

/**
 * A compiled int8 network: what every class emitted by EdgeNN's inference generator implements.
 * Shapes are static and every buffer is allocated once, when the network is loaded, for
 * {@link #batch()} samples; {@link #run(byte[], byte[])} allocates nothing.
 *
 * <p>The layers are exposed so that a verifier can check each one against the accelerator's
 * hardware model: after a run, every layer's buffers hold the values that run computed (buffers
 * are never shared between layers).
 */
public interface Int8Network {
    /** Network name in the {@code .edgenn} source. */
    String name();

    /** Samples per {@link #run} call (fixed when the network was loaded). */
    int batch();

    /** Values of one input sample (NHWC for images). */
    int inputSize();

    /** Values of one output sample. */
    int outputSize();

    QuantParams inputQuant();

    QuantParams outputQuant();

    /** Bytes of one input sample: int16 inputs take two bytes per value ({@code ActivationBytes}). */
    default int inputBytes() {
        return inputSize() * (inputQuant().bits() > 8 ? 2 : 1);
    }

    /** Bytes of one output sample. */
    default int outputBytes() {
        return outputSize() * (outputQuant().bits() > 8 ? 2 : 1);
    }

    /** Runs {@link #batch()} samples: {@code in} holds {@code batch·inputBytes()} bytes, {@code out} receives {@code batch·outputBytes()}. */
    void run(byte[] in, byte[] out);

    /** The layers in execution order; their buffers hold the values of the last {@link #run}. */
    List<Int8Layer> layers();
}
