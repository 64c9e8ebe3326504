package org.edgenn.runtime.quant;

import java.util.Arrays;

/**
 * Symmetric weight scales (zero point 0), one per output channel; a per-tensor scale is the
 * special case of one value repeated ({@link #perTensor}).
 */
public final class ChannelScales {
    private final float[] scales;

    private ChannelScales(float[] scales) {
        for (int i = 0; i < scales.length; i++) {
            if (!(scales[i] > 0) || Float.isInfinite(scales[i])) {
                throw new IllegalArgumentException("weight scale[" + i + "] must be finite and > 0, got " + scales[i]);
            }
        }
        this.scales = scales;
    }

    public static ChannelScales perChannel(float... scales) {
        if (scales.length == 0) throw new IllegalArgumentException("no scales");
        return new ChannelScales(scales.clone());
    }

    public static ChannelScales perTensor(float scale, int channels) {
        float[] s = new float[channels];
        Arrays.fill(s, scale);
        return new ChannelScales(s);
    }

    public int channels() {
        return scales.length;
    }

    public float scale(int channel) {
        return scales[channel];
    }

    public float[] toArray() {
        return scales.clone();
    }
}
