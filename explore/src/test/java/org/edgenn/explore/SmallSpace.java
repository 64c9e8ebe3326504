package org.edgenn.explore;

/**
 * A space small enough to enumerate: 6 networks (3 with a shape error) on 4 accelerators (one over the area budget).
 * Shared with explore-spark's engine test (test-jar).
 */
public final class SmallSpace {
    static final int[] HIDDEN = {8, 16, 32};
    static final int[] IN = {16, 12};
    static final int[] ROWS = {2, 4};
    static final int[] KIB = {1, 4};

    public static String text(String strategy) {
        return """
            network Mlp($hidden: {8, 16, 32}, $in: {16, 12}) {
              input x: f32[16]
              layer a = dense($in -> $hidden)
              layer b = dense($hidden -> 16)
              let h = relu(a(x))
              let y = b(h)
              output y
            }

            accelerator Acc($rows: {2, 4, 8}, $kib: {1, 4}) where $rows <= 4 {
              mac int8 accumulator int32
              clock 100 MHz
              axis rows $rows unrolls K
              axis cols 4 unrolls C
              area per pe 400 um2
              memory gbuf size $kib KiB bandwidth 16 B/cycle holds W, I, O read 1 pJ/B area 5 um2/B
              memory dram bandwidth 4 B/cycle holds W, I, O read 50 pJ/B
            }

            explore Small {
              networks Mlp
              accelerators Acc
              minimize energy, latency, area
              budget area < 0.02 mm2
              strategy STRATEGY
            }
            """.replace("STRATEGY", strategy);
    }

    private SmallSpace() {
    }
}
