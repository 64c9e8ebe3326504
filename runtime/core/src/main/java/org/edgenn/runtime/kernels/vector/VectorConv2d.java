package org.edgenn.runtime.kernels.vector;

import static org.edgenn.runtime.kernels.vector.VecQuant.FS;
import static org.edgenn.runtime.kernels.vector.VecQuant.IS;
import static org.edgenn.runtime.kernels.vector.VecQuant.L;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import org.edgenn.runtime.kernels.Conv2d;
import org.edgenn.runtime.kernels.Conv2dSpec;
import org.edgenn.runtime.kernels.KernelFactory;
import org.edgenn.runtime.quant.RequantMode;
import org.edgenn.runtime.quant.Requantizer;

/**
 * Vector API convolution, bit-exact to the scalar reference.
 *
 * <h2>Why float FMA is exact here</h2>
 * The Vector API exposes no int8 dot-product (VNNI {@code vpdpbusd}) nor int16 pair-add
 * ({@code vpmaddwd}), and 32-bit integer multiplies ({@code vpmulld}) run at half rate. So the
 * inner loop multiplies int8 values held in float lanes with float FMAs (two per cycle on
 * AVX-512). Every product x·w has |x·w| ≤ 2^14, so any sum of at most {@link #CHUNK} = 256
 * products is an integer of magnitude ≤ 2^22 and is represented exactly in float (as is every
 * partial sum): the float accumulator equals the integer one. (2^24 would still be exact; 2^22
 * lets the float → int conversion use the add-magic-and-reinterpret trick, because JDK 17's C2
 * does not intrinsify the vector F2I cast.) Longer reductions are split into chunks,
 * each converted to int32 and added in (wrapping) int arithmetic. The zero point is removed
 * afterwards: Σ(x − zx)·w = Σx·w − zx·Σw, with zx·Σw precomputed per output channel; padding
 * is materialized as x = zx so it contributes exactly 0. All int32 arithmetic wraps, exactly as
 * the reference's.
 *
 * <h2>Data layout at prepare time</h2>
 * Weights are packed once into float panels {@code [group][ocBlock][fy][fx][c][4·L]} (output
 * channels padded with zeros to blocks of 4 vectors, or of 2 when a group has at most 2·L
 * channels, so a 32-channel layer does not compute 32 padded ones); each run converts the input
 * image once into a zero-point-padded float buffer (NHWC). The micro-kernel keeps 4 pixels × 4
 * (or 2) vectors of output channels in 16 (8) accumulator registers, reading the 4 pixels' taps from that buffer
 * through a per-layer offset table (no im2col copy; see {@link #gatherOffsets}); a block's outputs are requantized
 * together. Depthwise 3×3-style layers use a separate kernel vectorized over channels.
 */
final class VectorConv2d implements KernelFactory.Conv2dImpl {
    static final int CHUNK = 256;
    /** 1.5·2^23: for an integer |v| ≤ 2^22, the float bits of v + MAGIC are MAGIC_BITS + v. */
    private static final float MAGIC = 12582912f;
    private static final int MAGIC_BITS = Float.floatToRawIntBits(MAGIC);
    private static final int NV = 4;
    private static final int BW = NV * L;

    private final Conv2dSpec s;
    private final int zx;
    private final boolean depthwise;
    private final int cs;           // channel stride of the float input buffer
    private final int cg, kg, kgp;  // channels per group, output channels per group, padded
    private final int bw;           // output channels per block: 4 vectors, or 2 when a group has at most 2 vectors of them
    private final int taps;
    private final int tapRun;       // taps copied by one im2col copy: FX when a filter row is contiguous in xf, else 1
    private final int[] tapX;       // input offset of each (fy, fx) tap
    private final int[] gather;     // few-channel layers: offset in xf of reduction index (tap, c) from a pixel's first tap, else null
    private final float[] wpk;      // packed weights
    private final int[] biasAdj;    // bias − zx·Σw, per padded channel
    private final float[] panel;    // scratch: im2col rows of one pixel block
    private final int[] dwRow;      // scratch: one pixel's depthwise accumulators
    private final VecQuant.Params rq;
    private final PaddedImage img;  // scratch: padded float image
    private final float[] xf;       // its buffer
    private final int[] iacc = new int[NV * BW];
    private final float[] facc = new float[NV * BW];

    VectorConv2d(Conv2d layer) {
        s = layer.spec();
        zx = layer.inputZeroPoint();
        cg = s.inC();
        kg = s.outKPerGroup();
        taps = s.fy() * s.fx();
        depthwise = cg == 1 && kg == 1 && taps <= CHUNK;
        byte[] w = layer.weights();
        int[] bias = layer.bias();
        Requantizer r = layer.requantizer();
        int[] map;
        if (depthwise) {
            cs = roundUp(s.c(), L);
            bw = BW;
            kgp = 0;
            wpk = new float[taps * cs];
            biasAdj = new int[cs];
            map = new int[cs];
            Arrays.fill(map, -1);
            for (int c = 0; c < s.c(); c++) {
                int sum = 0;
                for (int t = 0; t < taps; t++) {
                    wpk[t * cs + c] = w[c * taps + t];
                    sum += w[c * taps + t];
                }
                biasAdj[c] = bias[c] - zx * sum;
                map[c] = c;
            }
            panel = null;
            dwRow = new int[cs];
        } else {
            cs = s.c();
            bw = blockWidth(kg);
            kgp = roundUp(kg, bw);
            int groups = s.groups();
            wpk = new float[groups * kgp * taps * cg];
            biasAdj = new int[groups * kgp];
            map = new int[groups * kgp];
            Arrays.fill(map, -1);
            for (int g = 0; g < groups; g++)
                for (int j = 0; j < kg; j++) {
                    int k = g * kg + j;
                    int ob = j / bw, lane = j % bw;
                    int sum = 0;
                    for (int t = 0; t < taps; t++)
                        for (int c = 0; c < cg; c++) {
                            byte v = w[(k * taps + t) * cg + c];
                            wpk[(((g * (kgp / bw) + ob) * taps + t) * cg + c) * bw + lane] = v;
                            sum += v;
                        }
                    biasAdj[g * kgp + j] = bias[k] - zx * sum;
                    map[g * kgp + j] = k;
                }
            panel = new float[Math.multiplyExact(4, taps * cg)];
            dwRow = null;
        }
        img = new PaddedImage(s, zx, cs, BW);
        xf = img.xf;
        tapRun = s.groups() == 1 && s.dilationX() == 1 ? s.fx() : 1;
        tapX = new int[taps];
        for (int fy = 0; fy < s.fy(); fy++)
            for (int fx = 0; fx < s.fx(); fx++)
                tapX[fy * s.fx() + fx] = img.tap(fy, fx);
        gather = gatherOffsets();
        rq = VecQuant.Params.of(r, s.k(), map);
    }

    /**
     * Blocks of 4 pixels read their taps straight from the padded image through a table of offsets (reduction index
     * i = (tap, c) → offset from a pixel's first tap) instead of copying im2col rows first: one int load per reduction
     * step shared by 4 pixels × 4 vectors of FMAs. Measured (thread CPU, load 25): FashionCnn's 1 → 32 conv, whose
     * filter rows are 3 floats, 42 → 31 µs; its 32 → 64 conv 95 → 79 µs. Only the last, partial pixel block of an
     * image still uses im2col rows (1-pixel kernels).
     */
    private int[] gatherOffsets() {
        if (depthwise || taps == 1) return null;
        int[] g = new int[taps * cg];
        for (int t = 0; t < taps; t++)
            for (int c = 0; c < cg; c++) g[t * cg + c] = tapX[t] + c;
        return g;
    }

    /** Output channels per block of a group of kg channels: 4 vectors, or 2 when kg ≤ 2·L. */
    static int blockWidth(int kg) {
        return kg <= 2 * L ? 2 * L : BW;
    }

    static int roundUp(int v, int m) {
        return (v + m - 1) / m * m;
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
        for (int b = 0; b < s.n(); b++) {
            img.load(in, b);
            if (depthwise) depthwiseImage(b, out, acc);
            else gemmImage(b, out, acc);
        }
    }

    private void gemmImage(int b, byte[] out, int[] acc) {
        int ow = s.outW(), pixels = s.outH() * ow;
        int blocks = kgp / bw;
        int kTot = taps * cg;
        boolean direct = taps == 1; // 1x1: a pixel's reduction row is contiguous in xf already
        float[] src = direct ? xf : panel;
        for (int g = 0; g < s.groups(); g++) {
            int p = 0;
            for (; p < pixels; p += 4) {
                int np = Math.min(4, pixels - p);
                boolean gathered = gather != null && np == 4;
                int x0, x1 = 0, x2 = 0, x3 = 0;
                if (direct || gathered) {
                    // 1x1: a pixel's reduction row is contiguous in xf already; gathered: kernel4G reads xf through the table
                    x0 = img.base(p, ow) + g * cg;
                    if (np == 4) {
                        x1 = img.base(p + 1, ow) + g * cg;
                        x2 = img.base(p + 2, ow) + g * cg;
                        x3 = img.base(p + 3, ow) + g * cg;
                    }
                } else {
                    // im2col of this pixel block only: rows of taps·cg floats, contiguous for the micro-kernel;
                    // one copy per run of taps that is contiguous in xf (a filter row when groups = 1 and no x-dilation)
                    for (int q = 0; q < np; q++) {
                        int xb = img.base(p + q, ow) + g * cg;
                        for (int t = 0; t < taps; t += tapRun) copy(xf, xb + tapX[t], panel, q * kTot + t * cg, tapRun * cg);
                    }
                    x0 = 0; x1 = kTot; x2 = 2 * kTot; x3 = 3 * kTot;
                }
                for (int ob = 0; ob < blocks; ob++) {
                    int wBase = (g * blocks + ob) * kTot * bw;
                    int jBase = g * kgp + ob * bw;
                    int valid = Math.min(bw, kg - ob * bw);
                    int outCh = g * kg + ob * bw;
                    if (gathered) {
                        for (int k0 = 0; k0 < kTot; k0 += CHUNK) {
                            int n = Math.min(CHUNK, kTot - k0);
                            if (bw == BW) kernel4G(xf, x0, x1, x2, x3, gather, k0, wpk, wBase + k0 * bw, n, facc);
                            else kernel4x2G(xf, x0, x1, x2, x3, gather, k0, wpk, wBase + k0 * bw, n, facc);
                            flush(facc, iacc, 4 * bw, k0 > 0);
                        }
                        emit4(b, p, jBase, outCh, valid, out, acc);
                    } else if (np == 4) {
                        for (int k0 = 0; k0 < kTot; k0 += CHUNK) {
                            int n = Math.min(CHUNK, kTot - k0);
                            if (bw == BW) kernel4(src, x0 + k0, x1 + k0, x2 + k0, x3 + k0, wpk, wBase + k0 * bw, n, facc);
                            else kernel4x2(src, x0 + k0, x1 + k0, x2 + k0, x3 + k0, wpk, wBase + k0 * bw, n, facc);
                            flush(facc, iacc, 4 * bw, k0 > 0);
                        }
                        emit4(b, p, jBase, outCh, valid, out, acc);
                    } else {
                        for (int q = 0; q < np; q++) {
                            int xq = direct ? img.base(p + q, ow) + g * cg : q * kTot;
                            for (int k0 = 0; k0 < kTot; k0 += CHUNK) {
                                int n = Math.min(CHUNK, kTot - k0);
                                if (bw == BW) kernel1(src, xq + k0, wpk, wBase + k0 * bw, n, facc);
                                else kernel1x2(src, xq + k0, wpk, wBase + k0 * bw, n, facc);
                                flush(facc, iacc, bw, k0 > 0);
                            }
                            emit(b, p + q, 0, jBase, outCh, valid, out, acc);
                        }
                    }
                }
            }
        }
    }

    /** System.arraycopy, except for the short runs of few-channel images (1 to 3 floats for a 3-tap row of C = 1), where its call costs more than the copy. */
    private static void copy(float[] src, int from, float[] dst, int to, int n) {
        if (n >= 16) {
            System.arraycopy(src, from, dst, to, n);
        } else {
            for (int i = 0; i < n; i++) dst[to + i] = src[from + i];
        }
    }

    /** {@link #emit} of pixels p to p + 3 (iacc rows 0 to 3); double rounding requantizes the four rows in one pass. */
    private void emit4(int b, int p, int jBase, int outCh, int valid, byte[] out, int[] acc) {
        if (acc == null && rq.mode == RequantMode.DOUBLE_ROUNDING) {
            int o = (b * s.outH() * s.outW() + p) * s.k() + outCh;
            VecQuant.requantizeDoubleRows(iacc, 0, bw, 4, biasAdj, rq, jBase, out, o, s.k(), valid);
        } else {
            for (int q = 0; q < 4; q++) emit(b, p + q, q, jBase, outCh, valid, out, acc);
        }
    }

    /** Writes pixel p's block (from iacc row q) as int32 accumulators or requantized int8 ({@link VecQuant}). */
    private void emit(int b, int p, int q, int jBase, int outCh, int valid, byte[] out, int[] acc) {
        int o = (b * s.outH() * s.outW() + p) * s.k() + outCh;
        int row = q * bw;
        if (acc != null) {
            for (int j = 0; j < valid; j++) acc[o + j] = iacc[row + j] + biasAdj[jBase + j];
        } else if (rq.mode == RequantMode.FLOAT_SCALE) {
            VecQuant.requantizeFloat(iacc, row, biasAdj, rq, jBase, out, o, valid);
        } else {
            VecQuant.requantizeLong(iacc, row, biasAdj, rq, jBase, out, o, valid);
        }
    }

    /**
     * 4 pixels × 4 vectors of output channels: acc[q][v] += x[xq + i] · w[wo + i·BW + v·L] for
     * i in [0, n). One flat loop over contiguous data (JDK 17's C2 keeps vector accumulators in
     * registers only across a single loop level, and range checks fold for contiguous indices).
     */
    static void kernel4(float[] x, int x0, int x1, int x2, int x3, float[] wp, int wo, int n, float[] facc) {
        FloatVector a00 = FloatVector.zero(FS), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        for (int i = 0; i < n; i++, wo += BW) {
            FloatVector w0 = FloatVector.fromArray(FS, wp, wo);
            FloatVector w1 = FloatVector.fromArray(FS, wp, wo + L);
            FloatVector w2 = FloatVector.fromArray(FS, wp, wo + 2 * L);
            FloatVector w3 = FloatVector.fromArray(FS, wp, wo + 3 * L);
            FloatVector b = FloatVector.broadcast(FS, x[x0 + i]);
            a00 = w0.fma(b, a00); a01 = w1.fma(b, a01); a02 = w2.fma(b, a02); a03 = w3.fma(b, a03);
            b = FloatVector.broadcast(FS, x[x1 + i]);
            a10 = w0.fma(b, a10); a11 = w1.fma(b, a11); a12 = w2.fma(b, a12); a13 = w3.fma(b, a13);
            b = FloatVector.broadcast(FS, x[x2 + i]);
            a20 = w0.fma(b, a20); a21 = w1.fma(b, a21); a22 = w2.fma(b, a22); a23 = w3.fma(b, a23);
            b = FloatVector.broadcast(FS, x[x3 + i]);
            a30 = w0.fma(b, a30); a31 = w1.fma(b, a31); a32 = w2.fma(b, a32); a33 = w3.fma(b, a33);
        }
        // plain float stores (force-inlined intrinsics): passing vectors to a non-inlined helper would box them
        a00.intoArray(facc, 0); a01.intoArray(facc, L); a02.intoArray(facc, 2 * L); a03.intoArray(facc, 3 * L);
        a10.intoArray(facc, BW); a11.intoArray(facc, BW + L); a12.intoArray(facc, BW + 2 * L); a13.intoArray(facc, BW + 3 * L);
        a20.intoArray(facc, 2 * BW); a21.intoArray(facc, 2 * BW + L); a22.intoArray(facc, 2 * BW + 2 * L); a23.intoArray(facc, 2 * BW + 3 * L);
        a30.intoArray(facc, 3 * BW); a31.intoArray(facc, 3 * BW + L); a32.intoArray(facc, 3 * BW + 2 * L); a33.intoArray(facc, 3 * BW + 3 * L);
    }

    /** {@link #kernel4} reading reduction index i of pixel q at x[xq + gi[i]] (no im2col rows). */
    private static void kernel4G(float[] x, int x0, int x1, int x2, int x3, int[] gi, int g0, float[] wp, int wo, int n, float[] facc) {
        FloatVector a00 = FloatVector.zero(FS), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        for (int i = 0; i < n; i++, wo += BW) {
            int d = gi[g0 + i];
            FloatVector w0 = FloatVector.fromArray(FS, wp, wo);
            FloatVector w1 = FloatVector.fromArray(FS, wp, wo + L);
            FloatVector w2 = FloatVector.fromArray(FS, wp, wo + 2 * L);
            FloatVector w3 = FloatVector.fromArray(FS, wp, wo + 3 * L);
            FloatVector b = FloatVector.broadcast(FS, x[x0 + d]);
            a00 = w0.fma(b, a00); a01 = w1.fma(b, a01); a02 = w2.fma(b, a02); a03 = w3.fma(b, a03);
            b = FloatVector.broadcast(FS, x[x1 + d]);
            a10 = w0.fma(b, a10); a11 = w1.fma(b, a11); a12 = w2.fma(b, a12); a13 = w3.fma(b, a13);
            b = FloatVector.broadcast(FS, x[x2 + d]);
            a20 = w0.fma(b, a20); a21 = w1.fma(b, a21); a22 = w2.fma(b, a22); a23 = w3.fma(b, a23);
            b = FloatVector.broadcast(FS, x[x3 + d]);
            a30 = w0.fma(b, a30); a31 = w1.fma(b, a31); a32 = w2.fma(b, a32); a33 = w3.fma(b, a33);
        }
        a00.intoArray(facc, 0); a01.intoArray(facc, L); a02.intoArray(facc, 2 * L); a03.intoArray(facc, 3 * L);
        a10.intoArray(facc, BW); a11.intoArray(facc, BW + L); a12.intoArray(facc, BW + 2 * L); a13.intoArray(facc, BW + 3 * L);
        a20.intoArray(facc, 2 * BW); a21.intoArray(facc, 2 * BW + L); a22.intoArray(facc, 2 * BW + 2 * L); a23.intoArray(facc, 2 * BW + 3 * L);
        a30.intoArray(facc, 3 * BW); a31.intoArray(facc, 3 * BW + L); a32.intoArray(facc, 3 * BW + 2 * L); a33.intoArray(facc, 3 * BW + 3 * L);
    }

    /** {@link #kernel4x2} reading through the offset table, like {@link #kernel4G}. */
    private static void kernel4x2G(float[] x, int x0, int x1, int x2, int x3, int[] gi, int g0, float[] wp, int wo, int n, float[] facc) {
        FloatVector a00 = FloatVector.zero(FS), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
        for (int i = 0; i < n; i++, wo += 2 * L) {
            int d = gi[g0 + i];
            FloatVector w0 = FloatVector.fromArray(FS, wp, wo);
            FloatVector w1 = FloatVector.fromArray(FS, wp, wo + L);
            FloatVector b = FloatVector.broadcast(FS, x[x0 + d]);
            a00 = w0.fma(b, a00); a01 = w1.fma(b, a01);
            b = FloatVector.broadcast(FS, x[x1 + d]);
            a10 = w0.fma(b, a10); a11 = w1.fma(b, a11);
            b = FloatVector.broadcast(FS, x[x2 + d]);
            a20 = w0.fma(b, a20); a21 = w1.fma(b, a21);
            b = FloatVector.broadcast(FS, x[x3 + d]);
            a30 = w0.fma(b, a30); a31 = w1.fma(b, a31);
        }
        a00.intoArray(facc, 0); a01.intoArray(facc, L);
        a10.intoArray(facc, 2 * L); a11.intoArray(facc, 3 * L);
        a20.intoArray(facc, 4 * L); a21.intoArray(facc, 5 * L);
        a30.intoArray(facc, 6 * L); a31.intoArray(facc, 7 * L);
    }

    /** 1 pixel × 4 vectors of output channels. */
    private static void kernel1(float[] x, int x0, float[] wp, int wo, int n, float[] facc) {
        FloatVector a0 = FloatVector.zero(FS), a1 = a0, a2 = a0, a3 = a0;
        for (int i = 0; i < n; i++, wo += BW) {
            FloatVector b = FloatVector.broadcast(FS, x[x0 + i]);
            a0 = FloatVector.fromArray(FS, wp, wo).fma(b, a0);
            a1 = FloatVector.fromArray(FS, wp, wo + L).fma(b, a1);
            a2 = FloatVector.fromArray(FS, wp, wo + 2 * L).fma(b, a2);
            a3 = FloatVector.fromArray(FS, wp, wo + 3 * L).fma(b, a3);
        }
        a0.intoArray(facc, 0); a1.intoArray(facc, L); a2.intoArray(facc, 2 * L); a3.intoArray(facc, 3 * L);
    }

    /** {@link #kernel4} for blocks of 2 vectors (K ≤ 2·L: half the FMAs of a padded 4-vector block); rows of facc are 2·L. */
    private static void kernel4x2(float[] x, int x0, int x1, int x2, int x3, float[] wp, int wo, int n, float[] facc) {
        FloatVector a00 = FloatVector.zero(FS), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
        for (int i = 0; i < n; i++, wo += 2 * L) {
            FloatVector w0 = FloatVector.fromArray(FS, wp, wo);
            FloatVector w1 = FloatVector.fromArray(FS, wp, wo + L);
            FloatVector b = FloatVector.broadcast(FS, x[x0 + i]);
            a00 = w0.fma(b, a00); a01 = w1.fma(b, a01);
            b = FloatVector.broadcast(FS, x[x1 + i]);
            a10 = w0.fma(b, a10); a11 = w1.fma(b, a11);
            b = FloatVector.broadcast(FS, x[x2 + i]);
            a20 = w0.fma(b, a20); a21 = w1.fma(b, a21);
            b = FloatVector.broadcast(FS, x[x3 + i]);
            a30 = w0.fma(b, a30); a31 = w1.fma(b, a31);
        }
        a00.intoArray(facc, 0); a01.intoArray(facc, L);
        a10.intoArray(facc, 2 * L); a11.intoArray(facc, 3 * L);
        a20.intoArray(facc, 4 * L); a21.intoArray(facc, 5 * L);
        a30.intoArray(facc, 6 * L); a31.intoArray(facc, 7 * L);
    }

    /** {@link #kernel1} for blocks of 2 vectors. */
    private static void kernel1x2(float[] x, int x0, float[] wp, int wo, int n, float[] facc) {
        FloatVector a0 = FloatVector.zero(FS), a1 = a0, a2 = a0, a3 = a0;
        int i = 0;
        for (; i + 1 < n; i += 2, wo += 4 * L) { // two reduction steps per iteration: 4 independent chains
            FloatVector b = FloatVector.broadcast(FS, x[x0 + i]);
            a0 = FloatVector.fromArray(FS, wp, wo).fma(b, a0);
            a1 = FloatVector.fromArray(FS, wp, wo + L).fma(b, a1);
            b = FloatVector.broadcast(FS, x[x0 + i + 1]);
            a2 = FloatVector.fromArray(FS, wp, wo + 2 * L).fma(b, a2);
            a3 = FloatVector.fromArray(FS, wp, wo + 3 * L).fma(b, a3);
        }
        if (i < n) {
            FloatVector b = FloatVector.broadcast(FS, x[x0 + i]);
            a0 = FloatVector.fromArray(FS, wp, wo).fma(b, a0);
            a1 = FloatVector.fromArray(FS, wp, wo + L).fma(b, a1);
        }
        a0.add(a2).intoArray(facc, 0); a1.add(a3).intoArray(facc, L);
    }

    /**
     * Float partial sums (exact integers, |f| ≤ 2^22) → int32 by the magic-number trick (JDK 17's
     * C2 has no vector F2I cast), stored into or added (wrapping) to iacc[0, n).
     */
    private static void flush(float[] facc, int[] iacc, int n, boolean add) {
        for (int i = 0; i < n; i += L) {
            IntVector v = ((IntVector) FloatVector.fromArray(FS, facc, i).add(MAGIC).reinterpretShape(IS, 0)).sub(MAGIC_BITS);
            if (add) v = v.add(IntVector.fromArray(IS, iacc, i));
            v.intoArray(iacc, i);
        }
    }

    private void depthwiseImage(int b, byte[] out, int[] acc) {
        int ow = s.outW(), pixels = s.outH() * ow, c = s.c();
        for (int p = 0; p < pixels; p++) {
            int x0 = img.base(p, ow);
            int o = (b * pixels + p) * c;
            for (int cv = 0; cv < c; cv += L) {
                FloatVector a = FloatVector.zero(FS);
                for (int t = 0; t < taps; t++) {
                    a = FloatVector.fromArray(FS, xf, x0 + tapX[t] + cv).fma(FloatVector.fromArray(FS, wpk, t * cs + cv), a);
                }
                // exact: |a| <= taps * 2^14 <= 2^22 (the MAGIC trick)
                ((IntVector) a.add(MAGIC).reinterpretShape(IS, 0)).sub(MAGIC_BITS).intoArray(dwRow, cv);
            }
            if (acc != null) {
                for (int j = 0; j < c; j++) acc[o + j] = dwRow[j] + biasAdj[j];
            } else if (rq.mode == RequantMode.FLOAT_SCALE) {
                VecQuant.requantizeFloat(dwRow, 0, biasAdj, rq, 0, out, o, c);
            } else {
                VecQuant.requantizeLong(dwRow, 0, biasAdj, rq, 0, out, o, c);
            }
        }
    }
}
