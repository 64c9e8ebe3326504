package org.edgenn.runtime.artifact;

/**
 * The one place where weight tensors change layout between training and inference.
 *
 * <ul>
 *   <li>Training (the generated trainers, ND4J): dense {@code [in, out]}, convolution
 *       {@code [kH, kW, in/groups, out]}; the output channel is the last axis.</li>
 *   <li>Inference (runtime-core's kernels): dense {@code [out][in]}, convolution
 *       {@code [K][FY][FX][C/groups]} (OHWI); the output channel is the first axis.</li>
 * </ul>
 * A dense layer is the 1×1 convolution with {@code kH = kW = 1}, so one pair of loops serves both.
 */
public final class WeightLayout {
    private WeightLayout() {}

    /** {@code [kH, kW, cg, k]} (training) to {@code [k][kH][kW][cg]} (inference). */
    public static byte[] convToRuntime(byte[] training, int kh, int kw, int cg, int k) {
        check(training, kh, kw, cg, k);
        byte[] r = new byte[training.length];
        for (int y = 0; y < kh; y++)
            for (int x = 0; x < kw; x++)
                for (int c = 0; c < cg; c++)
                    for (int o = 0; o < k; o++) r[((o * kh + y) * kw + x) * cg + c] = training[((y * kw + x) * cg + c) * k + o];
        return r;
    }

    /** {@code [k][kH][kW][cg]} (inference) to {@code [kH, kW, cg, k]} (training). */
    public static byte[] convToTraining(byte[] runtime, int kh, int kw, int cg, int k) {
        check(runtime, kh, kw, cg, k);
        byte[] t = new byte[runtime.length];
        for (int y = 0; y < kh; y++)
            for (int x = 0; x < kw; x++)
                for (int c = 0; c < cg; c++)
                    for (int o = 0; o < k; o++) t[((y * kw + x) * cg + c) * k + o] = runtime[((o * kh + y) * kw + x) * cg + c];
        return t;
    }

    /** Dense {@code [in, out]} (training) to {@code [out][in]} (inference). */
    public static byte[] denseToRuntime(byte[] training, int in, int out) {
        return convToRuntime(training, 1, 1, in, out);
    }

    /** Dense {@code [out][in]} (inference) to {@code [in, out]} (training). */
    public static byte[] denseToTraining(byte[] runtime, int in, int out) {
        return convToTraining(runtime, 1, 1, in, out);
    }

    private static void check(byte[] w, int kh, int kw, int cg, int k) {
        long n = (long) kh * kw * cg * k;
        if (w.length != n) throw new IllegalArgumentException("weights of " + w.length + " elements, layout needs " + n);
    }
}
