package org.edgenn.runtime.bench;

import org.edgenn.runtime.kernels.Conv2dSpec;

/** The benchmark shapes of the runtime-core issue. Dense/GEMM are 1×1 convolutions over a 1×batch image. */
public enum Shape {
    GEMM_256(Conv2dSpec.of(1, 1, 256, 256, 256, 1, 1), true, "256x256x256 GEMM"),
    CONV_1X1_64_56(Conv2dSpec.of(1, 56, 56, 64, 64, 1, 1), false, "1x1 conv 64->64 at 56x56"),
    CONV_3X3_64_56(Conv2dSpec.of(1, 56, 56, 64, 64, 3, 3).withPadding(1), false, "3x3 conv 64->64 at 56x56 (pad 1)"),
    DW_3X3_112_32(Conv2dSpec.of(1, 112, 112, 32, 32, 3, 3).withPadding(1).withGroups(32), false, "depthwise 3x3 at 112x112x32 (pad 1)"),
    DENSE_250_500(Conv2dSpec.of(1, 1, 1, 250, 500, 1, 1), true, "dense 250->500, batch 1");

    public final Conv2dSpec spec;
    /** Run in ONNX as QLinearMatMul (else QLinearConv). */
    public final boolean matmul;
    public final String label;

    Shape(Conv2dSpec spec, boolean matmul, String label) {
        this.spec = spec;
        this.matmul = matmul;
        this.label = label;
    }
}
