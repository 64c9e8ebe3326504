package org.edgenn.runtime.cost;

/**
 * What a layer computes. Every kind is costed as a loop nest over {@link org.edgenn.ir.accel.LoopDim};
 * the kinds without weights (pooling, element-wise) simply have no {@code W} operand.
 */
public enum LayerKind {
    /** Standard (possibly grouped) convolution. */
    CONV,
    /** Fully connected layer: N x K x C, all spatial bounds 1. */
    DENSE,
    /**
     * Depthwise convolution (the IR's {@code Conv2d.isDepthwise()}: one group per input channel): channels on G,
     * C = 1, K = the channel multiplier (1 for the plain depthwise).
     */
    DEPTHWISE,
    /** Max or average pooling: a depthwise window without weights; one compare/add per window element. */
    POOL,
    /** Element-wise op of two equally shaped tensors (residual add): one op per output, two inputs per op. */
    ELEMENTWISE;

    /** True when the layer reads a weight operand. */
    public boolean hasWeights() {
        return this == CONV || this == DENSE || this == DEPTHWISE;
    }
}
