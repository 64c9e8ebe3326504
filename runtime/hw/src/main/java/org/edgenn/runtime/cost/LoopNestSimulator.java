package org.edgenn.runtime.cost;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.edgenn.ir.accel.ArrayAxis;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.ir.accel.Operand;

/**
 * The independent check of {@link AccessCountModel}: walks every temporal iteration of a mapping, and for
 * every link of every operand chain watches when the child's tile changes and which elements it holds,
 * by enumerating actual operand coordinates ({@code iy = oy*stride + fy*dilation} for inputs). It uses
 * none of the closed forms of {@link Tiles} (no fill products, no sum-set formula).
 *
 * <p>A child tile is replaced when any index of an operand-relevant loop above its cut changes (what a
 * loop controller does; it does not compare contents). Transfers follow the semantics documented on
 * {@link AccessCountModel}: a shared parent sends or receives the union of what the PEs need (broadcast,
 * spatial reduction), a per-PE level counts every instance; for outputs the first visit of a tile needs
 * no read-back and the last visit carries final outputs.
 *
 * <p>Cost is proportional to iterations x tile sizes: meant for small layers in tests, not for search.
 */
public final class LoopNestSimulator {
    private final Workload w;
    private final MemoryHierarchy h;
    private final Mapping m;
    private final List<Loop> loops;
    private final int[] loopDim;
    private final long[] loopStride;
    private final int[] spatialFactor;
    private final List<int[]> peIndex;
    /** Per PE, the index of every spatial loop (axis order), to tell which instance of a level serves it. */
    private final List<int[]> peLoops = new ArrayList<>();
    /** Operands whose link to the backing store is idle (held whole below it; {@link CostModel#withResident}). */
    private Set<Operand> resident = Set.of();

    private LoopNestSimulator(Workload w, MemoryHierarchy h, Mapping m) {
        this.w = w;
        this.h = h;
        this.m = m;
        this.loops = m.temporal();
        int n = loops.size();
        loopDim = new int[n];
        loopStride = new long[n];
        spatialFactor = m.spatial().factors();
        long[] running = new long[LoopDim.values().length];
        java.util.Arrays.fill(running, 1);
        for (int i = 0; i < n; i++) {
            int d = loops.get(i).dim().ordinal();
            loopDim[i] = d;
            loopStride[i] = running[d];
            running[d] *= loops.get(i).factor();
        }
        peIndex = java.util.Arrays.asList(m.spatial().peOffsets(peLoops));
    }

    /** Counts every access of the mapping by walking it; the mapping must be valid. */
    public static AccessCounts simulate(Workload w, MemoryHierarchy h, Mapping m) {
        MappingValidator.requireValid(w, h, m);
        return new LoopNestSimulator(w, h, m).run();
    }

    /**
     * The same for a layer of a network schedule in which the operands {@code resident} stay whole in the level directly
     * below the backing store: the walk does not visit their link to the backing store (nothing moves on it), every
     * other link is walked as usual. The check of {@link CostModel#withResident}.
     */
    public static AccessCounts simulate(Workload w, MemoryHierarchy h, Mapping m, Set<Operand> resident) {
        MappingValidator.requireValid(w, h, m);
        LoopNestSimulator sim = new LoopNestSimulator(w, h, m);
        sim.resident = Set.copyOf(resident);
        return sim.run();
    }

    /** Whether the weight at {@code W[g][k][c][fy][fx]} is non-zero (the actual values of a pruned layer). */
    @FunctionalInterface
    public interface WeightValues {
        boolean nonZero(int g, int k, int c, int fy, int fx);
    }

    /**
     * The bits of {@code W} read at every memory level (indexed like the accelerator's memories) when the weights have
     * the actual values {@code values} and are stored in {@code format}: walking the mapping like {@link #simulate},
     * every transfer of a weight tile counts, per memory instance, the non-zeros it holds at {@code weightBits} bits plus
     * the format's metadata for that tile (a bitmask bit per position, or an index per non-zero). The independent check
     * of the cost model's compressed weight bytes ({@link Workload#storedBits}), which assume the declared density.
     */
    public static double[] weightReadBits(Workload w, MemoryHierarchy h, Mapping m, WeightValues values,
                                          org.edgenn.ir.accel.SparseSupport format) {
        MappingValidator.requireValid(w, h, m);
        LoopNestSimulator sim = new LoopNestSimulator(w, h, m);
        java.util.Map<Long, Boolean> nonZero = new HashMap<>();
        for (int g = 0; g < w.bound(LoopDim.G); g++) {
            for (int k = 0; k < w.bound(LoopDim.K); k++) {
                for (int c = 0; c < w.bound(LoopDim.C); c++) {
                    for (int fy = 0; fy < w.bound(LoopDim.FY); fy++) {
                        for (int fx = 0; fx < w.bound(LoopDim.FX); fx++) {
                            nonZero.put(code(new long[] {g, k, c, fy, fx}), values.nonZero(g, k, c, fy, fx));
                        }
                    }
                }
            }
        }
        double[] bits = new double[h.levelCount()];
        int[] chain = h.chain(Operand.W);
        for (int j = 0; j < chain.length; j++) {
            for (List<Set<Long>> perPe : sim.weightTiles(j)) {
                for (Set<Long> tile : sim.instanceSets(chain[j], perPe)) {
                    long nz = tile.stream().filter(x -> nonZero.getOrDefault(x, false)).count();
                    bits[chain[j]] += storedBits(format, w.weightBits(), tile.size(), nz);
                }
            }
        }
        return bits;
    }

    private static double storedBits(org.edgenn.ir.accel.SparseSupport s, int bits, long positions, long nonZeros) {
        return switch (s.format()) {
            case DENSE -> positions * (double) bits;
            case BITMASK -> nonZeros * (double) bits + positions;
            case OFFSETS -> nonZeros * (double) (bits + s.indexBits());
            case NM -> nonZeros * (double) (bits + s.nmIndexBits());
        };
    }

    /** The per-PE weight tiles of every period of link {@code j}, in execution order. */
    private List<List<Set<Long>>> weightTiles(int j) {
        boolean mac = j == 0;
        int cut = mac ? 0 : m.cut(Operand.W, j - 1);
        List<List<Set<Long>>> out = new ArrayList<>();
        int[] idx = new int[loops.size()];
        Long previous = null;
        long iteration = 0;
        do {
            long identity = identity(Operand.W, idx, mac ? 0 : cut);
            long periodKey = mac ? iteration : identity;
            if (previous == null || previous != periodKey) {
                out.add(tileSets(Operand.W, idx, cut));
                previous = periodKey;
            }
            iteration++;
        } while (advance(idx, 0));
        return out;
    }

    /** The element sets of the instances of memory {@code level} in use (see {@link #instanceWords}). */
    private java.util.Collection<Set<Long>> instanceSets(int level, List<Set<Long>> perPe) {
        List<ArrayAxis> axes = h.spec().axes();
        Map<List<Integer>, Set<Long>> groups = new HashMap<>();
        for (int p = 0; p < perPe.size(); p++) {
            List<Integer> key = new ArrayList<>();
            int i = 0;
            for (int a = 0; a < m.spatial().perAxis().size(); a++) {
                for (int k = 0; k < m.spatial().perAxis().get(a).size(); k++, i++) {
                    boolean shared = level >= 0 && h.memory(level).sharesAlong(axes.get(a).name());
                    key.add(shared ? -1 : peLoops.get(p)[i]);
                }
            }
            groups.computeIfAbsent(key, k -> new HashSet<>()).addAll(perPe.get(p));
        }
        return groups.values();
    }

    /** {@code complete}: no output element of the transfer still needs contributions from another PE. */
    private record Period(long identity, long parentWords, long childWords, boolean complete) {
    }

    private AccessCounts run() {
        AccessCounts.Builder b = new AccessCounts.Builder(h.levelCount()).skipping(w, h);
        for (Operand op : w.operands()) {
            int[] chain = h.chain(op);
            for (int j = 0; j < chain.length; j++) {
                if (j == chain.length - 1 && resident.contains(op)) {
                    continue; // held whole below the backing store: the top link is idle
                }
                List<Period> periods = walk(op, j);
                tally(b, op, chain, j, periods);
            }
        }
        return b.build();
    }

    /** All periods of link j (parent = level j, child = level j-1 or the MACs) in execution order. */
    private List<Period> walk(Operand op, int j) {
        boolean mac = j == 0;
        int cut = mac ? 0 : m.cut(op, j - 1);
        int childLevel = mac ? -1 : h.levelIndex(op, j - 1);
        int parentLevel = h.levelIndex(op, j);
        List<Period> out = new ArrayList<>();
        int n = loops.size();
        int[] idx = new int[n];
        Long previous = null;
        long iteration = 0;
        do {
            long identity = identity(op, idx, mac ? 0 : cut);
            long periodKey = mac ? iteration : identity;
            if (previous == null || previous != periodKey) {
                List<Set<Long>> perPe = tileSets(op, idx, cut);
                Set<Long> union = new HashSet<>();
                perPe.forEach(union::addAll);
                long parentWords = instanceWords(parentLevel, perPe);
                // an instance reduces what arrives from the PEs it serves; the copies of all instances are
                // complete only if no two instances hold the same element
                boolean complete = parentWords == union.size();
                out.add(new Period(identity, parentWords, instanceWords(childLevel, perPe), complete));
                previous = periodKey;
            }
            iteration++;
        } while (advance(idx, 0));
        return out;
    }

    /**
     * Words in all instances of memory {@code level} ({@code -1}: the MACs, one per PE): the PEs are grouped by
     * their spatial indices on the axes the level is not shared along, each group's instance holds the union.
     */
    private long instanceWords(int level, List<Set<Long>> perPe) {
        long words = 0;
        for (Set<Long> g : instanceSets(level, perPe)) {
            words += g.size();
        }
        return words;
    }

    private void tally(AccessCounts.Builder b, Operand op, int[] chain, int j, List<Period> periods) {
        int parent = chain[j];
        int child = j > 0 ? chain[j - 1] : -1;
        if (op != Operand.O) {
            for (Period p : periods) {
                b.add(parent, op, AccessCounts.Kind.READ, p.parentWords());
                if (child >= 0) {
                    b.add(child, op, AccessCounts.Kind.WRITE, p.childWords());
                }
            }
            return;
        }
        Map<Long, Integer> lastVisit = new HashMap<>();
        for (int i = 0; i < periods.size(); i++) {
            lastVisit.put(periods.get(i).identity(), i);
        }
        Set<Long> visited = new HashSet<>();
        for (int i = 0; i < periods.size(); i++) {
            Period p = periods.get(i);
            boolean first = visited.add(p.identity());
            boolean last = lastVisit.get(p.identity()) == i && p.complete();
            b.add(parent, op, last ? AccessCounts.Kind.FINAL_WRITE : AccessCounts.Kind.WRITE, p.parentWords());
            if (!first) {
                b.add(parent, op, AccessCounts.Kind.READ, p.parentWords());
            }
            if (child >= 0) {
                b.add(child, op, last ? AccessCounts.Kind.FINAL_READ : AccessCounts.Kind.READ, p.childWords());
                if (!first) {
                    b.add(child, op, AccessCounts.Kind.WRITE, p.childWords());
                }
            }
        }
    }

    /** Mixed-radix code of the op-relevant loop indices at positions >= cut. */
    private long identity(Operand op, int[] idx, int cut) {
        long code = 0;
        for (int i = loops.size() - 1; i >= cut; i--) {
            if (Relevance.relevant(op, loops.get(i).dim())) {
                code = code * loops.get(i).factor() + idx[i];
            }
        }
        return code;
    }

    /** For every PE, the operand coordinates touched while loops 0..cut-1 run with the outer indices fixed. */
    private List<Set<Long>> tileSets(Operand op, int[] outer, int cut) {
        List<Set<Long>> sets = new ArrayList<>();
        for (int[] pe : peIndex) {
            Set<Long> s = new HashSet<>();
            int[] idx = outer.clone();
            for (int i = 0; i < cut; i++) {
                idx[i] = 0;
            }
            do {
                s.add(coordinate(op, idx, pe));
            } while (cut > 0 && advanceBelow(idx, cut));
            sets.add(s);
        }
        return sets;
    }

    private long coordinate(Operand op, int[] idx, int[] pe) {
        long[] d = new long[LoopDim.values().length];
        for (int i = 0; i < idx.length; i++) {
            d[loopDim[i]] += idx[i] * loopStride[i];
        }
        for (int k = 0; k < d.length; k++) {
            d[k] = d[k] * spatialFactor[k] + pe[k];
        }
        long iy = d[LoopDim.OY.ordinal()] * w.strideY() + d[LoopDim.FY.ordinal()] * w.dilationY();
        long ix = d[LoopDim.OX.ordinal()] * w.strideX() + d[LoopDim.FX.ordinal()] * w.dilationX();
        long[] c = switch (op) {
            case W -> new long[] {d[1], d[2], d[3], d[6], d[7]};
            case I -> new long[] {d[0], d[1], d[3], iy, ix};
            case O -> new long[] {d[0], d[1], d[2], d[4], d[5]};
        };
        return code(c);
    }

    private static long code(long[] c) {
        long code = 0;
        for (long x : c) {
            code = code * 1_000_003L + x; // radix above any coordinate of a test-sized layer
        }
        return code;
    }

    private boolean advance(int[] idx, int from) {
        for (int i = from; i < idx.length; i++) {
            if (++idx[i] < loops.get(i).factor()) {
                return true;
            }
            idx[i] = 0;
        }
        return false;
    }

    private boolean advanceBelow(int[] idx, int cut) {
        for (int i = 0; i < cut; i++) {
            if (++idx[i] < loops.get(i).factor()) {
                return true;
            }
            idx[i] = 0;
        }
        return false;
    }
}
