package org.edgenn.runtime.kernels;

/**
 * Pure data-movement ops on NHWC int8 (no arithmetic, quantization passes through unchanged:
 * concatenated inputs must already share the output's quantization).
 *
 * <p>Two variants behind one entry point: {@link Backend#SCALAR} moves element by element (the
 * reference); {@link Backend#VECTOR} moves contiguous runs with {@link System#arraycopy}, which
 * the JIT compiles to vectorized copies, so it needs no incubator API and is used whenever the
 * vector family is selected.
 */
public final class DataMovement {
    private DataMovement() {}

    /**
     * Pixel shuffle (depth-to-space, PyTorch {@code PixelShuffle} / ONNX DepthToSpace CRD order):
     * in [N][H][W][C·r²] → out [N][H·r][W·r][C], {@code out[n][y·r+i][x·r+j][c] = in[n][y][x][c·r² + i·r + j]}.
     */
    public static void pixelShuffle(byte[] in, byte[] out, int n, int h, int w, int c, int r, Backend backend) {
        if (n <= 0 || h <= 0 || w <= 0 || c <= 0 || r <= 0) throw new IllegalArgumentException("pixelShuffle: sizes must be positive");
        long size = (long) n * h * w * c * r * r;
        Ops.checkLen(in, size, "pixelShuffle input");
        Ops.checkLen(out, size, "pixelShuffle output");
        int rr = r * r, cin = c * rr, ow = w * r;
        for (int b = 0; b < n; b++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) {
                    int src = ((b * h + y) * w + x) * cin;
                    for (int i = 0; i < r; i++)
                        for (int j = 0; j < r; j++) {
                            int dst = ((b * h * r + y * r + i) * ow + x * r + j) * c;
                            // CRD: channel stride r² in the input: not contiguous, so both variants gather
                            for (int ch = 0; ch < c; ch++) out[dst + ch] = in[src + ch * rr + i * r + j];
                        }
                }
    }

    /** Nearest-neighbour up-sampling by integer factors: out[n][y·fy+i][x·fx+j][c] = in[n][y][x][c]. */
    public static void upsampleNearest(byte[] in, byte[] out, int n, int h, int w, int c, int fy, int fx, Backend backend) {
        if (n <= 0 || h <= 0 || w <= 0 || c <= 0 || fy <= 0 || fx <= 0) throw new IllegalArgumentException("upsample: sizes must be positive");
        Ops.checkLen(in, (long) n * h * w * c, "upsample input");
        Ops.checkLen(out, (long) n * h * fy * w * fx * c, "upsample output");
        int ow = w * fx, oh = h * fy;
        for (int b = 0; b < n; b++)
            for (int oy = 0; oy < oh; oy++) {
                int y = oy / fy;
                for (int ox = 0; ox < ow; ox++) {
                    int src = ((b * h + y) * w + ox / fx) * c;
                    int dst = ((b * oh + oy) * ow + ox) * c;
                    if (backend == Backend.SCALAR) {
                        for (int ch = 0; ch < c; ch++) out[dst + ch] = in[src + ch];
                    } else {
                        System.arraycopy(in, src, out, dst, c);
                    }
                }
            }
    }

    /**
     * Concatenation along channels: inputs [N][H][W][C_i] → out [N][H][W][ΣC_i].
     * All inputs must share the output's quantization (no requantization here).
     */
    public static void concatChannels(byte[][] inputs, int[] channels, byte[] out, int pixels, Backend backend) {
        if (inputs.length != channels.length || inputs.length == 0) throw new IllegalArgumentException("concat: one channel count per input");
        int total = 0;
        for (int i = 0; i < inputs.length; i++) {
            if (channels[i] <= 0) throw new IllegalArgumentException("concat: channel count " + channels[i]);
            Ops.checkLen(inputs[i], (long) pixels * channels[i], "concat", "input", i);
            total += channels[i];
        }
        Ops.checkLen(out, (long) pixels * total, "concat output");
        for (int p = 0; p < pixels; p++) {
            int dst = p * total;
            for (int i = 0; i < inputs.length; i++) {
                int ci = channels[i];
                if (backend == Backend.SCALAR) {
                    for (int ch = 0; ch < ci; ch++) out[dst + ch] = inputs[i][p * ci + ch];
                } else {
                    System.arraycopy(inputs[i], p * ci, out, dst, ci);
                }
                dst += ci;
            }
        }
    }
}
