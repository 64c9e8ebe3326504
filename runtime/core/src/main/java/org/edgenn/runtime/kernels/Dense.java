package org.edgenn.runtime.kernels;

/**
 * A prepared fully connected layer {@code y[b][o] = requant(bias[o] + Σ_i (x[b][i] − zx)·W[o][i])}:
 * input [batch][in] int8, weights [out][in] int8 (symmetric per output row), output [batch][out].
 * Internally a 1×1 convolution over a 1×batch image, so it shares the conv kernels.
 * A GEMM {@code C[M][N] = A[M][K]·B[N][K]ᵀ} is a Dense with batch M.
 */
public final class Dense {
    private final Conv2d conv;

    private Dense(Conv2d conv) {
        this.conv = conv;
    }

    public static Dense prepare(int batch, int inFeatures, int outFeatures, byte[] weights, int[] bias, LayerQuant quant) {
        return prepare(batch, inFeatures, outFeatures, weights, bias, quant, KernelBackend.defaultBackend());
    }

    public static Dense prepare(int batch, int inFeatures, int outFeatures, byte[] weights, int[] bias, LayerQuant quant, Backend backend) {
        return new Dense(Conv2d.prepare(Conv2dSpec.of(1, 1, batch, inFeatures, outFeatures, 1, 1), weights, bias, quant, backend));
    }

    public void run(byte[] in, byte[] out) {
        conv.run(in, out);
    }

    public void accumulate(byte[] in, int[] acc) {
        conv.accumulate(in, acc);
    }

    /** The equivalent convolution (for the hardware model and the mappers). */
    public Conv2d asConv2d() {
        return conv;
    }

    public long macs() {
        return conv.spec().macs();
    }
}
