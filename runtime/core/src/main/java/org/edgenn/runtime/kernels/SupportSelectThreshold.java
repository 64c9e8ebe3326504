package org.edgenn.runtime.kernels;

import org.edgenn.runtime.quant.QuantParams;
import org.edgenn.runtime.quant.Quantization;
import org.edgenn.runtime.tensor.ActivationBytes;

/**
 * Thresholding with support selection on int8 vectors (LISTA-SS / CPSS / ALISTA, Chen et al. 2018), in the input's
 * quantized units, one vector of {@code channels} values per pixel (a dense layer's sample, or NHWC's channels):
 * with {@code d = x − zp} and the rank of an entry = the number of entries of its vector with a larger {@code |d|},
 * or an equal one at a lower index,
 * <pre>
 *   kept:  rank &lt; count and |d| &gt; θ[c]    →  y = x                     (bypasses the threshold)
 *   else:                                  →  y = zp + sign(d)·max(|d| − θ[c], 0)   (soft threshold)
 * </pre>
 * {@code count = 0} is the soft threshold, {@code count = channels} the hard threshold with the soft one's
 * zero (every entry over θ kept, the others 0). Ties are frequent in int8, so the tie rule (lower index first) is
 * part of the contract, shared with the hardware model and the float reference. The output keeps the input's
 * quantization; nothing can overflow ({@code |y − zp| ≤ |d|}).
 *
 * <p>On 16-bit data ({@link #prepare(float[], QuantParams, int, int)} with an int16 quantization: an ALISTA state kept
 * at 16 bits) the buffers hold two bytes per value ({@link ActivationBytes}), the thresholds are in [0, 32767] and the
 * rule is the same; the vector's magnitudes are then ranked by sorting instead of by a 256-bucket count.
 */
public final class SupportSelectThreshold {
    private final int channels;
    private final int count;
    private final byte[] thresholds;
    private final int[] wideThresholds;
    private final int zeroPoint;
    private final int bits;
    /** Scratch of the 16-bit path (sort keys, top-rank marks): a prepared op is not thread-safe, like {@link Conv2d}. */
    private final long[] keys;
    private final boolean[] top;

    private SupportSelectThreshold(byte[] thresholds, int[] wideThresholds, int count, int zeroPoint, int bits) {
        this.channels = wideThresholds.length;
        this.count = count;
        this.thresholds = thresholds;
        this.wideThresholds = wideThresholds;
        this.zeroPoint = zeroPoint;
        this.bits = bits;
        this.keys = bits == 16 ? new long[channels] : null;
        this.top = bits == 16 ? new boolean[channels] : null;
    }

    /**
     * Real thresholds {@code theta} (one, broadcast, or one per channel) in the units of {@code q}, an 8- or 16-bit
     * quantization ({@code clamp(round(θ / scale), 0, max of the width)}), over vectors of {@code channels} values.
     * @throws IllegalArgumentException for another width, a threshold count that is neither 1 nor {@code channels}, or a
     *         count outside {@code 0..channels}
     */
    public static SupportSelectThreshold prepare(float[] theta, QuantParams q, int count, int channels) {
        if (q.bits() == 8) return prepare(broadcast(SoftThreshold.quantizeThresholds(theta, q), channels), count, q.zeroPoint());
        if (q.bits() != 16) throw new IllegalArgumentException("support selection takes 8- or 16-bit activations, got int" + q.bits());
        if (theta == null || (theta.length != 1 && theta.length != channels))
            throw new IllegalArgumentException((theta == null ? 0 : theta.length) + " thresholds for " + channels + " channels");
        if (count < 0 || count > channels) throw new IllegalArgumentException("count " + count + " outside 0.." + channels);
        int[] t = new int[channels];
        for (int i = 0; i < channels; i++) {
            float th = theta[theta.length == 1 ? 0 : i];
            t[i] = Quantization.clamp((long) Quantization.round(th / (double) q.scale()), 0, QuantParams.max(16));
        }
        return new SupportSelectThreshold(null, t, count, q.zeroPoint(), 16);
    }

    /**
     * @param thresholds one non-negative threshold per channel, in the input's units ({@link SoftThreshold#quantizeThresholds})
     * @param count      how many of the largest magnitudes per vector may bypass the threshold, {@code 0..channels}
     * @throws IllegalArgumentException for a negative threshold, a count outside {@code 0..channels} or a zero point outside int8
     */
    public static SupportSelectThreshold prepare(byte[] thresholds, int count, int zeroPoint) {
        if (thresholds == null || thresholds.length == 0) throw new IllegalArgumentException("no thresholds");
        for (int i = 0; i < thresholds.length; i++) {
            if (thresholds[i] < 0) throw new IllegalArgumentException("threshold[" + i + "] = " + thresholds[i] + " is negative");
        }
        if (count < 0 || count > thresholds.length)
            throw new IllegalArgumentException("count " + count + " outside 0.." + thresholds.length);
        if (zeroPoint < -128 || zeroPoint > 127) throw new IllegalArgumentException("zero point outside int8: " + zeroPoint);
        byte[] t = thresholds.clone();
        int[] wide = new int[t.length];
        for (int i = 0; i < t.length; i++) wide[i] = t[i];
        return new SupportSelectThreshold(t, wide, count, zeroPoint, 8);
    }

    /**
     * One threshold repeated over {@code channels} (a single θ over a vector), or the per-channel thresholds as they are.
     * @throws IllegalArgumentException for any other count
     */
    public static byte[] broadcast(byte[] thresholds, int channels) {
        if (thresholds.length == channels) return thresholds.clone();
        if (thresholds.length != 1) throw new IllegalArgumentException(thresholds.length + " thresholds for " + channels + " channels");
        byte[] t = new byte[channels];
        java.util.Arrays.fill(t, thresholds[0]);
        return t;
    }

    /** Whole buffers: the value count must be a multiple of the channel count. */
    public void run(byte[] in, byte[] out) {
        int per = ActivationBytes.bytesPerValue(bits);
        if (in.length != out.length || in.length % (channels * per) != 0) {
            throw new IllegalArgumentException("SupportSelectThreshold: buffers of " + in.length + " and " + out.length
                    + " bytes must be equal and a multiple of " + channels + " channels of int" + bits);
        }
        if (bits == 16) {
            for (int off = 0; off < in.length / per; off += channels) runWide(in, out, off);
            return;
        }
        int[] bucket = new int[256]; // |x − zp| ≤ 255
        for (int off = 0; off < in.length; off += channels) run(in, out, off, bucket);
    }

    /**
     * One 16-bit vector (offset in values): the entries sorted by (magnitude descending, index ascending), packed into
     * one long each so that a plain ascending sort orders them; the first {@code count} are the top ranks.
     */
    private void runWide(byte[] in, byte[] out, int off) {
        for (int i = 0; i < channels; i++) {
            int mag = Math.abs(ActivationBytes.getShort(in, off + i) - zeroPoint);   // ≤ 65,535
            keys[i] = ((long) (65_535 - mag) << 32) | i;
        }
        java.util.Arrays.sort(keys);
        java.util.Arrays.fill(top, false);
        for (int r = 0; r < count; r++) top[(int) keys[r]] = true;
        for (int i = 0; i < channels; i++) {
            int x = ActivationBytes.getShort(in, off + i), d = x - zeroPoint, mag = Math.abs(d), th = wideThresholds[i];
            if (top[i] && mag > th) {
                ActivationBytes.setShort(out, off + i, x);
            } else {
                int m = Math.max(mag - th, 0);
                ActivationBytes.setShort(out, off + i, zeroPoint + (d < 0 ? -m : m));
            }
        }
    }

    /**
     * One vector, in O(channels): a counting sort of the magnitudes (0..255) finds the smallest magnitude that is
     * kept and how many entries of exactly that magnitude fit; those are taken in index order.
     */
    private void run(byte[] in, byte[] out, int off, int[] bucket) {
        java.util.Arrays.fill(bucket, 0);
        for (int i = 0; i < channels; i++) bucket[Math.abs(in[off + i] - zeroPoint)]++;
        int cut = 256, above = 0; // entries with |d| > cut all ranked below count
        while (cut > 0 && above + bucket[cut - 1] <= count) above += bucket[--cut];
        // magnitudes >= cut are all within the first `above` ranks; magnitude cut-1 has (count - above) more places
        int boundary = cut - 1, extra = count - above;
        for (int i = 0; i < channels; i++) {
            int x = in[off + i], d = x - zeroPoint, mag = Math.abs(d);
            boolean top = mag >= cut || (mag == boundary && extra-- > 0);
            if (top && mag > thresholds[i]) {
                out[off + i] = (byte) x;
            } else {
                int m = Math.max(mag - thresholds[i], 0);
                out[off + i] = (byte) (zeroPoint + (d < 0 ? -m : m));
            }
        }
    }

    public int channels() { return channels; }
    public int count() { return count; }
    /** The int8 thresholds of an 8-bit op (null for a 16-bit one, see {@link #threshold(int)}). Do not modify. */
    public byte[] thresholds() { return thresholds; }
    /** Threshold of channel {@code c} in quantized units, any width. */
    public int threshold(int c) { return wideThresholds[c]; }
    /** Width of the data: 8 or 16. */
    public int bits() { return bits; }
    public int zeroPoint() { return zeroPoint; }
}
