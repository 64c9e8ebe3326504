package org.edgenn.generator.mapping.depthfirst;

/**
 * How a depth-first stack treats the overlap between neighbouring tiles' receptive fields (DeFiNES, Mei et al.,
 * HPCA 2023, section III): {@link #RECOMPUTE} is DeFiNES' "fully recompute", {@link #CACHED} its "fully cached"
 * restricted to full-width row bands (so the only overlap is vertical; tiles narrower than the plane are recomputed).
 */
public enum OverlapMode {
    /**
     * Every tile computes, in every layer, the whole region its output needs (halos included): the overlap is computed
     * again by each tile that needs it, and those MACs are counted.
     */
    RECOMPUTE,
    /**
     * Full-width row bands: each layer computes only the rows no earlier band computed; the rows a later band still
     * needs stay in the on-chip level (a line buffer per intermediate tensor, counted in the capacity the tiles leave).
     * No MAC is computed twice.
     */
    CACHED;

    /** The spelling in tables. */
    public String spelling() {
        return this == RECOMPUTE ? "fully-recompute" : "fully-cached";
    }

    /** The mode a table spells {@code s}, or null. */
    public static OverlapMode parse(String s) {
        for (OverlapMode m : values()) {
            if (m.spelling().equals(s)) {
                return m;
            }
        }
        return null;
    }

    /** Every spelling, for messages. */
    public static java.util.List<String> spellings() {
        return java.util.Arrays.stream(values()).map(OverlapMode::spelling).toList();
    }
}
