package org.edgenn.ir.accel;

/**
 * The loop dimensions of a layer's loop nest, as in ZigZag/Timeloop:
 * {@code for n, g, k, c, oy, ox, fy, fx: O[n][g][k][oy][ox] += W[g][k][c][fy][fx] * I[n][g][c][iy][ix]}
 * with {@code iy = oy*stride + fy*dilation - pad}. Dense layers use N, K, C only; depthwise
 * convolutions put the channels on G with K = C = 1.
 */
public enum LoopDim {
    N, G, K, C, OY, OX, FY, FX;

    /** Parses the spelling used in {@code .edgenn} files ({@code K}, {@code OY}, ...), case-insensitively; null if unknown. */
    public static LoopDim parse(String text) {
        for (LoopDim d : values()) {
            if (d.name().equalsIgnoreCase(text)) {
                return d;
            }
        }
        return null;
    }
}
