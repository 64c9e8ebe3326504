package org.edgenn.generator.verify;

import java.util.BitSet;
import org.edgenn.generator.mapping.depthfirst.Rect;
import org.edgenn.runtime.tensor.ActivationBytes;

/**
 * A feature map ({@code N x H x W x channels}, NHWC at {@code bits} per value, the runtime's layout) as a depth-first
 * stack's execution holds it: the values written so far, which positions are valid (held by the memory now), and the
 * region the on-chip memory has allocated for it (an intermediate's tile or line buffer; writes outside it are a
 * broken schedule). {@link #history} keeps every value ever computed (recomputed halos must agree with it) so that the
 * values can be compared with the reference after the tiles evicted them.
 */
final class Plane {
    final String layer;
    final int n;
    final int h;
    final int w;
    final int channels;
    final int bits;
    final byte[] data;
    final BitSet valid = new BitSet();
    final byte[] history;
    final BitSet computed = new BitSet();
    /** Positions computed again after their first computation (recomputed halos). */
    long recomputed;
    Rect allocated = Rect.EMPTY;

    /** {@code layer}: the generated layer whose output these values are (the reference to compare with). */
    Plane(String layer, int n, int h, int w, int channels, int bits) {
        this.layer = layer;
        this.n = n;
        this.h = h;
        this.w = w;
        this.channels = channels;
        this.bits = bits;
        this.data = new byte[n * h * w * channels * ActivationBytes.bytesPerValue(bits)];
        this.history = data.clone();
    }

    int position(int batch, int y, int x) {
        return (batch * h + y) * w + x;
    }

    /** Whether value {@code index} (NHWC) is held. */
    boolean holds(int index) {
        return valid.get(index / channels);
    }

    /** Whether every position of {@code r} (every batch) is held. */
    boolean holds(Rect r) {
        for (int b = 0; b < n; b++) {
            for (int y = r.y0(); y <= r.y1(); y++) {
                int from = position(b, y, r.x0());
                if (valid.nextClearBit(from) < from + r.cols()) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Copies region {@code r} of {@code source} (same geometry) in and marks it held; a value computed before must come
     * out the same. Returns a description of the first disagreement, or null.
     */
    String write(Rect r, byte[] source) {
        int bytes = channels * ActivationBytes.bytesPerValue(bits);
        String differs = null;
        for (int b = 0; b < n; b++) {
            for (int y = r.y0(); y <= r.y1(); y++) {
                for (int x = r.x0(); x <= r.x1(); x++) {
                    int pos = position(b, y, x);
                    System.arraycopy(source, pos * bytes, data, pos * bytes, bytes);
                    if (computed.get(pos)) {
                        recomputed++;
                        if (differs == null && !java.util.Arrays.equals(history, pos * bytes, (pos + 1) * bytes, source,
                                pos * bytes, (pos + 1) * bytes)) {
                            differs = layer + " at [n y x = " + b + ", " + y + ", " + x + "] recomputed differently";
                        }
                    } else {
                        System.arraycopy(source, pos * bytes, history, pos * bytes, bytes);
                        computed.set(pos);
                    }
                    valid.set(pos);
                }
            }
        }
        return differs;
    }

    /** Keeps only the positions inside {@code r} (a line buffer dropping the rows no later tile needs). */
    void retain(Rect r) {
        BitSet keep = new BitSet();
        if (!r.isEmpty()) {
            for (int b = 0; b < n; b++) {
                for (int y = r.y0(); y <= r.y1(); y++) {
                    int from = position(b, y, r.x0());
                    keep.set(from, from + r.cols());
                }
            }
        }
        valid.and(keep);
    }

    /** Drops everything (a tile's intermediate freed after its last consumer). */
    void free() {
        valid.clear();
        allocated = Rect.EMPTY;
    }

    /** Values in an allocated region of {@code area} positions. */
    long values(Rect r) {
        return r.area() * n * channels;
    }
}
