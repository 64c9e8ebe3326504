package org.edgenn.runtime.kernels;

/**
 * Service interface of one kernel family (scalar reference or Vector API). Ops are called
 * through their prepared objects ({@link Conv2d}, {@link Add}, ...), never through this
 * interface directly. Implementations must be bit-exact to {@link ScalarKernels}.
 */
public interface KernelFactory {
    Backend backend();

    /** The compute object of a prepared convolution; may own scratch buffers (one per prepared layer). */
    Conv2dImpl conv2d(Conv2d layer);

    /** int8 operands and output; offsets and n in values. */
    void add(Add op, byte[] a, int aOff, byte[] b, int bOff, byte[] out, int outOff, int n);

    /** {@code n} values of an add with a 16-bit operand or output ({@link Add#wide()}), whole buffers. */
    void addWide(Add op, byte[] a, byte[] b, byte[] out, int n);

    void clamp(byte[] in, int inOff, byte[] out, int outOff, int n, int lo, int hi);

    /** The compute object of a prepared soft threshold; may own per-lane constants (one per prepared op). */
    SoftThresholdImpl softThreshold(SoftThreshold op);

    /**
     * The output stage of a prepared convolution as a bulk operation over int32 accumulators (used by families that
     * obtain the accumulators elsewhere, e.g. from a native library): the family's fastest exact requantization.
     */
    OutputStage outputStage(Conv2d layer);

    void maxPool(Pool2d op, byte[] in, byte[] out);

    void avgPool(Pool2d op, byte[] in, byte[] out);

    /** Compute part of a soft threshold over {@code pixels · channels} NHWC values. */
    interface SoftThresholdImpl {
        void run(byte[] in, int inOff, byte[] out, int outOff, int pixels);
    }

    /** Requantization of accumulators to int8; may own scratch (one per prepared layer). */
    interface OutputStage {
        /**
         * {@code out[o + p·K + k] = requant(acc[a + p·K + k] + offset[k], k)} for {@code pixels} pixels of K =
         * {@code layer.spec().k()} channels, the sum wrapping in 32 bits. {@code acc} must be readable
         * {@link #PAD} ints past the last pixel and {@code offset} {@link #PAD} ints past K (vector loads are not
         * masked); only {@code out[o, o + pixels·K)} is written.
         */
        void run(int[] acc, int a, int[] offset, byte[] out, int o, int pixels);

        /** Readable slack required after {@code acc} and {@code offset} (a multiple of every family's vector length). */
        int PAD = 64;
    }

    /** Compute part of a convolution. */
    interface Conv2dImpl {
        /** int32 accumulators {@code bias[k] + Σ (x − zx)·w}, NHWC [N][OH][OW][K], wrapping in 32 bits. */
        void accumulate(byte[] in, int[] acc);

        /** Output at the layer's output width, NHWC [N][OH][OW][K]. */
        void run(byte[] in, byte[] out);

        /** Exact 64-bit accumulators (layers with 16-bit activations, {@link Conv2d#accumulateLong}). */
        default void accumulateLong(byte[] in, long[] acc) {
            throw new UnsupportedOperationException("64-bit accumulators are computed for layers with 16-bit activations only");
        }
    }
}
