package org.edgenn.runtime.kernels;

import java.util.List;

/**
 * A prepared data-movement step of a network (no arithmetic: the output holds input values only,
 * in another order). Shapes are the network's logical shapes without the batch dimension, as the
 * IR writes them: images {@code [C, H, W]} live in memory as NHWC, every other rank row-major.
 *
 * <ul>
 *   <li>{@link #reshape}: the row-major (channel-first) reinterpretation of a tensor with another shape,
 *       flatten included: a copy when the memory order does not change, else a gather through an index
 *       table computed once.</li>
 *   <li>{@link #concat}: along the first logical axis (channels of an image, features of a vector).</li>
 *   <li>{@link #pixelShuffle} and {@link #upsampleNearest}: see {@link DataMovement}.</li>
 *   <li>{@link #padEdge}: an image framed by copies of its border pixels (replicate padding).</li>
 * </ul>
 * Every kind runs in the {@link Backend} it was prepared for, or in any other ({@link #run(byte[][], byte[], Backend)}),
 * which is how a verifier re-runs it with the scalar reference. Runs allocate nothing.
 */
public final class Movement {
    public enum Kind { RESHAPE, CONCAT, PIXEL_SHUFFLE, UPSAMPLE_NEAREST, PAD_EDGE }

    private final Kind kind;
    private final int batch;
    private final int[] inSizes;
    private final int outSize;
    private final int[] geometry;   // kind-specific: see the factories
    private final int[] gather;     // reshape only: per-sample source index of each output element, or null for a copy
    private final Backend backend;

    private Movement(Kind kind, int batch, int[] inSizes, int outSize, int[] geometry, int[] gather, Backend backend) {
        if (batch <= 0) throw new IllegalArgumentException("batch must be positive");
        this.kind = kind;
        this.batch = batch;
        this.inSizes = inSizes;
        this.outSize = outSize;
        this.geometry = geometry;
        this.gather = gather;
        this.backend = backend;
    }

    /** Reinterprets a tensor of logical shape {@code from} as {@code to} (same element count, row-major). */
    public static Movement reshape(int batch, int[] from, int[] to, Backend backend) {
        int size = size(from);
        if (size != size(to)) throw new IllegalArgumentException("reshape of " + size + " elements to " + size(to));
        int[] toMemory = memoryOrder(to);      // logical row-major index -> memory index of the output
        int[] fromMemory = memoryOrder(from);  // logical row-major index -> memory index of the input
        int[] gather = new int[size];
        boolean identity = true;
        for (int logical = 0; logical < size; logical++) {
            gather[toMemory[logical]] = fromMemory[logical];
        }
        for (int i = 0; i < size; i++) identity &= gather[i] == i;
        return new Movement(Kind.RESHAPE, batch, new int[] {size}, size, to.clone(), identity ? null : gather, backend);
    }

    /** Concatenation along the first logical axis; every input has the same trailing dimensions. */
    public static Movement concat(int batch, List<int[]> shapes, Backend backend) {
        int[] channels = new int[shapes.size()];
        int[] sizes = new int[shapes.size()];
        int pixels = -1, total = 0;
        for (int i = 0; i < shapes.size(); i++) {
            int[] s = shapes.get(i);
            channels[i] = s[0];
            sizes[i] = size(s);
            int p = sizes[i] / s[0];
            if (pixels >= 0 && p != pixels) throw new IllegalArgumentException("concat inputs differ beyond the first axis");
            pixels = p;
            total += sizes[i];
        }
        return new Movement(Kind.CONCAT, batch, sizes, total, channels, null, backend);
    }

    /** Depth-to-space of an image {@code [C·r², H, W]} to {@code [C, H·r, W·r]}. */
    public static Movement pixelShuffle(int batch, int c, int h, int w, int r, Backend backend) {
        int size = c * r * r * h * w;
        return new Movement(Kind.PIXEL_SHUFFLE, batch, new int[] {size}, size, new int[] {c, h, w, r}, null, backend);
    }

    /** Nearest-neighbour up-sampling of an image {@code [C, H, W]} by {@code factor} in both axes. */
    public static Movement upsampleNearest(int batch, int c, int h, int w, int factor, Backend backend) {
        return new Movement(Kind.UPSAMPLE_NEAREST, batch, new int[] {c * h * w}, c * h * w * factor * factor,
                new int[] {c, h, w, factor}, null, backend);
    }

    /** An image {@code [C, H, W]} padded by {@code pad} pixels on every side with its nearest border pixel. */
    public static Movement padEdge(int batch, int c, int h, int w, int pad, Backend backend) {
        if (pad < 0) throw new IllegalArgumentException("negative padding");
        int oh = h + 2 * pad, ow = w + 2 * pad;
        return new Movement(Kind.PAD_EDGE, batch, new int[] {c * h * w}, c * oh * ow, new int[] {c, h, w, pad}, null, backend);
    }

    /** For each logical (row-major) index, its memory index: images are NHWC, other ranks row-major. */
    private static int[] memoryOrder(int[] shape) {
        int size = size(shape);
        int[] m = new int[size];
        if (shape.length != 3) {
            for (int i = 0; i < size; i++) m[i] = i;
            return m;
        }
        int c = shape[0], h = shape[1], w = shape[2];
        for (int ch = 0; ch < c; ch++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) m[(ch * h + y) * w + x] = (y * w + x) * c + ch;
        return m;
    }

    private static int size(int[] shape) {
        int n = 1;
        for (int d : shape) n = Math.multiplyExact(n, d);
        return n;
    }

    public void run(byte[][] inputs, byte[] out) {
        run(inputs, out, backend);
    }

    /** Runs in the given backend (e.g. {@link Backend#SCALAR} to re-check a result). */
    public void run(byte[][] inputs, byte[] out, Backend b) {
        // buffer names are built only on failure: a string built per call allocates in every inference
        if (inputs.length != inSizes.length) throw new IllegalArgumentException(kind + ": " + inputs.length + " inputs, needs " + inSizes.length);
        for (int i = 0; i < inputs.length; i++) Ops.checkLen(inputs[i], (long) batch * inSizes[i], kind, "input", i);
        Ops.checkLen(out, (long) batch * outSize, kind, "output", -1);
        switch (kind) {
            case RESHAPE -> reshape(inputs[0], out, b);
            case CONCAT -> DataMovement.concatChannels(inputs, geometry, out, batch * (outSize / sum(geometry)), b);
            case PIXEL_SHUFFLE -> DataMovement.pixelShuffle(inputs[0], out, batch, geometry[1], geometry[2], geometry[0], geometry[3], b);
            case UPSAMPLE_NEAREST -> DataMovement.upsampleNearest(inputs[0], out, batch, geometry[1], geometry[2], geometry[0],
                    geometry[3], geometry[3], b);
            case PAD_EDGE -> padEdge(inputs[0], out, b);
        }
    }

    public void run(List<byte[]> inputs, byte[] out, Backend b) {
        run(inputs.toArray(new byte[0][]), out, b);
    }

    private void reshape(byte[] in, byte[] out, Backend b) {
        if (gather == null) {
            if (b == Backend.SCALAR) {
                for (int i = 0; i < in.length; i++) out[i] = in[i];
            } else {
                System.arraycopy(in, 0, out, 0, in.length);
            }
            return;
        }
        for (int s = 0; s < batch; s++) {
            int base = s * outSize;
            for (int i = 0; i < outSize; i++) out[base + i] = in[base + gather[i]];
        }
    }

    private void padEdge(byte[] in, byte[] out, Backend b) {
        int c = geometry[0], h = geometry[1], w = geometry[2], pad = geometry[3];
        int oh = h + 2 * pad, ow = w + 2 * pad;
        for (int n = 0; n < batch; n++)
            for (int oy = 0; oy < oh; oy++) {
                int y = Math.min(h - 1, Math.max(0, oy - pad));
                for (int ox = 0; ox < ow; ox++) {
                    int x = Math.min(w - 1, Math.max(0, ox - pad));
                    int src = ((n * h + y) * w + x) * c, dst = ((n * oh + oy) * ow + ox) * c;
                    if (b == Backend.SCALAR) {
                        for (int ch = 0; ch < c; ch++) out[dst + ch] = in[src + ch];
                    } else {
                        System.arraycopy(in, src, out, dst, c);
                    }
                }
            }
    }

    private static int sum(int[] v) {
        int s = 0;
        for (int x : v) s += x;
        return s;
    }

    public Kind kind() { return kind; }
    /**
     * The kind's geometry, as given to its factory: RESHAPE the target logical shape; CONCAT the first-axis
     * size of each input; PIXEL_SHUFFLE {c, h, w, r}; UPSAMPLE_NEAREST {c, h, w, factor}.
     */
    public int[] geometry() { return geometry.clone(); }
    public int batch() { return batch; }
    public Backend backend() { return backend; }
    /** Output elements per sample. */
    public int outputSize() { return outSize; }
}
