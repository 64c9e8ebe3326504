package org.edgenn.runtime.cost;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.ir.accel.MemoryLevel;
import org.edgenn.ir.accel.Operand;

/**
 * A mapping of one layer on one accelerator: the spatial unrolling, the temporal loops (innermost first)
 * and, for every operand, where each memory level holding it cuts the temporal loop list.
 *
 * <p>{@code cuts.get(op)[j] = c} means the {@code j}-th level holding {@code op} (innermost first, see
 * {@link MemoryHierarchy#chain}) stores the tile spanned by temporal loops {@code 0 .. c-1} (plus the
 * spatial loops if the level is shared). Cuts are non-decreasing and the backing store's cut is the number
 * of temporal loops. A plain value; {@link MappingValidator} decides whether it fits a layer and an accelerator.
 */
public final class Mapping {
    private final SpatialMapping spatial;
    private final List<Loop> temporal;
    private final Map<Operand, int[]> cuts;
    /** Derived from spatial and a hierarchy; immutable, so a racy cache is harmless. */
    private Sharing sharing;

    public Mapping(SpatialMapping spatial, List<Loop> temporal, Map<Operand, int[]> cuts) {
        this.spatial = Objects.requireNonNull(spatial, "spatial");
        this.temporal = List.copyOf(temporal);
        EnumMap<Operand, int[]> c = new EnumMap<>(Operand.class);
        cuts.forEach((op, a) -> c.put(op, a.clone()));
        this.cuts = c;
    }

    /**
     * The same with the sharing of {@code spatial} on a hierarchy already computed ({@link Sharing#of}): the search
     * builds thousands of mappings per unrolling, and the sharing depends on the unrolling alone.
     */
    public Mapping(SpatialMapping spatial, List<Loop> temporal, Map<Operand, int[]> cuts, Sharing sharing) {
        this(spatial, temporal, cuts);
        this.sharing = sharing;
    }

    public SpatialMapping spatial() {
        return spatial;
    }

    /** Temporal loops, innermost first. */
    public List<Loop> temporal() {
        return temporal;
    }

    /** Cuts of {@code op}'s levels (a copy); null when the mapping has none for it. */
    public int[] cuts(Operand op) {
        int[] c = cuts.get(op);
        return c == null ? null : c.clone();
    }

    int cut(Operand op, int level) {
        return cuts.get(op)[level];
    }

    public boolean hasCuts(Operand op) {
        return cuts.containsKey(op);
    }

    /** True when a loop irrelevant to {@code op} is unrolled spatially (for O: a spatial reduction is needed). */
    public boolean spatialUnrollsIrrelevant(Operand op) {
        return unrollsIrrelevant(spatial.loops(), op);
    }

    static boolean unrollsIrrelevant(List<Loop> spatialLoops, Operand op) {
        for (Loop l : spatialLoops) {
            if (l.factor() > 1 && !Relevance.relevant(op, l.dim())) {
                return true;
            }
        }
        return false;
    }

    /** How the memory levels of {@code h} split this mapping's spatial unrolling (cached for the last hierarchy). */
    public Sharing sharing(MemoryHierarchy h) {
        Sharing s = sharing;
        if (s == null || s.hierarchy != h) {
            s = Sharing.of(h, spatial);
            sharing = s;
        }
        return s;
    }

    /** Temporal factor product of {@code d}. */
    public int temporalFactor(LoopDim d) {
        int f = 1;
        for (Loop l : temporal) {
            if (l.dim() == d) {
                f *= l.factor();
            }
        }
        return f;
    }

    /**
     * The loop nest as text, outermost first, with a marker line where each memory level's tile starts,
     * e.g. {@code for k2 in 0..4} / {@code -- gbuf: W I O} / {@code for c1 in 0..16} / {@code spatial K0 x C0}.
     * Loop names are the lower-case dimension plus its position among that dimension's loops (0 = spatial).
     */
    public String render(MemoryHierarchy h) {
        String[] names = loopNames();
        StringBuilder sb = new StringBuilder();
        for (int pos = temporal.size(); pos >= 0; pos--) {
            String marker = markerAt(h, pos);
            if (!marker.isEmpty()) {
                sb.append("-- ").append(marker).append('\n');
            }
            if (pos > 0) {
                Loop l = temporal.get(pos - 1);
                sb.append("for ").append(names[pos - 1]).append(" in 0..").append(l.factor()).append('\n');
            }
        }
        StringJoiner sp = new StringJoiner(" x ");
        List<List<Loop>> axes = spatial.perAxis();
        for (int a = 0; a < axes.size(); a++) {
            String axisName = a < h.spec().axes().size() ? h.spec().axes().get(a).name() : "axis" + a;
            StringJoiner one = new StringJoiner("*");
            axes.get(a).forEach(l -> one.add(l.dim().name().toLowerCase() + "0[" + l.factor() + "]"));
            sp.add(axisName + ":" + (axes.get(a).isEmpty() ? "-" : one.toString()));
        }
        sb.append("spatial ").append(sp);
        return sb.toString();
    }

    /** One-line form, innermost first: {@code [C32 x K32] OX7 OY7 K2 | W:0,0,4 I:2,4 O:0,2,4}. */
    public String compact() {
        StringBuilder sb = new StringBuilder("[").append(spatial).append("]");
        for (Loop l : temporal) {
            sb.append(' ').append(l.dim()).append(l.factor());
        }
        sb.append(" |");
        cuts.forEach((op, c) -> sb.append(' ').append(op).append(':')
                .append(Arrays.stream(c).mapToObj(Integer::toString).reduce((x, y) -> x + "," + y).orElse("")));
        return sb.toString();
    }

    String[] loopNames() {
        String[] names = new String[temporal.size()];
        int[] seen = new int[LoopDim.values().length];
        for (int i = 0; i < temporal.size(); i++) {
            LoopDim d = temporal.get(i).dim();
            names[i] = d.name().toLowerCase() + (++seen[d.ordinal()]);
        }
        return names;
    }

    private String markerAt(MemoryHierarchy h, int pos) {
        // group operands by level so a shared buffer prints once: "gbuf: W I O"
        List<String> parts = new ArrayList<>();
        for (int m = h.levelCount() - 1; m >= 0; m--) {
            MemoryLevel mem = h.memory(m);
            StringJoiner ops = new StringJoiner(" ");
            for (Operand op : Operand.values()) {
                int[] c = cuts.get(op);
                if (c == null) {
                    continue;
                }
                int[] chain = h.chain(op);
                for (int j = 0; j < chain.length; j++) {
                    if (chain[j] == m && c[j] == pos) {
                        ops.add(op.name());
                    }
                }
            }
            if (ops.length() > 0) {
                parts.add(mem.name() + ": " + ops);
            }
        }
        return String.join(" ; ", parts);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Mapping m) || !m.spatial.equals(spatial) || !m.temporal.equals(temporal)
                || !m.cuts.keySet().equals(cuts.keySet())) {
            return false;
        }
        for (Operand op : cuts.keySet()) {
            if (!Arrays.equals(cuts.get(op), m.cuts.get(op))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(spatial, temporal);
        for (Map.Entry<Operand, int[]> e : cuts.entrySet()) {
            h = 31 * h + e.getKey().hashCode() * 17 + Arrays.hashCode(e.getValue());
        }
        return h;
    }

    @Override
    public String toString() {
        return compact();
    }
}
