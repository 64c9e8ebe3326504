package org.edgenn.runtime.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Diagnostic for issue 19 (docs/BENCHMARKS.md, "C2's VNNI path"): the one loop shape in which HotSpot's C2 emits
 * AVX-512 VNNI {@code vpdpwssd} from plain Java, on JDK 17 and 25 alike. Each lane {@code k} of an int accumulator
 * array adds one int16 pair product {@code w[2k]·x[2k] + w[2k+1]·x[2k+1]} (superword's {@code MulAddS2I} →
 * {@code MulAddVS2VI}, fused with the add into {@code vpdpwssd}). In a convolution the lanes would be output channels,
 * {@code w} a packed weight-pair panel and {@code x} the input pair broadcast over the lanes — which C2 can only
 * load from memory, like the accumulators: three vector loads and one store per instruction, all L1-resident here.
 * {@code floatFma} is the same loop in float lanes (one product per lane) for scale. MACs per call: 2n (both int16
 * forms) and n (float).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PairMulAddBench {
    /** Lanes per call: 64 is one 64-channel block (C2 then unrolls less and packs 128-bit vectors), 1024 a long loop. */
    @Param({"64", "1024"})
    public int n;

    private short[] w, x;
    private int[] acc;
    private float[] wf, xf, accf;

    @Setup
    public void setup() {
        Random r = new Random(7);
        w = new short[2 * n];
        x = new short[2 * n];
        for (int i = 0; i < 2 * n; i++) {
            w[i] = (short) (r.nextInt(256) - 128);
            x[i] = (short) (r.nextInt(511) - 255);
        }
        acc = new int[n];
        wf = new float[n];
        xf = new float[n];
        for (int i = 0; i < n; i++) {
            wf[i] = w[i];
            xf[i] = x[i];
        }
        accf = new float[n];
    }

    @Benchmark
    public int[] int16Pairs() {
        pairs(acc, w, x, n);
        return acc;
    }

    /** The reduction form (lanes = reduction axis), which would allow register blocking: C2 leaves it scalar. n pairs. */
    @Benchmark
    public int int16Reduction() {
        return reduction(w, x, n);
    }

    @Benchmark
    public float[] floatFma() {
        products(accf, wf, xf, n);
        return accf;
    }

    /** One pair per lane and statement: the shape C2 turns into vpdpwssd (two pairs in one statement are not vectorized). */
    static void pairs(int[] acc, short[] w, short[] x, int n) {
        for (int k = 0; k < n; k++) acc[k] += w[2 * k] * x[2 * k] + w[2 * k + 1] * x[2 * k + 1];
    }

    static int reduction(short[] a, short[] b, int n) {
        int s = 0;
        for (int i = 0; i < n; i++) s += a[2 * i] * b[2 * i] + a[2 * i + 1] * b[2 * i + 1];
        return s;
    }

    static void products(float[] acc, float[] w, float[] x, int n) {
        for (int k = 0; k < n; k++) acc[k] += w[k] * x[k];
    }
}
