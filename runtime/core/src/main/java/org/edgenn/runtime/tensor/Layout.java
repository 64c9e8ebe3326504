package org.edgenn.runtime.tensor;

/** Memory order of a 4-d activation tensor. The kernels compute in {@link #NHWC}; NCHW is converted at the edges. */
public enum Layout {
    /** batch, height, width, channel: channels innermost (the kernels' layout). */
    NHWC,
    /** batch, channel, height, width (ONNX / PyTorch order). */
    NCHW
}
