package org.edgenn.generator.mapping.search;

import java.util.List;
import java.util.Locale;
import org.edgenn.ir.accel.MemoryLevel;
import org.edgenn.ir.accel.Operand;
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.edgenn.runtime.cost.Sharing;
import org.edgenn.runtime.cost.SpatialMapping;
import org.edgenn.runtime.cost.Tiles;
import org.edgenn.runtime.cost.Workload;

/**
 * Why no mapping fits, with numbers. Every level holding only its smallest tiles (all cuts 0: the data one
 * PE, or one instance's PEs, use in one iteration) is always a valid allocation unless one of those tiles
 * alone overflows a level; so when the search finds nothing, under every unrolling some level cannot hold
 * its smallest tiles. This names that level for the best-ranked unrolling, with each operand's share.
 */
final class NoFit {
    private NoFit() {
    }

    static String explain(Workload w, MemoryHierarchy h, List<SpatialMapping> unrollings, long evaluated) {
        if (unrollings.isEmpty()) {
            return "no spatial unrolling of " + w.name() + " fits the array's axes (what each axis unrolls, "
                    + "and input levels shared along some axes, which must see a window dimension whole or not at all)";
        }
        SpatialMapping s = unrollings.get(0);
        Sharing sh = Sharing.of(h, s);
        long[] none = new long[sh.inner(0).length];
        java.util.Arrays.fill(none, 1);
        String worst = null;
        double worstRatio = 0;
        for (int lvl = 0; lvl < h.levelCount() - 1; lvl++) {
            MemoryLevel mem = h.memory(lvl);
            double total = 0;
            StringBuilder parts = new StringBuilder();
            for (Operand op : w.operands()) {
                if (!h.holds(lvl, op)) {
                    continue;
                }
                long elems = Tiles.size(w, s.factors(), none, op, sh.inner(lvl));
                double bytes = elems * (double) w.bits(op) / 8.0;
                total += bytes;
                parts.append(parts.length() == 0 ? "" : " + ").append(op).append(' ').append(elems).append(" x ")
                        .append(w.bits(op)).append(" bit = ").append(fmt(bytes)).append(" B");
            }
            double ratio = total / mem.sizeBytes();
            if (ratio > 1 && ratio > worstRatio) {
                worstRatio = ratio;
                String scope = mem.perPe() ? " per PE" : mem.sharedAlong().isEmpty() ? "" : " per instance";
                worst = mem.name() + " (" + mem.sizeText() + scope + ") cannot hold even the smallest tiles: "
                        + parts + (parts.indexOf("+") >= 0 ? " = " + fmt(total) + " B" : "");
            }
        }
        String under = " under the unrolling " + s + " (best of " + unrollings.size() + " considered; "
                + evaluated + " loop orders tried)";
        if (worst == null) {
            return "no loop order gives tiles that fit every memory level" + under;
        }
        return worst + under;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : String.format(Locale.ROOT, "%.1f", d);
    }
}
