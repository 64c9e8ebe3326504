package org.edgenn.runtime.kernels;

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
 */
public final class SupportSelectThreshold {
    private final int channels;
    private final int count;
    private final byte[] thresholds;
    private final int zeroPoint;

    private SupportSelectThreshold(byte[] thresholds, int count, int zeroPoint) {
        this.channels = thresholds.length;
        this.count = count;
        this.thresholds = thresholds;
        this.zeroPoint = zeroPoint;
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
        return new SupportSelectThreshold(thresholds.clone(), count, zeroPoint);
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

    /** Whole buffers: the length must be a multiple of the channel count. */
    public void run(byte[] in, byte[] out) {
        if (in.length != out.length || in.length % channels != 0) {
            throw new IllegalArgumentException("SupportSelectThreshold: buffers of " + in.length + " and " + out.length
                    + " bytes must be equal and a multiple of " + channels + " channels");
        }
        int[] bucket = new int[256]; // |x − zp| ≤ 255
        for (int off = 0; off < in.length; off += channels) run(in, out, off, bucket);
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
    /** Do not modify. */
    public byte[] thresholds() { return thresholds; }
    public int zeroPoint() { return zeroPoint; }
}
