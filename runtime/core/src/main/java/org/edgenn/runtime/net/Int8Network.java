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

    /** int8 elements of one input sample (NHWC for images). */
    int inputSize();

    /** int8 elements of one output sample. */
    int outputSize();

    QuantParams inputQuant();

    QuantParams outputQuant();

    /** Runs {@link #batch()} samples: {@code in} holds {@code batch·inputSize} int8 values, {@code out} receives {@code batch·outputSize}. */
    void run(byte[] in, byte[] out);

    /** The layers in execution order; their buffers hold the values of the last {@link #run}. */
    List<Int8Layer> layers();
}
