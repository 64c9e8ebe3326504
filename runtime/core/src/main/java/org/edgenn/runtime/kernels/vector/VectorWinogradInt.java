package org.edgenn.runtime.kernels.vector;

import static org.edgenn.runtime.kernels.vector.VecQuant.IS;
import static org.edgenn.runtime.kernels.vector.VecQuant.L;

import java.util.Arrays;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.edgenn.runtime.kernels.Conv2d;
import org.edgenn.runtime.kernels.Conv2dSpec;
import org.edgenn.runtime.kernels.KernelFactory;

/**
 * 3×3, stride 1, one-group convolutions as Winograd F(4×4, 3×3) in <em>wrapping int32</em> arithmetic, bit-exact to the
 * scalar reference. Each 4×4 block of outputs needs 36 products per (input, output) channel pair instead of 144 (direct)
 * or 64 (F(2×2, 3×3), the exact-float Winograd kernel of issue 19's sessions 7–8 that this class replaced). An int32
 * multiply-add (vpmulld + vpaddd) costs ≈ 1.1 float FMAs on this machine's Zen 4 (register-blocked micro-kernel,
 * measured: 2.9 against 3.3 G zmm operations per second), so the multiply phase is ≈ 1.6× cheaper than F(2×2,3×3)'s,
 * with no float → int conversion and no channel slicing.
 *
 * <h2>Why it is exact</h2>
 * Lavin's F(4, 3) matrices: Bᵀ and Aᵀ are integer, G has denominators dividing 24. With G24 = 24·G (integer) the filter
 * transform U24 = G24 g G24ᵀ is an integer and {@code Aᵀ[(U24 ⊙ Bᵀ d B)]A = 576·y}, y = Σ x·w over the 3×3×C window
 * (raw int8 inputs, padding materialized as x = zx). Everything is computed modulo 2^32 (Java int arithmetic and
 * vpmulld/vpaddd wrap), where the identity still holds. 576 = 64·9 and 9 is odd, so it has an inverse modulo 2^32
 * ({@link #INV9}); the prepared weights are U' = U24·INV9 (wrapping), which makes the output transform yield
 * 64·y (mod 2^32). If |y| < 2^25, 64·y is itself an int32, so the arithmetic shift by 6 gives y exactly. The layer is
 * routed here only if 128·Σ|w| < 2^25 for every output channel (|x| ≤ 128), checked at prepare ({@link #suits}): every
 * 3×3 layer with C ≤ 227, and wider layers whose weights allow it (e.g. mean |w| < 56 at C = 512). Then, as in
 * {@link VectorConv2d}, {@code acc = y + (bias − zx·Σw)} and the same requantization ({@link VecQuant}). No float is
 * involved, so no bound on partial sums is needed: every intermediate may wrap.
 *
 * <h2>Data flow per run</h2>
 * The image is widened once to int32, padded with zx up to 4·tiles + 2 rows and columns, its columns de-interleaved by
 * x mod 4 so that the six inputs of every tile of a row sit at six fixed offsets plus t·c. Per row of tiles: the input
 * transform (Bᵀ along the rows, then along the columns: each pass one run over tiles × channels) writes V[ij][tile][c];
 * 36 GEMMs over the channels (micro-kernel: 2 tiles × 2 vectors of output channels, 4 accumulators) write
 * M[ij][tile][kp]; the output transform (two passes, the second with the shift by 6) writes four output rows of y,
 * requantized by {@link WinogradRows}. All buffers are allocated at prepare. Every compiled leaf holds ≤ 16 Vector API
 * operations and is over C2's 325-byte inlining limit, so no compilation sums the traps of two (docs/runtime-core.md,
 * "Why it allocated in some JVMs").
 */
final class VectorWinogradInt implements KernelFactory.Conv2dImpl {
    private static final VectorSpecies<Byte> BS = VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 8));
    /** Output channels per micro-kernel call: 2 vectors. */
    private static final int BW = 2 * L;
    /** The inverse of 9 modulo 2^32: 9 · 0x38E38E39 = 2^33 + 1. */
    static final int INV9 = 0x38E38E39;
    /** |y| must stay below 2^25 for 64·y to be an int32. */
    static final long Y_LIMIT = 1L << 25;
    /** G24 = 24·G of Lavin's F(4, 3). */
    private static final int[][] G24 = {{6, 0, 0}, {-4, -4, -4}, {-4, 4, -4}, {1, 2, 4}, {1, -2, 4}, {0, 0, 24}};

    private final Conv2dSpec s;
    private final int c, k, nb, kp, oh, ow, tilesX, tilesY, hp, groups, rowLen;
    private final int zx;
    private final int[] upk;      // U'[ij][kBlock][c][BW]
    private final int[] biasAdj;  // bias − zx·Σw per padded output channel
    private final VecQuant.Params rq;
    private final WinogradRows.RowOut rowOut;
    private final int[] xi;       // padded int image, columns de-interleaved: [hp][x mod 4][x div 4][c]
    private final int[] hbuf;     // horizontal pass of the 6 input rows: [r][j][tile][c]
    private final int[] vbuf;     // V[i][j][tile][c]
    private final int[] mbuf;     // M[i][j][tile][kp]
    private final int[] tbuf;     // vertical output pass: [a][j][tile][kp]
    private final int[] ybuf;     // four output rows, [a][x mod 4][x div 4][kp]

    /**
     * Fewest input channels for which the transforms pay (the GEMM saves multiply-adds per channel pair while the
     * transforms cost per channel), the float F(2×2,3×3) path's measured threshold (issue 19, session 7), kept.
     */
    static final int MIN_C = 48;
    private static final int MIN_K = 2 * L + 1;

    /** Whether the shape is one this kernel computes (before the exactness bound): 3×3, stride 1, no dilation, one group. */
    static boolean shapeSuits(Conv2dSpec s) {
        return s.groups() == 1 && s.fy() == 3 && s.fx() == 3 && s.strideY() == 1 && s.strideX() == 1
                && s.dilationY() == 1 && s.dilationX() == 1 && s.c() >= MIN_C && s.k() >= MIN_K;
    }

    /** Whether this kernel computes the layer exactly: the shape ({@link #shapeSuits}), int8 data, and |y| < 2^25. */
    static boolean suits(Conv2d layer) {
        Conv2dSpec s = layer.spec();
        if (layer.quant().wide() || !shapeSuits(s)) return false;
        byte[] w = layer.weights();
        int per = 9 * s.c();
        for (int o = 0; o < s.k(); o++) {
            long sum = 0;
            for (int i = o * per; i < (o + 1) * per; i++) sum += Math.abs(w[i]);
            if (128 * sum >= Y_LIMIT) return false;
        }
        return true;
    }

    VectorWinogradInt(Conv2d layer) {
        if (!suits(layer)) throw new IllegalArgumentException("layer " + layer.spec() + " is not exact in int Winograd F(4x4,3x3)");
        s = layer.spec();
        c = s.c();
        k = s.k();
        nb = (k + BW - 1) / BW;
        kp = nb * BW;
        oh = s.outH();
        ow = s.outW();
        tilesY = (oh + 3) / 4;
        tilesX = (ow + 3) / 4;
        hp = 4 * tilesY + 2;
        groups = tilesX + 1; // padded width 4·tilesX + 2 = columns x in 4 phases of at most tilesX + 1
        rowLen = 4 * groups * c;
        zx = layer.inputZeroPoint();
        byte[] w = layer.weights();
        upk = new int[36 * nb * c * BW];
        int[][] t = new int[6][3];
        for (int o = 0; o < k; o++)
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < 6; i++)
                    for (int b = 0; b < 3; b++) {
                        int sum = 0;
                        for (int a = 0; a < 3; a++) sum += G24[i][a] * w[((o * 3 + a) * 3 + b) * c + ch];
                        t[i][b] = sum;
                    }
                for (int i = 0; i < 6; i++)
                    for (int j = 0; j < 6; j++) {
                        int sum = 0;
                        for (int b = 0; b < 3; b++) sum += t[i][b] * G24[j][b];
                        upk[(((i * 6 + j) * nb + o / BW) * c + ch) * BW + o % BW] = sum * INV9; // wrapping on purpose
                    }
            }
        biasAdj = new int[kp];
        int[] map = new int[kp];
        for (int o = 0; o < kp; o++) {
            map[o] = o < k ? o : -1;
            if (o >= k) continue;
            int sum = 0;
            for (int i = o * 9 * c; i < (o + 1) * 9 * c; i++) sum += w[i];
            biasAdj[o] = layer.bias()[o] - zx * sum;
        }
        rq = VecQuant.Params.of(layer.requantizer(), k, map);
        rowOut = WinogradRows.of(rq);
        xi = new int[hp * rowLen];
        int tc = tilesX * c, tk = tilesX * kp;
        hbuf = new int[36 * tc];
        vbuf = new int[36 * tc];
        mbuf = new int[36 * tk];
        tbuf = new int[24 * tk];
        ybuf = new int[16 * tk];
    }

    @Override
    public void accumulate(byte[] in, int[] acc) {
        compute(in, null, acc);
    }

    @Override
    public void run(byte[] in, byte[] out) {
        compute(in, out, null);
    }

    /**
     * Per row of tiles, every transform pass is one loop over a contiguous run (tiles × channels): C2 vectorizes long
     * loops only (a 64-channel loop, one per tile, ran scalar: 1 ms for the input transform of a 56×56×64 image). The
     * de-interleaved columns of {@link #xi} make the six inputs of every tile of a row the same offsets plus t·c.
     */
    private void compute(byte[] in, byte[] out, int[] acc) {
        int tc = tilesX * c, tk = tilesX * kp, phase = groups * c;
        for (int b = 0; b < s.n(); b++) {
            load(in, b);
            for (int ty = 0; ty < tilesY; ty++) {
                for (int r = 0; r < 6; r++) { // Bᵀ along the row: columns 4t + q are phase q % 4, group t + q / 4
                    int x = (4 * ty + r) * rowLen;
                    inputAxis(xi, x, x + phase, x + 2 * phase, x + 3 * phase, x + c, x + phase + c, hbuf, 6 * r * tc, tc, tc);
                }
                inputAxis(hbuf, 0, 6 * tc, 12 * tc, 18 * tc, 24 * tc, 30 * tc, vbuf, 0, 6 * tc, 6 * tc); // and along the column
                gemmRow();
                outputAxis(mbuf, 0, 6 * tk, tbuf, 0, 6 * tk, 6 * tk, 0);
                for (int a = 0; a < 4; a++) outputAxis(tbuf, 6 * a * tk, tk, ybuf, 4 * a * tk, tk, tk, 6);
                for (int a = 0; a < 4 && 4 * ty + a < oh; a++) emitRow(b, 4 * ty + a, 4 * a * tk, out, acc);
            }
        }
    }

    /**
     * M[ij][tile][kp] of the current tile row: 36 GEMMs over the channels. One call site of the micro-kernel (an odd last
     * tile is paired with itself, its values written twice): C2 inlines a small callee at every hot call site, and two
     * inlined copies would double the compilation's vector operations (see {@link #kernel}).
     */
    private void gemmRow() {
        for (int ij = 0; ij < 36; ij++)
            for (int t = 0; t < tilesX; t += 2) {
                int v0 = (ij * tilesX + t) * c, m0 = (ij * tilesX + t) * kp;
                boolean pair = t + 1 < tilesX;
                for (int ob = 0; ob < nb; ob++) {
                    kernel(vbuf, v0, pair ? c : 0, upk, (ij * nb + ob) * c * BW, mbuf, m0 + ob * BW, pair ? kp : 0, c);
                }
            }
    }

    /**
     * 2 tiles × 2 vectors of output channels, wrapping int32: m[mo + q·ms + v·L ..] = Σ_i v[vb + q·vs + i] · u[uo + i·BW
     * + v·L ..], q, v = 0, 1, i in [0, c) (vs = ms = 0: one tile, computed twice).
     * <p>
     * 8 Vector API operations (4 multiplies, 4 adds). A 2 × 4 block (16 operations, 8 accumulators) ran 20 % faster in
     * isolation (2.95 against 2.45 G zmm multiply-adds per second, thread CPU) but in 1 of 2 runs of runtime-core's whole
     * suite C2 compiled it with its vector operations as allocating Java calls (14 MB per call of a 14×14 layer, every
     * requantization mode): each inlined {@code lanewise} adds the class-check traps that the JVM's other int species
     * left in the JDK's shared methods to the compilation's budget (docs/runtime-core.md, "Why it allocated in some
     * JVMs"). Half the operations, twice the margin. Int lanes are combined with {@code lanewise(op, vector)} called
     * from this method (never the {@code add}/{@code mul} conveniences, whose type profile every int species shares).
     */
    static void kernel(int[] v, int vb, int vs, int[] u, int uo, int[] m, int mo, int ms, int c) {
        IntVector a00 = IntVector.zero(IS), a01 = a00, a10 = a00, a11 = a00;
        int v1 = vb + vs;
        for (int i = 0; i < c; i++, uo += BW) {
            IntVector w0 = IntVector.fromArray(IS, u, uo);
            IntVector w1 = IntVector.fromArray(IS, u, uo + L);
            IntVector b = IntVector.broadcast(IS, v[vb + i]);
            a00 = a00.lanewise(VectorOperators.ADD, w0.lanewise(VectorOperators.MUL, b));
            a01 = a01.lanewise(VectorOperators.ADD, w1.lanewise(VectorOperators.MUL, b));
            b = IntVector.broadcast(IS, v[v1 + i]);
            a10 = a10.lanewise(VectorOperators.ADD, w0.lanewise(VectorOperators.MUL, b));
            a11 = a11.lanewise(VectorOperators.ADD, w1.lanewise(VectorOperators.MUL, b));
        }
        a00.intoArray(m, mo);
        a01.intoArray(m, mo + L);
        int m1 = mo + ms;
        a10.intoArray(m, m1);
        a11.intoArray(m, m1 + L);
    }

    /**
     * Bᵀ of F(4, 3) along one axis, over n contiguous values: inputs d_q = s[sq + i] (q = 0..5), outputs to
     * d[dOff + q·ds + i]. Rows of Bᵀ: [4, 0, −5, 0, 1, 0], [0, −4, −4, 1, 1, 0], [0, 4, −4, −1, 1, 0],
     * [0, −2, −1, 2, 1, 0], [0, 2, −1, −2, 1, 0], [0, 4, 0, −5, 0, 1]; |result| ≤ 10·|input|, so two passes over int8
     * data stay within 100·128. Two Vector API leaves of 12 and 8 operations (the trap budget, see {@link #kernel});
     * plain loops were not vectorized by JDK 17's C2 (several invariant offsets into one array: 5.5 ns per value).
     */
    static void inputAxis(int[] s, int s0, int s1, int s2, int s3, int s4, int s5, int[] d, int dOff, int ds, int n) {
        inputRows012(s, s0, s1, s2, s3, s4, d, dOff, ds, n);
        inputRows345(s, s1, s2, s3, s4, s5, d, dOff + 3 * ds, ds, n);
    }

    /** Rows 0–2 of {@link #inputAxis}: 4(d0 − d2) + (d4 − d2), (d3 + d4) − 4(d1 + d2), (d4 − d3) + 4(d1 − d2). */
    private static void inputRows012(int[] s, int s0, int s1, int s2, int s3, int s4, int[] d, int dOff, int ds, int n) {
        IntVector two = IntVector.broadcast(IS, 2);
        int o1 = dOff + ds, o2 = o1 + ds, i = 0;
        for (; i <= n - L; i += L) {
            IntVector d0 = IntVector.fromArray(IS, s, s0 + i), d1 = IntVector.fromArray(IS, s, s1 + i);
            IntVector d2 = IntVector.fromArray(IS, s, s2 + i), d3 = IntVector.fromArray(IS, s, s3 + i);
            IntVector d4 = IntVector.fromArray(IS, s, s4 + i);
            d0.lanewise(VectorOperators.SUB, d2).lanewise(VectorOperators.LSHL, two)
                    .lanewise(VectorOperators.ADD, d4.lanewise(VectorOperators.SUB, d2)).intoArray(d, dOff + i);
            d3.lanewise(VectorOperators.ADD, d4)
                    .lanewise(VectorOperators.SUB, d1.lanewise(VectorOperators.ADD, d2).lanewise(VectorOperators.LSHL, two)).intoArray(d, o1 + i);
            d4.lanewise(VectorOperators.SUB, d3)
                    .lanewise(VectorOperators.ADD, d1.lanewise(VectorOperators.SUB, d2).lanewise(VectorOperators.LSHL, two)).intoArray(d, o2 + i);
        }
        for (; i < n; i++) {
            int d0 = s[s0 + i], d1 = s[s1 + i], d2 = s[s2 + i], d3 = s[s3 + i], d4 = s[s4 + i];
            d[dOff + i] = ((d0 - d2) << 2) + (d4 - d2);
            d[o1 + i] = (d3 + d4) - ((d1 + d2) << 2);
            d[o2 + i] = (d4 - d3) + ((d1 - d2) << 2);
        }
    }

    /** Rows 3–5 of {@link #inputAxis}, output row 3 at dOff: e ± t with e = d4 − d2, t = 2(d3 − d1); (d5 − d3) − 2t. */
    private static void inputRows345(int[] s, int s1, int s2, int s3, int s4, int s5, int[] d, int dOff, int ds, int n) {
        int o1 = dOff + ds, o2 = o1 + ds, i = 0;
        for (; i <= n - L; i += L) {
            IntVector d1 = IntVector.fromArray(IS, s, s1 + i), d2 = IntVector.fromArray(IS, s, s2 + i);
            IntVector d3 = IntVector.fromArray(IS, s, s3 + i), d4 = IntVector.fromArray(IS, s, s4 + i);
            IntVector d5 = IntVector.fromArray(IS, s, s5 + i);
            IntVector e = d4.lanewise(VectorOperators.SUB, d2), h = d3.lanewise(VectorOperators.SUB, d1);
            IntVector t = h.lanewise(VectorOperators.ADD, h);
            e.lanewise(VectorOperators.ADD, t).intoArray(d, dOff + i);
            e.lanewise(VectorOperators.SUB, t).intoArray(d, o1 + i);
            d5.lanewise(VectorOperators.SUB, d3).lanewise(VectorOperators.SUB, t.lanewise(VectorOperators.ADD, t)).intoArray(d, o2 + i);
        }
        for (; i < n; i++) {
            int d1 = s[s1 + i], d2 = s[s2 + i], d3 = s[s3 + i], d4 = s[s4 + i], d5 = s[s5 + i];
            int e = d4 - d2, t = (d3 - d1) << 1;
            d[dOff + i] = e + t;
            d[o1 + i] = e - t;
            d[o2 + i] = (d5 - d3) - (t << 1);
        }
    }

    /**
     * Aᵀ of F(4, 3) along one axis (rows [1, 1, 1, 1, 1, 0], [0, 1, −1, 2, −2, 0], [0, 1, 1, 4, 4, 0],
     * [0, 1, −1, 8, −8, 1]), wrapping int32, over n contiguous values: inputs m_q = s[so + q·ss + i], q = 0..5, outputs
     * to d[dOff + a·ds + i], a = 0..3, arithmetically shifted right by {@code shift} (6 in the second pass: 64·y → y,
     * see the class comment; 0 in the first). Two leaves of 10 and 11 operations.
     */
    static void outputAxis(int[] s, int so, int ss, int[] d, int dOff, int ds, int n, int shift) {
        outputRows01(s, so, ss, d, dOff, ds, n, shift);
        outputRows23(s, so + ss, ss, d, dOff + 2 * ds, ds, n, shift);
    }

    /** Rows 0–1 of {@link #outputAxis}: m0 + (m1 + m2) + (m3 + m4), (m1 − m2) + 2(m3 − m4). */
    private static void outputRows01(int[] s, int so, int ss, int[] d, int dOff, int ds, int n, int shift) {
        IntVector sh = IntVector.broadcast(IS, shift);
        int s1 = so + ss, s2 = s1 + ss, s3 = s2 + ss, s4 = s3 + ss, o1 = dOff + ds, i = 0;
        for (; i <= n - L; i += L) {
            IntVector m1 = IntVector.fromArray(IS, s, s1 + i), m2 = IntVector.fromArray(IS, s, s2 + i);
            IntVector m3 = IntVector.fromArray(IS, s, s3 + i), m4 = IntVector.fromArray(IS, s, s4 + i);
            IntVector q = m3.lanewise(VectorOperators.SUB, m4);
            IntVector.fromArray(IS, s, so + i).lanewise(VectorOperators.ADD, m1.lanewise(VectorOperators.ADD, m2))
                    .lanewise(VectorOperators.ADD, m3.lanewise(VectorOperators.ADD, m4)).lanewise(VectorOperators.ASHR, sh).intoArray(d, dOff + i);
            m1.lanewise(VectorOperators.SUB, m2).lanewise(VectorOperators.ADD, q.lanewise(VectorOperators.ADD, q))
                    .lanewise(VectorOperators.ASHR, sh).intoArray(d, o1 + i);
        }
        for (; i < n; i++) {
            int m1 = s[s1 + i], m2 = s[s2 + i], m3 = s[s3 + i], m4 = s[s4 + i];
            d[dOff + i] = (s[so + i] + (m1 + m2) + (m3 + m4)) >> shift;
            d[o1 + i] = ((m1 - m2) + ((m3 - m4) << 1)) >> shift;
        }
    }

    /** Rows 2–3 of {@link #outputAxis} (inputs from m1 at so, output row 2 at dOff): (m1 + m2) + 4(m3 + m4), (m1 − m2) + 8(m3 − m4) + m5. */
    private static void outputRows23(int[] s, int so, int ss, int[] d, int dOff, int ds, int n, int shift) {
        IntVector sh = IntVector.broadcast(IS, shift), two = IntVector.broadcast(IS, 2), three = IntVector.broadcast(IS, 3);
        int s2 = so + ss, s3 = s2 + ss, s4 = s3 + ss, s5 = s4 + ss, o1 = dOff + ds, i = 0;
        for (; i <= n - L; i += L) {
            IntVector m1 = IntVector.fromArray(IS, s, so + i), m2 = IntVector.fromArray(IS, s, s2 + i);
            IntVector m3 = IntVector.fromArray(IS, s, s3 + i), m4 = IntVector.fromArray(IS, s, s4 + i);
            m1.lanewise(VectorOperators.ADD, m2).lanewise(VectorOperators.ADD, m3.lanewise(VectorOperators.ADD, m4).lanewise(VectorOperators.LSHL, two))
                    .lanewise(VectorOperators.ASHR, sh).intoArray(d, dOff + i);
            m1.lanewise(VectorOperators.SUB, m2).lanewise(VectorOperators.ADD, m3.lanewise(VectorOperators.SUB, m4).lanewise(VectorOperators.LSHL, three))
                    .lanewise(VectorOperators.ADD, IntVector.fromArray(IS, s, s5 + i)).lanewise(VectorOperators.ASHR, sh).intoArray(d, o1 + i);
        }
        for (; i < n; i++) {
            int m1 = s[so + i], m2 = s[s2 + i], m3 = s[s3 + i], m4 = s[s4 + i];
            d[dOff + i] = ((m1 + m2) + ((m3 + m4) << 2)) >> shift;
            d[o1 + i] = ((m1 - m2) + ((m3 - m4) << 3) + s[s5 + i]) >> shift;
        }
    }

    /** int8 NHWC image b → {@link #xi} (padding and the extra tile rows/columns = zx), columns de-interleaved. */
    private void load(byte[] in, int b) {
        int h = s.h(), w = s.w(), pt = s.padTop(), pl = s.padLeft(), wp = 4 * tilesX + 2;
        Arrays.fill(xi, 0, pt * rowLen, zx);
        Arrays.fill(xi, Math.min(hp, pt + h) * rowLen, hp * rowLen, zx);
        int src0 = b * h * w * c, phase = groups * c;
        for (int y = 0; y < h && y + pt < hp; y++) {
            int row = (y + pt) * rowLen;
            for (int x = 0; x < wp; x++) {
                int dst = row + (x & 3) * phase + (x >> 2) * c, sx = x - pl;
                if (sx >= 0 && sx < w) toInts(in, src0 + (y * w + sx) * c, xi, dst, c);
                else Arrays.fill(xi, dst, dst + c, zx);
            }
        }
    }

    /** Vector leaf (one conversion per L bytes): dst[d, d+n) = src[s, s+n) widened to int32. */
    private static void toInts(byte[] src, int s, int[] dst, int d, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            ((IntVector) ByteVector.fromArray(BS, src, s + i).convertShape(VectorOperators.B2I, IS, 0)).intoArray(dst, d + i);
        }
        for (; i < n; i++) dst[d + i] = src[s + i];
    }

    /**
     * Output row y of image b from ybuf[a, ...) ([x mod 4][x div 4][kp]): requantized (one call per column phase, pixels
     * 4 apart in the output), or as accumulators.
     */
    private void emitRow(int b, int y, int a, byte[] out, int[] acc) {
        int o = (b * oh + y) * ow * k, tk = tilesX * kp;
        for (int ph = 0; ph < 4 && ph < ow; ph++) {
            int pixels = (ow - ph + 3) / 4, ya = a + ph * tk;
            if (acc != null) {
                for (int p = 0; p < pixels; p++)
                    for (int j = 0; j < k; j++) acc[o + (4 * p + ph) * k + j] = ybuf[ya + p * kp + j] + biasAdj[j];
            } else {
                rowOut.emit(ybuf, ya, kp, biasAdj, rq, out, o + ph * k, 4 * k, k, pixels);
            }
        }
    }

    @Override
    public String toString() {
        return "vector Winograd F(4x4,3x3) in wrapping int32";
    }
}
