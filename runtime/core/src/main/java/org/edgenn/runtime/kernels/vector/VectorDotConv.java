package org.edgenn.runtime.kernels.vector;

import static org.edgenn.runtime.kernels.vector.VecQuant.FS;
import static org.edgenn.runtime.kernels.vector.VecQuant.IS;
import static org.edgenn.runtime.kernels.vector.VecQuant.L;

import java.util.Arrays;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.edgenn.runtime.kernels.Conv2d;
import org.edgenn.runtime.kernels.Conv2dSpec;
import org.edgenn.runtime.kernels.KernelFactory;
import org.edgenn.runtime.quant.RequantMode;

/**
 * Vector API convolution vectorized over the reduction (dot products), for the shapes where
 * {@link VectorConv2d}'s blocks of 4·L output channels waste work or memory traffic: few output
 * channels (a 64 → 1 synthesis conv would fill 1 of 64 lanes) and few pixels (a dense layer at
 * batch 1 is a GEMV: each weight is used once, so its bytes, not the FMAs, bound the time).
 * {@link #suits} chooses at prepare time. One group, no x-dilation only: then a filter row of
 * FX taps × C channels is one contiguous run of the padded image, read in place (no im2col).
 *
 * <h2>Layout and exactness</h2>
 * Weights are rows {@code [K'][FY][R']} with R = FX·C padded with zeros to R' (a multiple of L)
 * and K padded with zero rows to K' (a multiple of 4). For few pixels they stay int8, one byte
 * per MAC of weight traffic, widened to float in registers (B2F); with 4 pixels or more each
 * row is reused by every pixel block and small, so it is kept as floats (no conversions). A lane's float accumulator sums at most
 * {@link VectorConv2d#CHUNK} products of magnitude ≤ 2^14 per segment, so it is an exact
 * integer ≤ 2^22 (see {@link VectorConv2d}); each segment's lanes are then converted to int32
 * (magic-number trick) and added, and the lanes reduced, in wrapping int arithmetic, which is
 * associative: the result equals the reference sum. Reads past a row's R values hit image data
 * or the image's slack, always multiplied by zero weights. The zero point is folded into the bias
 * (bias − zx·Σw) and padding holds zx, as in {@link VectorConv2d}.
 *
 * <h2>Blocking</h2>
 * With 4 or more output pixels, the micro-kernel takes 4 pixels × 1 weight row (the row is
 * loaded once for 4 FMAs); with fewer, 1 pixel × 4 weight rows (the input is loaded once for 4
 * rows). Either way 4 independent accumulator chains hide the FMA latency.
 *
 * <h2>Warm-up</h2>
 * Every Vector API operation sits in a small leaf method called many times per run (the
 * micro-kernels, {@link #laneSum}, {@link VecQuant}'s requantization), never in the loops that
 * call them: C2 compiles such leaves after a few runs, while vector operations in a long-running
 * outer loop stay in C1 code (where each operation allocates) until an on-stack replacement
 * compiles the whole loop nest, which under load took the JIT many seconds.
 */
final class VectorDotConv implements KernelFactory.Conv2dImpl {
    private static final int CHUNK = VectorConv2d.CHUNK;
    /** 1.5·2^23: for an integer |v| ≤ 2^22, the float bits of v + MAGIC are MAGIC_BITS + v. */
    private static final float MAGIC = 12582912f;
    private static final int MAGIC_BITS = Float.floatToRawIntBits(MAGIC);
    private static final VectorSpecies<Byte> BS = VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 8));

    private final Conv2dSpec s;
    private final int k, rowLen, rowStride; // R' and FY·R' (one output channel's weights)
    private final int[] rowX;               // offset of filter row fy relative to a pixel's base
    private final boolean pixelBlocks;      // 4 pixels × 1 row, else 1 pixel × 4 rows
    private final byte[] wrows;             // int8 rows (1 pixel × 4 rows), else null
    private final float[] frows;            // float rows (4 pixels × 1 row), else null
    private final int[] biasAdj;            // bias − zx·Σw, padded to a multiple of L
    private final VecQuant.Params rq;
    private final PaddedImage img;
    private final int[] dacc;               // scratch: one image's accumulators [pixel][k], plus L of slack
    private final int[] iacc = new int[4 * L];

    /**
     * True when this kernel does less work than {@link VectorConv2d}'s: few pixels (a GEMV, where
     * int8 weights quarter the memory traffic), or at most half the vector FMAs.
     */
    static boolean suits(Conv2dSpec s) {
        if (s.groups() != 1 || s.dilationX() != 1) return false;
        long pixels = (long) s.n() * s.outH() * s.outW();
        if (pixels < 4) return true;
        long dot = (long) s.k() * s.fy() * paddedRow(s) / L;
        long blocked = (long) VectorConv2d.roundUp(s.k(), VectorConv2d.blockWidth(s.k())) / L * s.fy() * s.fx() * s.c();
        return 2 * dot <= blocked;
    }

    private static int paddedRow(Conv2dSpec s) {
        return VectorConv2d.roundUp(s.fx() * s.c(), L);
    }

    VectorDotConv(Conv2d layer) {
        s = layer.spec();
        k = s.k();
        int zx = layer.inputZeroPoint();
        int r = s.fx() * s.c();
        rowLen = paddedRow(s);
        rowStride = s.fy() * rowLen;
        pixelBlocks = (long) s.n() * s.outH() * s.outW() >= 4;
        int kp = VectorConv2d.roundUp(k, 4);
        byte[] rows = new byte[Math.multiplyExact(kp, rowStride)];
        int kl = VectorConv2d.roundUp(k, L);
        biasAdj = new int[kl];
        int[] map = new int[kl];
        Arrays.fill(map, -1);
        byte[] w = layer.weights();
        for (int o = 0; o < k; o++) {
            int sum = 0;
            for (int fy = 0; fy < s.fy(); fy++)
                for (int i = 0; i < r; i++) {
                    byte v = w[(o * s.fy() + fy) * r + i]; // OHWI: a filter row of FX·C is contiguous too
                    rows[o * rowStride + fy * rowLen + i] = v;
                    sum += v;
                }
            biasAdj[o] = layer.bias()[o] - zx * sum;
            map[o] = o;
        }
        rq = VecQuant.Params.of(layer.requantizer(), k, map);
        wrows = pixelBlocks ? null : rows;
        frows = pixelBlocks ? new float[rows.length] : null;
        if (pixelBlocks) for (int i = 0; i < rows.length; i++) frows[i] = rows[i];
        img = new PaddedImage(s, zx, s.c(), rowLen);
        rowX = new int[s.fy()];
        for (int fy = 0; fy < s.fy(); fy++) rowX[fy] = img.tap(fy, 0);
        dacc = new int[Math.addExact(Math.multiplyExact(s.outH() * s.outW(), k), L)];
    }

    @Override
    public void accumulate(byte[] in, int[] acc) {
        compute(in, null, acc);
    }

    @Override
    public void run(byte[] in, byte[] out) {
        compute(in, out, null);
    }

    private void compute(byte[] in, byte[] out, int[] acc) {
        int pixels = s.outH() * s.outW();
        for (int b = 0; b < s.n(); b++) {
            img.load(in, b);
            if (pixelBlocks) pixelBlocks(pixels);
            else channelBlocks(pixels);
            for (int p = 0; p < pixels; p++) {
                int o = (b * pixels + p) * k;
                if (acc != null) {
                    for (int j = 0; j < k; j++) acc[o + j] = dacc[p * k + j] + biasAdj[j];
                } else if (rq.mode == RequantMode.FLOAT_SCALE) {
                    VecQuant.requantizeFloat(dacc, p * k, biasAdj, rq, 0, out, o, k);
                } else {
                    VecQuant.requantizeLong(dacc, p * k, biasAdj, rq, 0, out, o, k);
                }
            }
        }
    }

    /** dacc[p][j] for 4 pixels at a time (the last block repeats its last pixel) and one output channel j at a time. */
    private void pixelBlocks(int pixels) {
        int ow = s.outW();
        float[] x = img.xf;
        for (int p = 0; p < pixels; p += 4) {
            int b0 = img.base(p, ow);
            int b1 = img.base(Math.min(p + 1, pixels - 1), ow);
            int b2 = img.base(Math.min(p + 2, pixels - 1), ow);
            int b3 = img.base(Math.min(p + 3, pixels - 1), ow);
            for (int j = 0; j < k; j++) {
                Arrays.fill(iacc, 0);
                for (int fy = 0; fy < rowX.length; fy++) {
                    int xr = rowX[fy], wo = j * rowStride + fy * rowLen;
                    for (int i = 0; i < rowLen; i += CHUNK * L) {
                        dot4Pixels(x, b0 + xr + i, b1 + xr + i, b2 + xr + i, b3 + xr + i, frows, wo + i, Math.min(CHUNK * L, rowLen - i), iacc);
                    }
                }
                for (int q = 0; q < 4 && p + q < pixels; q++) dacc[(p + q) * k + j] = laneSum(iacc, q);
            }
        }
    }

    /** dacc[p][j] for one pixel at a time and 4 output channels at a time (padded channels are computed, never read). */
    private void channelBlocks(int pixels) {
        int ow = s.outW();
        float[] x = img.xf;
        for (int p = 0; p < pixels; p++) {
            int b0 = img.base(p, ow);
            for (int j = 0; j < k; j += 4) {
                Arrays.fill(iacc, 0);
                for (int fy = 0; fy < rowX.length; fy++) {
                    int xo = b0 + rowX[fy], wo = j * rowStride + fy * rowLen;
                    for (int i = 0; i < rowLen; i += CHUNK * L) {
                        dot4Rows(x, xo + i, wrows, wo + i, rowStride, Math.min(CHUNK * L, rowLen - i), iacc);
                    }
                }
                for (int q = 0; q < 4 && j + q < k; q++) dacc[p * k + j + q] = laneSum(iacc, q);
            }
        }
    }

    /** Wrapping int sum of iacc[q·L, q·L + L). */
    private static int laneSum(int[] iacc, int q) {
        return IntVector.fromArray(IS, iacc, q * L).reduceLanes(VectorOperators.ADD);
    }

    /** iacc[q·L + lane] += Σ_i x[xq + i]·w[wo + i] over i ≡ lane (mod L) in [0, n), q = 0..3; n ≤ CHUNK·L, a multiple of L. */
    private static void dot4Pixels(float[] x, int x0, int x1, int x2, int x3, float[] w, int wo, int n, int[] iacc) {
        FloatVector a0 = FloatVector.zero(FS), a1 = a0, a2 = a0, a3 = a0;
        for (int i = 0; i < n; i += L) {
            FloatVector wv = FloatVector.fromArray(FS, w, wo + i);
            a0 = FloatVector.fromArray(FS, x, x0 + i).fma(wv, a0);
            a1 = FloatVector.fromArray(FS, x, x1 + i).fma(wv, a1);
            a2 = FloatVector.fromArray(FS, x, x2 + i).fma(wv, a2);
            a3 = FloatVector.fromArray(FS, x, x3 + i).fma(wv, a3);
        }
        // inline conversions (exact integers ≤ 2^22 → int32): a helper taking vectors would box them
        ((IntVector) a0.add(MAGIC).reinterpretShape(IS, 0)).sub(MAGIC_BITS).add(IntVector.fromArray(IS, iacc, 0)).intoArray(iacc, 0);
        ((IntVector) a1.add(MAGIC).reinterpretShape(IS, 0)).sub(MAGIC_BITS).add(IntVector.fromArray(IS, iacc, L)).intoArray(iacc, L);
        ((IntVector) a2.add(MAGIC).reinterpretShape(IS, 0)).sub(MAGIC_BITS).add(IntVector.fromArray(IS, iacc, 2 * L)).intoArray(iacc, 2 * L);
        ((IntVector) a3.add(MAGIC).reinterpretShape(IS, 0)).sub(MAGIC_BITS).add(IntVector.fromArray(IS, iacc, 3 * L)).intoArray(iacc, 3 * L);
    }

    /** iacc[q·L + lane] += Σ_i x[xo + i]·w[wo + q·ws + i] over i ≡ lane (mod L) in [0, n), q = 0..3; n as in {@link #dot4Pixels}. */
    private static void dot4Rows(float[] x, int xo, byte[] w, int wo, int ws, int n, int[] iacc) {
        FloatVector a0 = FloatVector.zero(FS), a1 = a0, a2 = a0, a3 = a0;
        int w1 = wo + ws, w2 = wo + 2 * ws, w3 = wo + 3 * ws;
        for (int i = 0; i < n; i += L) {
            FloatVector xv = FloatVector.fromArray(FS, x, xo + i);
            a0 = ((FloatVector) ByteVector.fromArray(BS, w, wo + i).convertShape(VectorOperators.B2F, FS, 0)).fma(xv, a0);
            a1 = ((FloatVector) ByteVector.fromArray(BS, w, w1 + i).convertShape(VectorOperators.B2F, FS, 0)).fma(xv, a1);
            a2 = ((FloatVector) ByteVector.fromArray(BS, w, w2 + i).convertShape(VectorOperators.B2F, FS, 0)).fma(xv, a2);
            a3 = ((FloatVector) ByteVector.fromArray(BS, w, w3 + i).convertShape(VectorOperators.B2F, FS, 0)).fma(xv, a3);
        }
        ((IntVector) a0.add(MAGIC).reinterpretShape(IS, 0)).sub(MAGIC_BITS).add(IntVector.fromArray(IS, iacc, 0)).intoArray(iacc, 0);
        ((IntVector) a1.add(MAGIC).reinterpretShape(IS, 0)).sub(MAGIC_BITS).add(IntVector.fromArray(IS, iacc, L)).intoArray(iacc, L);
        ((IntVector) a2.add(MAGIC).reinterpretShape(IS, 0)).sub(MAGIC_BITS).add(IntVector.fromArray(IS, iacc, 2 * L)).intoArray(iacc, 2 * L);
        ((IntVector) a3.add(MAGIC).reinterpretShape(IS, 0)).sub(MAGIC_BITS).add(IntVector.fromArray(IS, iacc, 3 * L)).intoArray(iacc, 3 * L);
    }
}
