package org.edgenn.runtime.kernels.vector;

import static org.edgenn.runtime.kernels.vector.VecQuant.FS;
import static org.edgenn.runtime.kernels.vector.VecQuant.IS;
import static org.edgenn.runtime.kernels.vector.VecQuant.L;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import org.edgenn.runtime.kernels.Conv2d;
import org.edgenn.runtime.kernels.Conv2dSpec;
import org.edgenn.runtime.kernels.ExactSums;
import org.edgenn.runtime.kernels.KernelFactory;
import org.edgenn.runtime.quant.RequantMode;

/**
 * 3×3, stride 1, one-group convolutions as <em>integer</em> Winograd F(2×2, 3×3) computed with float FMAs, bit-exact to
 * the scalar reference. Each 2×2 block of outputs needs 16 products per (input, output) channel pair instead of 36, so
 * the float-FMA budget that bounds {@link VectorConv2d} (one 512-bit FMA per cycle on this machine's Zen 4) buys 2.25×
 * the multiply-adds.
 *
 * <h2>Why it is exact</h2>
 * With Lavin's matrices and {@code G' = 2G} (integer: rows [2,0,0], [1,1,1], [1,−1,1], [0,0,2]):
 * <ul>
 * <li>the filter transform {@code U' = G' g G'ᵀ} is an integer (|U'| ≤ 9·128), computed once at prepare;</li>
 * <li>the input transform {@code V = Bᵀ d B} of raw int8 inputs is an integer with |V| ≤ 4·128 = 512 (each entry adds
 * or subtracts 4 inputs);</li>
 * <li>{@code M = Σ_c U'_c ⊙ V_c} is summed in float lanes; every product and partial sum of channel slice
 * [c0, c0 + cw) is at most {@link ExactSums#bound}(U'[k][ij][c0, c0 + cw), −512, 512), which must be ≤
 * {@link ExactSums#FLOAT_EXACT} = 2^24 for every output channel k and every one of the 16 transform positions ij —
 * checked at prepare, with the fewest equal slices that fit ({@link ExactSums#equalSlices}, the code the native family
 * uses). Each slice's float sums are therefore exact integers, converted to int32 exactly ({@link #flushAt}: a two-step
 * magic-number conversion valid up to 2^24, since JDK 17's C2 does not intrinsify the vector F2I cast) and added in
 * int32, |M| ≤ slices·2^24 ≤ 2^26;</li>
 * <li>the output transform {@code Aᵀ M A} (integer coefficients 0, ±1, at most 9 terms) in int32 gives 4·y, where
 * y = Σ x·w over the 3×3×C window, |4·y| ≤ 9·2^26 < 2^31: no overflow, and an arithmetic shift by 2 gives y exactly.</li>
 * </ul>
 * Then, as in {@link VectorConv2d}, {@code acc = y + (bias − zx·Σw)} in wrapping int32 equals the reference's
 * {@code bias + Σ (x − zx)·w} (padding materialized as x = zx), and the same exact requantization ({@link VecQuant})
 * writes the output. A layer whose bound does not fit in {@link ExactSums#MAX_SLICES} slices stays on the direct kernel.
 *
 * <h2>Data flow per run</h2>
 * The image is converted once to floats, padded with zx up to an even number of tile rows and a multiple of 4 tiles per
 * row (outputs of the extra tiles are never written). Per row of tiles: the input transform writes
 * {@code V[ij][tile][c]}; for each of the 16 positions ij a GEMM over the channels computes {@code M[ij][tile][k]} with
 * {@link VectorConv2d}'s micro-kernel (4 tiles × 4 vectors of 16 output channels in 16 accumulators, one broadcast per
 * tile and channel), weights {@code U'[ij][kBlock][c][64]} packed at prepare; the output transform and the block-wise
 * requantization finish two output rows. All buffers are allocated at prepare.
 */
final class VectorWinogradConv implements KernelFactory.Conv2dImpl {
    private static final int BW = 4 * L;
    /** |V| ≤ 4·128: each V entry is ± four int8 inputs. */
    static final int V_MAX = 512;
    /**
     * Fewest input channels for which the transforms pay: the GEMM saves 20 of 36 FMAs per channel pair while the 16
     * conversions per tile and the transforms cost per channel. Measured against the direct kernel (thread CPU, 3×3,
     * 64 output channels, 28×28, load 15–17): C = 16 1.40× slower, C = 32 1.09× slower, C = 48 1.06× faster; 56×56 ×
     * 64 → 64 1.3–1.7× faster (docs/runtime-core.md).
     */
    static final int MIN_C = 48;
    private static final int MIN_K = 2 * L + 1;
    /** 1.5·2^23: for an integer |v| ≤ 2^22, the float bits of v + MAGIC are MAGIC_BITS + v. */
    private static final float MAGIC = 12582912f;
    private static final int MAGIC_BITS = Float.floatToRawIntBits(MAGIC);
    /** 1.5·2^25: for an integer |v| ≤ 2^24, v + MAGIC4 rounds v to a multiple of 4 whose quarter is the bits' difference. */
    private static final float MAGIC4 = 50331648f;
    private static final int MAGIC4_BITS = Float.floatToRawIntBits(MAGIC4);
    /**
     * Whether C2 compiles the vector float → int cast to one instruction (vcvttps2dq): JDK 25 does (measured, session 8),
     * JDK 17 does not (its Java fallback would allocate); a constant, so C2 compiles only one of the two conversions.
     */
    static final boolean CAST_F2I = Runtime.version().feature() >= 25;
    /** 4·bits(1.5·2^25) + bits(1.5·2^23), wrapping: what {@link #flushAt} subtracts from 4·bits(r) + bits(rest + MAGIC). */
    private static final int FLUSH_BIAS = 4 * MAGIC4_BITS + MAGIC_BITS;

    private final Conv2dSpec s;
    private final int c, k, cp, nb, kp, oh, ow, tilesX, tilesY, rowStride;
    private final int slices;
    private final int[] sliceStart;
    private final float[] upk;     // U'[ij][kBlock][c][BW]
    private final int[] biasAdj;   // bias − zx·Σw per padded output channel
    private final VecQuant.Params rq;
    private final RowOut rowOut;
    private final PaddedImage img;
    private final float[] xf;
    private final float[] vbuf;    // V[ij][tile][cp] of one tile row
    private final int[] mbuf;      // M[ij][kBlock][tile][BW] of one tile row
    private final int[] ybuf;      // two output rows [2][2·tilesX][kp]
    private final float[] facc = new float[4 * BW];

    /** The transformed filters U'[k][ij][c] of a 3×3 layer (integers, |U'| ≤ 1152). */
    static int[] transformedFilters(Conv2d layer) {
        Conv2dSpec s = layer.spec();
        int c = s.c(), k = s.k();
        byte[] w = layer.weights();
        int[] u = new int[k * 16 * c];
        int[][] g2 = {{2, 0, 0}, {1, 1, 1}, {1, -1, 1}, {0, 0, 2}};
        int[][] t = new int[4][3];
        for (int o = 0; o < k; o++)
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < 4; i++)
                    for (int b = 0; b < 3; b++) {
                        int sum = 0;
                        for (int a = 0; a < 3; a++) sum += g2[i][a] * w[((o * 3 + a) * 3 + b) * c + ch];
                        t[i][b] = sum;
                    }
                for (int i = 0; i < 4; i++)
                    for (int j = 0; j < 4; j++) {
                        int sum = 0;
                        for (int b = 0; b < 3; b++) sum += t[i][b] * g2[j][b];
                        u[(o * 16 + i * 4 + j) * c + ch] = sum;
                    }
            }
        return u;
    }

    /** Whether the shape is one this kernel computes (before the exactness bound): 3×3, stride 1, no dilation, one group, int8. */
    static boolean shapeSuits(Conv2dSpec s) {
        return s.groups() == 1 && s.fy() == 3 && s.fx() == 3 && s.strideY() == 1 && s.strideX() == 1
                && s.dilationY() == 1 && s.dilationX() == 1 && s.c() >= MIN_C && s.k() >= MIN_K;
    }

    /**
     * Channel slices with which the layer's sums are provably exact (1 to {@link ExactSums#MAX_SLICES}), or 0 when the
     * layer must stay on the direct kernel: a shape this kernel does not compute, or a bound that does not fit.
     */
    static int slices(Conv2d layer) {
        Conv2dSpec s = layer.spec();
        if (layer.quant().wide() || !shapeSuits(s)) return 0;
        return slices(layer, transformedFilters(layer));
    }

    private static int slices(Conv2d layer, int[] u) {
        Conv2dSpec s = layer.spec();
        int c = s.c();
        return ExactSums.equalSlices(c, ExactSums.MAX_SLICES, (c0, cw) -> {
            for (int row = 0; row < s.k() * 16; row++) {
                if (ExactSums.bound(u, row * c + c0, row * c + c0 + cw, -V_MAX, V_MAX) > ExactSums.FLOAT_EXACT) return false;
            }
            return true;
        });
    }

    VectorWinogradConv(Conv2d layer) {
        s = layer.spec();
        c = s.c();
        k = s.k();
        int[] u = transformedFilters(layer);
        slices = slices(layer, u);
        if (slices < 1 || layer.quant().wide() || !shapeSuits(s)) {
            throw new IllegalArgumentException("layer " + s + " is not exact in float Winograd F(2x2,3x3)");
        }
        sliceStart = new int[slices + 1];
        for (int j = 0; j <= slices; j++) sliceStart[j] = ExactSums.sliceStart(c, slices, j);
        cp = VectorConv2d.roundUp(c, L);
        nb = (k + BW - 1) / BW;
        kp = nb * BW;
        oh = s.outH();
        ow = s.outW();
        tilesY = (oh + 1) / 2;
        tilesX = VectorConv2d.roundUp((ow + 1) / 2, 4);
        int hp = 2 * tilesY + 2, wp = 2 * tilesX + 2;
        int extraBottom = hp - (s.h() + s.padTop() + s.padBottom());
        int extraRight = wp - (s.w() + s.padLeft() + s.padRight());
        Conv2dSpec padded = s.withPadding(s.padTop(), s.padLeft(), s.padBottom() + extraBottom, s.padRight() + extraRight);
        int zx = layer.inputZeroPoint();
        img = new PaddedImage(padded, zx, c, L);
        xf = img.xf;
        rowStride = wp * c;

        upk = new float[16 * nb * c * BW];
        for (int o = 0; o < k; o++)
            for (int ij = 0; ij < 16; ij++)
                for (int ch = 0; ch < c; ch++)
                    upk[((ij * nb + o / BW) * c + ch) * BW + o % BW] = u[(o * 16 + ij) * c + ch];
        biasAdj = new int[kp];
        int[] map = new int[kp];
        byte[] w = layer.weights();
        for (int o = 0; o < kp; o++) {
            map[o] = o < k ? o : -1;
            if (o >= k) continue;
            int sum = 0;
            for (int i = o * 9 * c; i < (o + 1) * 9 * c; i++) sum += w[i];
            biasAdj[o] = layer.bias()[o] - zx * sum;
        }
        rq = VecQuant.Params.of(layer.requantizer(), k, map);
        rowOut = rq.mode == RequantMode.DOUBLE_ROUNDING ? new DoubleRows()
                : rq.mode == RequantMode.FLOAT_SCALE ? new FloatRows() : new SingleRows();
        vbuf = new float[16 * tilesX * cp];
        mbuf = new int[16 * nb * tilesX * BW];
        ybuf = new int[2 * 2 * tilesX * kp];
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
        int vStride = tilesX * cp;
        for (int b = 0; b < s.n(); b++) {
            img.load(in, b);
            for (int ty = 0; ty < tilesY; ty++) {
                int rowBase = 2 * ty * rowStride;
                for (int t = 0; t < tilesX; t++) inputTile(xf, rowBase + 2 * t * c, rowStride, c, cp, vbuf, t * cp, vStride);
                gemmRow();
                for (int t = 0; t < tilesX; t++)
                    for (int ob = 0; ob < nb; ob++) outputTile(mbuf, (ob * tilesX + t) * BW, nb * tilesX * BW, ybuf, 2 * t * kp + ob * BW, 2 * tilesX * kp, kp);
                for (int r = 0; r < 2 && 2 * ty + r < oh; r++) emitRow(b, 2 * ty + r, r * 2 * tilesX * kp, out, acc);
            }
        }
    }

    /** M[ij][kBlock][tile][BW] of the current tile row: 16 GEMMs over the channels, slice by slice. */
    private void gemmRow() {
        int vStride = tilesX * cp;
        for (int ij = 0; ij < 16; ij++)
            for (int tb = 0; tb < tilesX; tb += 4) {
                int x0 = ij * vStride + tb * cp;
                for (int ob = 0; ob < nb; ob++) {
                    int wBase = (ij * nb + ob) * c * BW;
                    int m = ((ij * nb + ob) * tilesX + tb) * BW;
                    for (int j = 0; j < slices; j++) {
                        int c0 = sliceStart[j];
                        kernel(vbuf, x0 + c0, cp, upk, wBase + c0 * BW, sliceStart[j + 1] - c0, facc);
                        if (CAST_F2I) flushCast(facc, mbuf, m, j > 0);
                        else flushAt(facc, mbuf, m, j > 0);
                    }
                }
            }
    }

    /**
     * 4 tiles × 4 vectors of output channels: facc[q][v] = Σ_i x[xb + q·cp + i] · w[wo + i·BW + v·L], i in [0, n).
     * {@link VectorConv2d#kernel4} with one index for the 4 tiles' rows: C2 had kept kernel4's four separate indices in
     * registers spilled to xmm (measured on the 56×56 layer, thread CPU: 1 615 → 1 340 µs). Not unrolled: a 2-channel
     * version was no faster, and in a JMH JVM C2 ran its last FMAs as allocating Java code (inlining budget exhausted).
     */
    private static void kernel(float[] x, int xb, int cp, float[] wp, int wo, int n, float[] facc) {
        FloatVector a00 = FloatVector.zero(FS), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        int x1 = xb + cp, x2 = x1 + cp, x3 = x2 + cp;
        for (int i = 0; i < n; i++, wo += BW) {
            FloatVector w0 = FloatVector.fromArray(FS, wp, wo);
            FloatVector w1 = FloatVector.fromArray(FS, wp, wo + L);
            FloatVector w2 = FloatVector.fromArray(FS, wp, wo + 2 * L);
            FloatVector w3 = FloatVector.fromArray(FS, wp, wo + 3 * L);
            FloatVector b = FloatVector.broadcast(FS, x[xb + i]);
            a00 = w0.fma(b, a00); a01 = w1.fma(b, a01); a02 = w2.fma(b, a02); a03 = w3.fma(b, a03);
            b = FloatVector.broadcast(FS, x[x1 + i]);
            a10 = w0.fma(b, a10); a11 = w1.fma(b, a11); a12 = w2.fma(b, a12); a13 = w3.fma(b, a13);
            b = FloatVector.broadcast(FS, x[x2 + i]);
            a20 = w0.fma(b, a20); a21 = w1.fma(b, a21); a22 = w2.fma(b, a22); a23 = w3.fma(b, a23);
            b = FloatVector.broadcast(FS, x[x3 + i]);
            a30 = w0.fma(b, a30); a31 = w1.fma(b, a31); a32 = w2.fma(b, a32); a33 = w3.fma(b, a33);
        }
        a00.intoArray(facc, 0); a01.intoArray(facc, L); a02.intoArray(facc, 2 * L); a03.intoArray(facc, 3 * L);
        a10.intoArray(facc, BW); a11.intoArray(facc, BW + L); a12.intoArray(facc, BW + 2 * L); a13.intoArray(facc, BW + 3 * L);
        a20.intoArray(facc, 2 * BW); a21.intoArray(facc, 2 * BW + L); a22.intoArray(facc, 2 * BW + 2 * L); a23.intoArray(facc, 2 * BW + 3 * L);
        a30.intoArray(facc, 3 * BW); a31.intoArray(facc, 3 * BW + L); a32.intoArray(facc, 3 * BW + 2 * L); a33.intoArray(facc, 3 * BW + 3 * L);
    }

    /**
     * The 4·BW float sums of a micro-kernel call (exact integers, |f| ≤ 2^24) → int32, stored into or added to
     * m[at, at + 4·BW). r = f + 1.5·2^25 lies in [2^25, 2^26], where floats are spaced by 4 (2^26 included: the bit
     * patterns stay linear across that power of two), so bits(r) − bits(1.5·2^25) = q with 4q = f rounded to a multiple
     * of 4; r − 1.5·2^25 = 4q exactly (Sterbenz), the rest f − 4q ∈ [−2, 2] is exact and converts by the 2^22 trick:
     * f = 4·bits(r) + bits(rest + 1.5·2^23) − {@link #FLUSH_BIAS} in wrapping int32 arithmetic.
     * <p>
     * Int lanes are combined by {@code lanewise} with vector operands called here, never by a shift with a scalar count
     * or the {@code add}/{@code sub} conveniences: those dispatch inside the JDK on a type profile that every int
     * species of the JVM shares (VecQuant's 256-bit lanes too); with two species in it, C2 lost the vector's exact
     * class and compiled the scalar-count shift as its allocating Java fallback for ever (docs/runtime-core.md).
     */
    static void flushAt(float[] facc, int[] m, int at, boolean add) {
        FloatVector magic4 = FloatVector.broadcast(FS, MAGIC4), magic = FloatVector.broadcast(FS, MAGIC);
        IntVector bias = IntVector.broadcast(IS, -FLUSH_BIAS);
        for (int i = 0; i < 4 * BW; i += L) {
            FloatVector f = FloatVector.fromArray(FS, facc, i);
            FloatVector r = f.lanewise(VectorOperators.ADD, magic4);
            FloatVector rest = f.lanewise(VectorOperators.SUB, r.lanewise(VectorOperators.SUB, magic4));
            IntVector q = r.viewAsIntegralLanes();
            IntVector q2 = q.lanewise(VectorOperators.ADD, q);
            IntVector small = rest.lanewise(VectorOperators.ADD, magic).viewAsIntegralLanes();
            IntVector v = q2.lanewise(VectorOperators.ADD, q2).lanewise(VectorOperators.ADD, small).lanewise(VectorOperators.ADD, bias);
            if (add) v = v.lanewise(VectorOperators.ADD, IntVector.fromArray(IS, m, at + i));
            v.intoArray(m, at + i);
        }
    }

    /**
     * {@link #flushAt} by the vector F2I cast, exact for these integer-valued floats (|f| ≤ 2^24 < 2^31): used where
     * {@link #CAST_F2I}.
     */
    static void flushCast(float[] facc, int[] m, int at, boolean add) {
        for (int i = 0; i < 4 * BW; i += L) {
            IntVector v = (IntVector) FloatVector.fromArray(FS, facc, i).convert(VectorOperators.F2I, 0);
            if (add) v = v.lanewise(VectorOperators.ADD, IntVector.fromArray(IS, m, at + i));
            v.intoArray(m, at + i);
        }
    }

    /**
     * V = Bᵀ d B of one tile, all channels: d[r][q] at x[base + r·rowStride + q·c + ch]; V[ij] to v[vo + ij·vStride + ch].
     * Channels past c (up to cp) read the next pixel's values: their V is never used (the GEMM stops at c). Two leaves of
     * 16 vector operations each (rows 0 and 3 of V, then rows 1 and 2), see {@link #outerRows}.
     */
    private static void inputTile(float[] x, int base, int rowStride, int c, int cp, float[] v, int vo, int vStride) {
        outerRows(x, base, rowStride, c, cp, v, vo, vStride);
        innerRows(x, base + rowStride, rowStride, c, cp, v, vo + 4 * vStride, vStride);
    }

    /**
     * Rows 0 and 3 of V: s0 = d0 − d2 and s3 = d1 − d3 (Bᵀ's outer rows), each times B.
     * <p>
     * Why the input transform is two methods: C2 sums the class-check traps of every method it inlines into a
     * compilation, and each Vector API operation inlines {@code VectorOperators$ImplCache.find}, whose shared profile
     * carried 4 such traps in the JVMs measured. The one-method transform (32 operations, 128 traps) passed C2's
     * PerMethodTrapLimit of 100, so C2 compiled its type guards' miss paths as real virtual calls, which need the vectors
     * as heap objects: 2.1 MB per 20 calls of a 14×14 layer, for ever, in 1 JVM of 13 (issue 19, session 8). Hence at
     * most 16 vector operations per compiled method here, and each leaf over C2's 325-byte inlining size so that no
     * caller inlines two of them together.
     */
    private static void outerRows(float[] x, int base, int rowStride, int c, int cp, float[] v, int vo, int vStride) {
        for (int ch = 0; ch < cp; ch += L) {
            int p0 = base + ch, p1 = p0 + rowStride, p2 = p1 + rowStride, p3 = p2 + rowStride;
            FloatVector s0 = FloatVector.fromArray(FS, x, p0).sub(FloatVector.fromArray(FS, x, p2));
            FloatVector s1 = FloatVector.fromArray(FS, x, p0 + c).sub(FloatVector.fromArray(FS, x, p2 + c));
            FloatVector s2 = FloatVector.fromArray(FS, x, p0 + 2 * c).sub(FloatVector.fromArray(FS, x, p2 + 2 * c));
            FloatVector s3 = FloatVector.fromArray(FS, x, p0 + 3 * c).sub(FloatVector.fromArray(FS, x, p2 + 3 * c));
            int o = vo + ch;
            s0.sub(s2).intoArray(v, o); s1.add(s2).intoArray(v, o + vStride);
            s2.sub(s1).intoArray(v, o + 2 * vStride); s1.sub(s3).intoArray(v, o + 3 * vStride);
            FloatVector t0 = FloatVector.fromArray(FS, x, p1).sub(FloatVector.fromArray(FS, x, p3));
            FloatVector t1 = FloatVector.fromArray(FS, x, p1 + c).sub(FloatVector.fromArray(FS, x, p3 + c));
            FloatVector t2 = FloatVector.fromArray(FS, x, p1 + 2 * c).sub(FloatVector.fromArray(FS, x, p3 + 2 * c));
            FloatVector t3 = FloatVector.fromArray(FS, x, p1 + 3 * c).sub(FloatVector.fromArray(FS, x, p3 + 3 * c));
            o += 12 * vStride;
            t0.sub(t2).intoArray(v, o); t1.add(t2).intoArray(v, o + vStride);
            t2.sub(t1).intoArray(v, o + 2 * vStride); t1.sub(t3).intoArray(v, o + 3 * vStride);
        }
    }

    /**
     * Rows 1 and 2 of V: s1 = d1 + d2 and s2 = d2 − d1, each times B; {@code base} is input row 1 of the tile, V row 1 at
     * {@code vo}. 16 vector operations, like {@link #outerRows}.
     */
    private static void innerRows(float[] x, int base, int rowStride, int c, int cp, float[] v, int vo, int vStride) {
        for (int ch = 0; ch < cp; ch += L) {
            int p1 = base + ch, p2 = p1 + rowStride;
            FloatVector d10 = FloatVector.fromArray(FS, x, p1), d11 = FloatVector.fromArray(FS, x, p1 + c);
            FloatVector d12 = FloatVector.fromArray(FS, x, p1 + 2 * c), d13 = FloatVector.fromArray(FS, x, p1 + 3 * c);
            FloatVector d20 = FloatVector.fromArray(FS, x, p2), d21 = FloatVector.fromArray(FS, x, p2 + c);
            FloatVector d22 = FloatVector.fromArray(FS, x, p2 + 2 * c), d23 = FloatVector.fromArray(FS, x, p2 + 3 * c);
            FloatVector s10 = d10.add(d20), s11 = d11.add(d21), s12 = d12.add(d22), s13 = d13.add(d23);
            FloatVector s20 = d20.sub(d10), s21 = d21.sub(d11), s22 = d22.sub(d12), s23 = d23.sub(d13);
            int o = vo + ch;
            s10.sub(s12).intoArray(v, o); s11.add(s12).intoArray(v, o + vStride);
            s12.sub(s11).intoArray(v, o + 2 * vStride); s11.sub(s13).intoArray(v, o + 3 * vStride);
            o += 4 * vStride;
            s20.sub(s22).intoArray(v, o); s21.add(s22).intoArray(v, o + vStride);
            s22.sub(s21).intoArray(v, o + 2 * vStride); s21.sub(s23).intoArray(v, o + 3 * vStride);
        }
    }

    /**
     * Y = Aᵀ M A / 4 of one tile and one block of BW output channels, in int32: M[ij] at m[mo + ij·mStride],
     * Y[r][q] to y[yo + r·yRow + q·kp]; one output row per {@link #outputRow} call.
     */
    private static void outputTile(int[] m, int mo, int mStride, int[] y, int yo, int yRow, int kp) {
        outputRow(m, mo, mStride, 1, y, yo, kp);                          // row 0 of Aᵀ: [1, 1, 1, 0]
        outputRow(m, mo + 4 * mStride, mStride, -1, y, yo + yRow, kp);    // row 1: [0, 1, −1, −1]
    }

    /**
     * One output row of {@link #outputTile} for all BW channels: t_j = M[a][j] ± (M[a+1][j] + M[a+2][j]), i.e.
     * M0 + M1 + M2 (a = 0, +) or M1 − (M2 + M3) (a = 1, −), then y0 = (t0 + t1 + t2) / 4, y1 = (t1 − t2 − t3) / 4.
     * A separate compilation unit on purpose (over C2's 325-byte inlining size): inlined into a caller together with
     * the other row, its Vector API calls exceeded C2's inlining budget and the last ones ran as allocating Java code.
     */
    private static void outputRow(int[] m, int mo, int ms, int sign, int[] y, int yo, int kp) {
        IntVector two = IntVector.broadcast(IS, 2);
        for (int v = 0; v < BW; v += L) {
            int a = mo + v, o = yo + v;
            IntVector t0 = IntVector.fromArray(IS, m, a + 4 * ms).lanewise(VectorOperators.ADD, IntVector.fromArray(IS, m, a + 8 * ms));
            IntVector t1 = IntVector.fromArray(IS, m, a + 5 * ms).lanewise(VectorOperators.ADD, IntVector.fromArray(IS, m, a + 9 * ms));
            IntVector t2 = IntVector.fromArray(IS, m, a + 6 * ms).lanewise(VectorOperators.ADD, IntVector.fromArray(IS, m, a + 10 * ms));
            IntVector t3 = IntVector.fromArray(IS, m, a + 7 * ms).lanewise(VectorOperators.ADD, IntVector.fromArray(IS, m, a + 11 * ms));
            if (sign > 0) { // the operator of a lanewise call must be a constant of the compilation, hence two branches
                t0 = IntVector.fromArray(IS, m, a).lanewise(VectorOperators.ADD, t0);
                t1 = IntVector.fromArray(IS, m, a + ms).lanewise(VectorOperators.ADD, t1);
                t2 = IntVector.fromArray(IS, m, a + 2 * ms).lanewise(VectorOperators.ADD, t2);
                t3 = IntVector.fromArray(IS, m, a + 3 * ms).lanewise(VectorOperators.ADD, t3);
            } else {
                t0 = IntVector.fromArray(IS, m, a).lanewise(VectorOperators.SUB, t0);
                t1 = IntVector.fromArray(IS, m, a + ms).lanewise(VectorOperators.SUB, t1);
                t2 = IntVector.fromArray(IS, m, a + 2 * ms).lanewise(VectorOperators.SUB, t2);
                t3 = IntVector.fromArray(IS, m, a + 3 * ms).lanewise(VectorOperators.SUB, t3);
            }
            t0.lanewise(VectorOperators.ADD, t1).lanewise(VectorOperators.ADD, t2).lanewise(VectorOperators.ASHR, two).intoArray(y, o);
            t1.lanewise(VectorOperators.SUB, t2).lanewise(VectorOperators.SUB, t3).lanewise(VectorOperators.ASHR, two).intoArray(y, o + kp);
        }
    }

    /** Output row y of image b from ybuf[a, ...) (pixels of kp accumulators): requantized, or as accumulators. */
    private void emitRow(int b, int y, int a, byte[] out, int[] acc) {
        int o = (b * oh + y) * ow * k;
        if (acc != null) {
            for (int p = 0; p < ow; p++)
                for (int j = 0; j < k; j++) acc[o + p * k + j] = ybuf[a + p * kp + j] + biasAdj[j];
        } else {
            rowOut.emit(ybuf, a, kp, biasAdj, rq, out, o, k, ow);
        }
    }

    /**
     * Requantization of one output row, one implementation per mode, called through an interface: with all three
     * modes in one JVM (the test suite) a method holding all three inlined them together, exceeded C2's inlining budget
     * and ran the single-rounding Vector API calls as allocating Java code; a call site that sees several
     * implementations is not inlined, so each mode is compiled on its own.
     */
    private interface RowOut {
        void emit(int[] ybuf, int a, int kp, int[] bias, VecQuant.Params rq, byte[] out, int o, int k, int pixels);
    }

    private static final class DoubleRows implements RowOut {
        @Override
        public void emit(int[] ybuf, int a, int kp, int[] bias, VecQuant.Params rq, byte[] out, int o, int k, int pixels) {
            for (int p = 0; p < pixels; p += 8) {
                VecQuant.requantizeDoubleRows(ybuf, a + p * kp, kp, Math.min(8, pixels - p), bias, rq, 0, out, o + p * k, k, k);
            }
        }
    }

    private static final class SingleRows implements RowOut {
        @Override
        public void emit(int[] ybuf, int a, int kp, int[] bias, VecQuant.Params rq, byte[] out, int o, int k, int pixels) {
            // requantizeSingle itself, not requantizeLong's mode switch: inlined with both modes (the direct kernel's
            // profile makes both hot), the last single-rounding vector calls ran as allocating Java code in the suite
            for (int p = 0; p < pixels; p++) VecQuant.requantizeSingle(ybuf, a + p * kp, bias, rq, 0, out, o + p * k, k);
        }
    }

    private static final class FloatRows implements RowOut {
        @Override
        public void emit(int[] ybuf, int a, int kp, int[] bias, VecQuant.Params rq, byte[] out, int o, int k, int pixels) {
            for (int p = 0; p < pixels; p++) VecQuant.requantizeFloat(ybuf, a + p * kp, bias, rq, 0, out, o + p * k, k);
        }
    }

    @Override
    public String toString() {
        return "vector Winograd F(2x2,3x3) in exact float, " + slices + " channel slice" + (slices > 1 ? "s" : "");
    }
}
