package org.edgenn.runtime.kernels;

import java.util.Arrays;
import org.edgenn.runtime.quant.ChannelScales;

/**
 * Filters that are part of an op's definition rather than learned: their exact int8 weights and scales.
 *
 * <p>{@link #bilinearX2}: half-pixel bilinear up-sampling by 2 (PyTorch {@code align_corners=False}, edges clamped)
 * equals nearest up-sampling by 2, padding by one replicated border pixel, then the depthwise 3×3 filter
 * {@code [1 2 1]ᵀ[1 2 1] / 16}: output {@code 2i} mixes inputs {@code i−1, i} as 1/4, 3/4 and output {@code 2i+1}
 * mixes {@code i, i+1} as 3/4, 1/4, per axis. The weights 1, 2, 4 with scale 1/16 are exact in int8.
 */
public final class FixedFilters {
    private FixedFilters() {}

    /** Depthwise weights {@code [C][3][3][1]} and their scales. */
    public record Filter(byte[] values, ChannelScales scales) {}

    public static Filter bilinearX2(int channels) {
        byte[] taps = {1, 2, 1, 2, 4, 2, 1, 2, 1};
        byte[] w = new byte[channels * 9];
        for (int c = 0; c < channels; c++) System.arraycopy(taps, 0, w, c * 9, 9);
        float[] s = new float[channels];
        Arrays.fill(s, 1f / 16);
        return new Filter(w, ChannelScales.perChannel(s));
    }
}
