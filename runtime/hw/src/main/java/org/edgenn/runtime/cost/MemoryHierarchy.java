package org.edgenn.runtime.cost;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.accel.ArrayAxis;
import org.edgenn.ir.accel.MemoryLevel;
import org.edgenn.ir.accel.Operand;

/**
 * The cost model's validated view of an {@link AcceleratorSpec}: for every operand the chain of memory
 * levels holding it, innermost first. Built by {@link #of}, which collects every violated rule first.
 *
 * <p>Rules: at least one array axis, names distinct; at least one memory level; the last level is unbounded,
 * shared by the whole array and holds W, I and O; other levels have a positive size; bandwidths are
 * positive; energies are non-negative; a level is shared along array axes only; in every operand's chain
 * a level is shared along every axis the level below it is shared along (private levels innermost,
 * because spatial unrolling sits between them and the shared ones).
 */
public final class MemoryHierarchy {
    private final AcceleratorSpec spec;
    private final Map<Operand, int[]> chains;
    private final int[][] chainArrays;
    /** holds[level][op.ordinal()]: a lookup table, because Set.contains on enums is hot in the search. */
    private final boolean[][] holds;
    /** Records the size decisions ({@link #fits}); null for a plain hierarchy. */
    private final CapacityProbe probe;

    private MemoryHierarchy(AcceleratorSpec spec, Map<Operand, int[]> chains) {
        this(spec, chains, null);
    }

    private MemoryHierarchy(AcceleratorSpec spec, Map<Operand, int[]> chains, CapacityProbe probe) {
        this.spec = spec;
        this.probe = probe;
        this.chains = chains;
        this.chainArrays = new int[Operand.values().length][];
        chains.forEach((op, c) -> chainArrays[op.ordinal()] = c);
        this.holds = new boolean[spec.memories().size()][Operand.values().length];
        for (int l = 0; l < holds.length; l++) {
            for (Operand op : spec.memories().get(l).holds()) {
                holds[l][op.ordinal()] = true;
            }
        }
    }

    /**
     * This hierarchy with every size decision ({@link #fits}, {@link #recordFit}) recorded in {@code probe}: a search
     * that reads sizes only through them is then the same on any sizes {@code probe} {@link CapacityProbe#admits}.
     */
    public MemoryHierarchy probed(CapacityProbe probe) {
        return new MemoryHierarchy(spec, chains, probe);
    }

    /** Whether {@code bytes} fit in one instance of memory {@code level} (at most its size); recorded when probed. */
    public boolean fits(int level, double bytes) {
        boolean fit = bytes <= spec.memories().get(level).sizeBytes();
        if (probe != null) {
            probe.record(level, bytes, fit);
        }
        return fit;
    }

    /**
     * Records a decision on memory {@code level}'s size taken otherwise (a share of it): {@code fit} is the answer,
     * {@code bytes} the size at which it would change.
     */
    public void recordFit(int level, double bytes, boolean fit) {
        if (probe != null) {
            probe.record(level, bytes, fit);
        }
    }

    /** True when memory {@code level} (index into the spec's list) holds {@code op}. */
    public boolean holds(int level, Operand op) {
        return holds[level][op.ordinal()];
    }

    public static MemoryHierarchy of(AcceleratorSpec spec) {
        List<String> v = new ArrayList<>();
        if (spec.axes().isEmpty()) {
            v.add("the PE array needs at least one axis");
        }
        java.util.Set<String> axisNames = new java.util.HashSet<>();
        for (ArrayAxis a : spec.axes()) {
            if (a.unrolls().isEmpty()) {
                v.add("array axis " + a.name() + " unrolls no loop dimension");
            }
            if (!axisNames.add(a.name())) {
                v.add("array axis " + a.name() + " is declared twice");
            }
        }
        if (spec.macBits() < 1 || spec.accumulatorBits() < 1) {
            v.add("MAC and accumulator widths must be >= 1 bit");
        }
        if (!(spec.clockHz() > 0)) {
            v.add("clock must be positive, got " + spec.clockHz());
        }
        List<MemoryLevel> mems = spec.memories();
        if (mems.isEmpty()) {
            v.add("no memory level declared");
        }
        for (int i = 0; i < mems.size(); i++) {
            MemoryLevel m = mems.get(i);
            boolean last = i == mems.size() - 1;
            if (last) {
                if (!m.isUnbounded()) {
                    v.add("the last memory level " + m.name() + " is the backing store and must have no size");
                }
                if (!m.holds().containsAll(List.of(Operand.W, Operand.I, Operand.O))) {
                    v.add("the backing store " + m.name() + " must hold W, I and O");
                }
                if (m.perPe()) {
                    v.add("the backing store " + m.name() + " cannot be per PE");
                }
            } else if (m.isUnbounded() || m.sizeBytes() <= 0) {
                v.add("memory " + m.name() + " needs a positive size (only the last level is unbounded)");
            }
            if (!(m.bandwidthBytesPerCycle() > 0)) {
                v.add("memory " + m.name() + " needs a positive bandwidth");
            }
            if (m.readPjPerByte() < 0 || m.writePjPerByte() < 0) {
                v.add("memory " + m.name() + " has a negative access energy");
            }
            if (m.holds().isEmpty()) {
                v.add("memory " + m.name() + " holds no operand");
            }
            if (m.separatePorts() && !(m.writeBandwidthBytesPerCycle() > 0)) {
                v.add("memory " + m.name() + " needs a positive write bandwidth");
            }
            for (String axis : m.sharedAlong()) {
                if (!axisNames.contains(axis)) {
                    v.add("memory " + m.name() + " is shared along " + axis + ", which is no array axis");
                }
            }
            if (last && !m.sharedAlong().isEmpty() && !m.sharedAlong().containsAll(axisNames)) {
                v.add("the backing store " + m.name() + " is shared by the whole array, not along "
                        + m.sharedAlong() + " only");
            }
        }
        Map<Operand, int[]> chains = new EnumMap<>(Operand.class);
        for (Operand op : Operand.values()) {
            List<Integer> chain = new ArrayList<>();
            MemoryLevel below = null;
            for (int i = 0; i < mems.size(); i++) {
                MemoryLevel m = mems.get(i);
                if (!m.holds().contains(op)) {
                    continue;
                }
                if (below != null) {
                    for (ArrayAxis a : spec.axes()) {
                        if (below.sharesAlong(a.name()) && !m.sharesAlong(a.name())) {
                            v.add((m.perPe() ? "per-PE memory " : "memory ") + m.name() + " for " + op
                                    + " is not shared along " + a.name() + " but " + below.name()
                                    + " below it is; private levels must be innermost");
                            break;
                        }
                    }
                }
                below = m;
                chain.add(i);
            }
            chains.put(op, chain.stream().mapToInt(Integer::intValue).toArray());
        }
        if (!v.isEmpty()) {
            throw new InvalidAcceleratorException(spec.name(), v);
        }
        return new MemoryHierarchy(spec, chains);
    }

    public AcceleratorSpec spec() {
        return spec;
    }

    /** Indices into {@link AcceleratorSpec#memories()} of the levels holding {@code op}, innermost first. */
    public int[] chain(Operand op) {
        return chains.get(op).clone();
    }

    public int chainLength(Operand op) {
        return chainArrays[op.ordinal()].length;
    }

    /** The {@code j}-th level (innermost = 0) holding {@code op}. */
    public MemoryLevel level(Operand op, int j) {
        return spec.memories().get(chainArrays[op.ordinal()][j]);
    }

    /** Index into the spec's memory list of the {@code j}-th level holding {@code op}. */
    public int levelIndex(Operand op, int j) {
        return chainArrays[op.ordinal()][j];
    }

    public int levelCount() {
        return spec.memories().size();
    }

    public MemoryLevel memory(int index) {
        return spec.memories().get(index);
    }
}
