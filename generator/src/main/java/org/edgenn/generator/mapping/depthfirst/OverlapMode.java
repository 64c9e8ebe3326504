package org.edgenn.generator.mapping.depthfirst;

/**
 * How a depth-first stack treats the overlap between neighbouring tiles' receptive fields (DeFiNES, Mei et al.,
 * HPCA 2023, section III): {@link #RECOMPUTE} is DeFiNES' "fully recompute", {@link #CACHED} its "fully cached"
 * restricted to full-width row bands (so the only overlap is vertical), {@link #H_CACHED} its "H-cached V-recompute"
 * for 2-D tiles (the column overlap between horizontally adjacent tiles kept, the rows shared with the tile row above
 * recomputed).
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
    CACHED,
    /**
     * 2-D tiles, row-major: along a tile row each layer computes only the columns no earlier tile of that row computed;
     * the columns the next tile still needs stay in the on-chip level (a column buffer per intermediate tensor, of the
     * tile's rows, counted in the capacity the tiles leave). A new tile row starts with empty buffers: its rows shared
     * with the tile row above are computed again, and those MACs are counted.
     */
    H_CACHED;

    /** The spelling in tables. */
    public String spelling() {
        return switch (this) {
            case RECOMPUTE -> "fully-recompute";
            case CACHED -> "fully-cached";
            case H_CACHED -> "h-cached-v-recompute";
        };
    }

    /** Whether the intermediates' buffers persist from tile to tile (line or column buffers): all of them are held throughout. */
    public boolean keepsBuffers() {
        return this != RECOMPUTE;
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
