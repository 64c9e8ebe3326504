package org.edgenn.runtime.kernels.vector;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.edgenn.runtime.kernels.KernelFactory;
import org.edgenn.runtime.kernels.SoftThreshold;

/**
 * Vector API soft threshold in int8 lanes, bit-exact to the scalar reference.
 *
 * <h2>Why byte lanes are exact</h2>
 * With {@code d = x − zp}, the reference {@code zp + sign(d)·max(|d| − θ, 0)} equals
 * {@code x − clamp(x, zp − θ, zp + θ) + zp} (inside the dead zone both give zp; above it
 * {@code x − θ}; below it {@code x + θ}). Clamping the bounds to [−128, 127] changes nothing since
 * x is int8, and the true result lies between x and zp, so it is an int8 value: computing it with
 * wrapping byte arithmetic (mod 256) gives it exactly. No widening, 64 values per AVX-512 vector.
 *
 * <p>The clamps are {@code lanewise(MAX/MIN/SUB, v)}, not {@code max(v)/min(v)/sub(v)}: on JDK 17 the latter, used with two
 * species in one JVM, left C2 boxing every result (see {@link VectorKernels}'s max pool).
 *
 * <h2>Channels</h2>
 * The bounds depend on the channel ({@code i mod c} of the flat NHWC buffer). They are prepared
 * as lane patterns of one period {@code lcm(c, lanes)}, so the loop runs over the flat buffer
 * with full vectors whatever c is (c = 1 is a broadcast, c = 64 one vector per pixel); only a
 * period longer than {@link #MAX_PERIOD} (a large c with few common factors) falls back to full
 * vectors within each pixel and a scalar tail per pixel.
 */
final class VectorSoftThreshold implements KernelFactory.SoftThresholdImpl {
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_PREFERRED;
    private static final int V = B.length();
    private static final VectorSpecies<Byte> B16 = ByteVector.SPECIES_128;
    static final int MAX_PERIOD = 1 << 14;
    private static final int SPAN = 1024;

    private final int c;
    private final byte zp;
    private final boolean flat;
    private final int period;
    private final byte[] lo, hi; // clamp bounds per position of the period (per channel when !flat)

    VectorSoftThreshold(SoftThreshold op) {
        c = op.channels();
        zp = (byte) op.zeroPoint();
        long lcm = (long) c / gcd(c, V) * V;
        flat = lcm <= MAX_PERIOD;
        period = flat ? (int) lcm : c;
        lo = new byte[period];
        hi = new byte[period];
        byte[] th = op.thresholds();
        for (int j = 0; j < period; j++) {
            int t = th[j % c];
            lo[j] = (byte) Math.max(op.zeroPoint() - t, -128);
            hi[j] = (byte) Math.min(op.zeroPoint() + t, 127);
        }
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    @Override
    public void run(byte[] in, int inOff, byte[] out, int outOff, int pixels) {
        if (flat) {
            runFlat(in, inOff, out, outOff, pixels * c);
        } else {
            for (int p = 0; p < pixels; p++) runPixel(in, inOff + p * c, out, outOff + p * c);
        }
    }

    /**
     * Spans of {@link #SPAN} values or more (a multiple of the period, so each starts at channel 0) go to a
     * vector leaf: a leaf called many times per run is compiled by C2 long before a single long loop would be.
     */
    private void runFlat(byte[] in, int inOff, byte[] out, int outOff, int n) {
        int span = Math.max(1, SPAN / period) * period;
        int full = n - n % V;
        for (int i = 0; i < full; i += span) span(in, inOff + i, out, outOff + i, Math.min(span, full - i));
        // the last n mod V values: 16 at a time, then one by one; full is a multiple of V and of no period
        // position past period − V, so the pattern runs on contiguously from full mod period
        int rest = n - (n - full) % B16.length();
        if (rest > full) tail16(in, inOff + full, out, outOff + full, rest - full, full % period);
        for (int i = rest; i < n; i++) out[outOff + i] = one(in[inOff + i], i % c);
    }

    private void tail16(byte[] in, int inOff, byte[] out, int outOff, int n, int j) {
        for (int i = 0; i < n; i += B16.length()) {
            ByteVector x = ByteVector.fromArray(B16, in, inOff + i);
            x.lanewise(VectorOperators.SUB, x.lanewise(VectorOperators.MAX, ByteVector.fromArray(B16, lo, j + i)).lanewise(VectorOperators.MIN, ByteVector.fromArray(B16, hi, j + i))).add(zp).intoArray(out, outOff + i);
        }
    }

    /** n a multiple of V; the first value is channel 0. */
    private void span(byte[] in, int inOff, byte[] out, int outOff, int n) {
        for (int i = 0, j = 0; i < n; i += V) {
            ByteVector x = ByteVector.fromArray(B, in, inOff + i);
            x.lanewise(VectorOperators.SUB, x.lanewise(VectorOperators.MAX, ByteVector.fromArray(B, lo, j)).lanewise(VectorOperators.MIN, ByteVector.fromArray(B, hi, j))).add(zp).intoArray(out, outOff + i);
            j += V;
            if (j == period) j = 0;
        }
    }

    private void runPixel(byte[] in, int inOff, byte[] out, int outOff) {
        int ch = 0;
        for (; ch <= c - V; ch += V) {
            ByteVector x = ByteVector.fromArray(B, in, inOff + ch);
            x.lanewise(VectorOperators.SUB, x.lanewise(VectorOperators.MAX, ByteVector.fromArray(B, lo, ch)).lanewise(VectorOperators.MIN, ByteVector.fromArray(B, hi, ch))).add(zp).intoArray(out, outOff + ch);
        }
        for (; ch < c; ch++) out[outOff + ch] = one(in[inOff + ch], ch);
    }

    private byte one(byte x, int ch) {
        return (byte) (x - Math.min(Math.max(x, lo[ch]), hi[ch]) + zp);
    }
}
