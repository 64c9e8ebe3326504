package org.edgenn.runtime.hw;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.ir.accel.Operand;
import org.edgenn.runtime.cost.AccessCounts;
import org.edgenn.runtime.cost.Loop;
import org.edgenn.runtime.cost.Mapping;
import org.edgenn.runtime.cost.MappingValidator;
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.edgenn.runtime.cost.Relevance;
import org.edgenn.runtime.cost.Workload;
import org.edgenn.runtime.net.Int8Layer;

/**
 * The accelerator executing one layer under a mapping: values and traffic in one walk.
 *
 * <p>Every memory level instance (per PE, shared along some axes, or shared by the whole array) is a store of
 * operand elements. The walk runs the temporal loops in the mapping's order; at every iteration each PE of the spatial
 * unrolling computes its MAC from the weight and input its innermost level instance holds (a PE whose operand is not
 * there is a broken schedule and stops the execution), on its accumulator of the declared width. A level's tile is
 * replaced when an operand-relevant loop above its cut changes (what a loop controller does): weights and inputs are
 * copied down from the parent instance that serves the child (broadcast: the parent reads each element once per
 * instance); partial sums go up at the end of a tile's period (an instance shared by several PEs or child instances
 * adds what they send: the spatial reduction) and come back down when the tile is visited again (to one child holding
 * each element; the others restart from 0). Partial sums are stored at the workload's partial-sum width; the transfer
 * that completes an output (last visit, fully reduced) passes the accelerator's output stage (requantization) and
 * carries the output-width value from then on. The final outputs are read from the backing store.
 *
 * <p>Every element moved is counted where it moves, by level, operand and kind, with the conventions of
 * {@code AccessCountModel} (the mapping table's figures); {@link Result#counts()} must equal them, and
 * {@link Result#output()} the kernels' bytes. Saturations (accumulator, adder, stored partial sum) are counted.
 *
 * <p>Cost: every padded MAC slot once, plus every counted element transfer once, each a few hash-map operations
 * (roughly 0.1–0.5 µs per MAC on one core): meant for the example layers, verification limits what it executes.
 * Not thread-safe; one instance per execution.
 */
public final class MappedExecution {
    /**
     * The layer's output bytes as the mapped hardware computed them ({@code written}: the value indices it computed, all
     * of them unless a sample was executed), the accesses it made, its saturations, and the MACs it performed (slots
     * whose coordinates are all inside the loop nest: padded iterations of an imperfect spatial factor excluded).
     */
    public record Result(byte[] output, java.util.BitSet written, AccessCounts counts, long saturations, long macs) {
    }

    /** A schedule that lost an operand: a PE or level needed an element its parent does not hold. */
    public static final class BrokenScheduleException extends RuntimeException {
        BrokenScheduleException(String message) {
            super(message);
        }
    }

    private static final Operand[] OPS = Operand.values();
    private static final int DIMS = LoopDim.values().length;

    private final Workload w;
    private final MemoryHierarchy h;
    private final MappedSemantics sem;
    private final List<Loop> loops;
    private final int n;
    private final int[] loopDim;
    private final long[] loopStride;
    private final int[] spatial;
    private final int[][] pe;
    private final int pes;
    /** Per operand, per chain position: the instance serving each PE, and each instance's PEs. */
    private final int[][][] instanceOf = new int[OPS.length][][];
    private final int[][][][] members = new int[OPS.length][][][];
    private final int[][] cuts = new int[OPS.length][];
    /** Per operand and cut, the lowest relevant loop position at or above the cut (MAX-1 when none). */
    private final int[][] firstRelevant = new int[OPS.length][];
    /** Per operand, per chain position, per instance: its elements (the backing store of W and I is the tensor). */
    private final List<List<List<Map<Long, Long>>>> store = new ArrayList<>();
    private final ElementCodes codes;
    /** Per O link: whether no element reaches two parent instances (null until its first transfer is seen). */
    private final Boolean[] complete;
    private final long[] reg;
    private final boolean[] oLeader;
    private final AccessCounts.Builder counts;
    /** Operands held whole below the backing store (their top link idle). */
    private Set<Operand> resident = Set.of();
    /** MAC slots executed at coordinates inside the loop nest. */
    private long macs;

    private MappedExecution(Workload w, MemoryHierarchy h, Mapping m, MappedSemantics sem) {
        this.w = w;
        this.h = h;
        this.sem = sem;
        this.loops = m.temporal();
        this.n = loops.size();
        loopDim = new int[n];
        loopStride = new long[n];
        long[] running = new long[DIMS];
        java.util.Arrays.fill(running, 1);
        for (int i = 0; i < n; i++) {
            loopDim[i] = loops.get(i).dim().ordinal();
            loopStride[i] = running[loopDim[i]];
            running[loopDim[i]] *= loops.get(i).factor();
        }
        spatial = m.spatial().factors();
        List<int[]> spatialIdx = new ArrayList<>();
        pe = m.spatial().peOffsets(spatialIdx);
        pes = pe.length;
        long[] total = new long[DIMS];
        for (int d = 0; d < DIMS; d++) {
            total[d] = running[d] * spatial[d];
        }
        codes = new ElementCodes(w, total);
        int n0 = LoopDim.N.ordinal(), g0 = LoopDim.G.ordinal(), k0 = LoopDim.K.ordinal();
        int oy = LoopDim.OY.ordinal(), ox = LoopDim.OX.ordinal();
        for (Operand op : OPS) {
            store.add(new ArrayList<>());
            if (!w.has(op)) {
                continue;
            }
            int o = op.ordinal();
            cuts[o] = m.cuts(op);
            int[] chain = h.chain(op);
            instanceOf[o] = new int[chain.length][];
            members[o] = new int[chain.length][][];
            for (int j = 0; j < chain.length; j++) {
                instanceOf[o][j] = new int[pes];
                members[o][j] = PeArray.instances(h.spec().axes(), h.memory(chain[j]), m, spatialIdx, instanceOf[o][j]);
                List<Map<Long, Long>> level = new ArrayList<>();
                for (int i = 0; i < members[o][j].length; i++) {
                    level.add(new HashMap<>());
                }
                store.get(o).add(level);
            }
            firstRelevant[o] = new int[n + 1];
            for (int c = 0; c <= n; c++) {
                firstRelevant[o][c] = Integer.MAX_VALUE - 1;
                for (int i = n - 1; i >= c; i--) {
                    if (Relevance.relevant(op, loops.get(i).dim())) {
                        firstRelevant[o][c] = i;
                    }
                }
            }
        }
        complete = new Boolean[h.chainLength(Operand.O)];
        reg = new long[pes];
        oLeader = new boolean[pes];
        Set<List<Integer>> seen = new HashSet<>();
        for (int p = 0; p < pes; p++) {
            oLeader[p] = seen.add(List.of(pe[p][n0], pe[p][g0], pe[p][k0], pe[p][oy], pe[p][ox]));
        }
        counts = new AccessCounts.Builder(h.levelCount()).skipping(w, h);
    }

    /**
     * Executes {@code layer} (reading {@code inputs}, in {@link Int8Layer#inputs()} order) under mapping {@code m} of its
     * loop nest {@code w} on the accelerator {@code h} with the arithmetic of {@code model}.
     *
     * @throws IllegalArgumentException   when the mapping is invalid, the loop nest is not the layer's, or the
     *                                    accelerator refuses the layer (activations wider than its operands)
     * @throws BrokenScheduleException    when the mapping's transfers do not bring a PE the element it needs
     */
    public static Result execute(Int8Layer layer, List<byte[]> inputs, Workload w, MemoryHierarchy h, Mapping m,
                                 FunctionalModel model) {
        return execute(layer, inputs, w, h, m, model, Set.of());
    }

    /**
     * The same for a layer of a network schedule whose operands {@code resident} stay whole, for the whole layer, in the
     * level directly below the backing store (weights tied across unrolled steps, a loop-carried state): their link to
     * the backing store moves and counts nothing (weights and inputs are already there; resident outputs stay there, and
     * are read from there), every other link is executed as usual (as {@code CostModel.withResident} costs it).
     */
    public static Result execute(Int8Layer layer, List<byte[]> inputs, Workload w, MemoryHierarchy h, Mapping m,
                                 FunctionalModel model, Set<Operand> resident) {
        return execute(layer, inputs, w, h, m, model, resident, TileWindow.WHOLE);
    }

    /**
     * The same for a tile nest {@code w} of a convolution or pooling layer placed at {@code window} (a depth-first
     * stack's tile): the nest's outputs are the layer's at the window's offset, its inputs the layer's under the
     * window, read only where the window says its memory holds them.
     */
    public static Result execute(Int8Layer layer, List<byte[]> inputs, Workload w, MemoryHierarchy h, Mapping m,
                                 FunctionalModel model, Set<Operand> resident, TileWindow window) {
        for (Operand op : resident) {
            if (!w.has(op) || h.chainLength(op) < 2) {
                throw new IllegalArgumentException(op + " of " + w.name() + " cannot be resident: no level below the backing store holds it");
            }
        }
        List<String> violations = MappingValidator.violations(w, h, m);
        if (!violations.isEmpty()) {
            throw new IllegalArgumentException("invalid mapping of " + w.name() + ": " + String.join("; ", violations));
        }
        MappedSemantics sem = MappedSemantics.of(layer, inputs, w, model, window);
        MappedExecution x = new MappedExecution(w, h, m, sem);
        x.resident = Set.copyOf(resident);
        x.run();
        byte[] out = new byte[layer.output().length];
        java.util.BitSet written = x.collect(out);
        sem.complete(out);
        return new Result(out, written, x.counts.build(), sem.saturations, x.macs);
    }

    private void run() {
        int[] idx = new int[n];
        int carry = Integer.MAX_VALUE;
        while (true) {
            for (Operand op : List.of(Operand.W, Operand.I)) {
                if (w.has(op)) {
                    for (int j = cuts[op.ordinal()].length - 1; j >= 1; j--) {
                        if (carry >= firstRelevant[op.ordinal()][cuts[op.ordinal()][j - 1]]) {
                            load(op, j, idx);
                        }
                    }
                }
            }
            int[] oc = cuts[Operand.O.ordinal()];
            for (int j = oc.length - 1; j >= 1; j--) {
                if (carry >= firstRelevant[Operand.O.ordinal()][oc[j - 1]]) {
                    readBack(j, idx);
                }
            }
            compute(idx);
            int next = 0;
            while (next < n && idx[next] == loops.get(next).factor() - 1) {
                next++;
            }
            boolean done = next == n;
            flushMacs(idx);
            for (int j = 1; j < oc.length; j++) {
                if (!done && next < firstRelevant[Operand.O.ordinal()][oc[j - 1]]) {
                    break;
                }
                flush(j, idx);
            }
            if (done) {
                return;
            }
            for (int i = 0; i < next; i++) {
                idx[i] = 0;
            }
            idx[next]++;
            carry = next;
        }
    }

    /** Start of a period of link {@code j} of W or I: every child instance receives its new tile from its parent. */
    private void load(Operand op, int j, int[] idx) {
        int o = op.ordinal();
        int cut = cuts[o][j - 1];
        List<Map<Long, Long>> child = store.get(o).get(j - 1);
        List<Set<Long>> served = sets(members[o][j].length);
        long written = 0;
        for (int ci = 0; ci < child.size(); ci++) {
            int pi = instanceOf[o][j][members[o][j - 1][ci][0]];
            Map<Long, Long> tile = child.get(ci);
            tile.clear();
            for (long code : tile(op, idx, cut, members[o][j - 1][ci])) {
                tile.put(code, fetch(op, j, pi, code));
                served.get(pi).add(code);
            }
            written += tile.size();
        }
        if (!idle(op, j)) {
            counts.add(h.levelIndex(op, j - 1), op, AccessCounts.Kind.WRITE, written);
            counts.add(h.levelIndex(op, j), op, AccessCounts.Kind.READ, total(served));
        }
    }

    /** Whether link {@code j} of {@code op} is the idle top link of a resident operand (the level below holds it all). */
    private boolean idle(Operand op, int j) {
        return j == cuts[op.ordinal()].length - 1 && resident.contains(op);
    }

    /** Start of a period of link {@code j} of O: the child's tile starts empty, or with its partial sums read back. */
    private void readBack(int j, int[] idx) {
        int o = Operand.O.ordinal();
        int cut = cuts[o][j - 1];
        boolean first = visit(cut, idx, 0);
        List<Map<Long, Long>> child = store.get(o).get(j - 1);
        if (idle(Operand.O, j)) {
            // resident outputs never leave: a new tile's elements start from 0 on their first visit, else stay as they are
            for (int ci = 0; ci < child.size(); ci++) {
                for (long code : tile(Operand.O, idx, cut, members[o][j - 1][ci])) {
                    if (first) {
                        child.get(ci).put(code, sem.identity());
                    } else if (!child.get(ci).containsKey(code)) {
                        throw new BrokenScheduleException(w.name() + ": resident " + codes.describe(Operand.O, code) + " was lost from "
                                + h.memory(h.levelIndex(Operand.O, j - 1)).name());
                    }
                }
            }
            return;
        }
        List<Set<Long>> served = sets(members[o][j].length);
        long written = 0;
        for (int ci = 0; ci < child.size(); ci++) {
            int pi = instanceOf[o][j][members[o][j - 1][ci][0]];
            Map<Long, Long> tile = child.get(ci);
            tile.clear();
            for (long code : tile(Operand.O, idx, cut, members[o][j - 1][ci])) {
                // one child instance takes the parent's partial sum back, the others add from 0
                tile.put(code, !first && served.get(pi).add(code) ? fetch(Operand.O, j, pi, code) : sem.identity());
            }
            written += tile.size();
        }
        if (!first) {
            counts.add(h.levelIndex(Operand.O, j - 1), Operand.O, AccessCounts.Kind.WRITE, written);
            counts.add(h.levelIndex(Operand.O, j), Operand.O, AccessCounts.Kind.READ, total(served));
        }
    }

    /** One iteration of the array: every PE reads its W and I at its innermost level, its partial sum, and MACs. */
    private void compute(int[] idx) {
        long[] t = temporal(idx);
        int[][] d = new int[pes][];
        for (int p = 0; p < pes; p++) {
            d[p] = dims(t, p);
        }
        long[][] value = new long[2][pes];
        for (Operand op : List.of(Operand.W, Operand.I)) {
            if (!w.has(op)) {
                continue;
            }
            int o = op.ordinal();
            long reads = 0;
            for (int inst = 0; inst < members[o][0].length; inst++) {
                int[] group = members[o][0][inst];
                Set<Long> served = group.length == 1 ? null : new HashSet<>();
                for (int p : group) {
                    long code = codes.code(op, d[p]);
                    value[o][p] = fetch(op, 0, inst, code);
                    if (served == null || served.add(code)) {
                        reads++;
                    }
                }
            }
            counts.add(h.levelIndex(op, 0), op, AccessCounts.Kind.READ, reads);
        }
        int o = Operand.O.ordinal();
        boolean first = visit(0, idx, 0);
        long reads = 0;
        for (int inst = 0; inst < members[o][0].length; inst++) {
            int[] group = members[o][0][inst];
            Set<Long> served = group.length == 1 || first ? null : new HashSet<>();
            for (int p : group) {
                if (first) {
                    reg[p] = oLeader[p] ? sem.initial(d[p]) : sem.identity();
                } else {
                    long code = codes.code(Operand.O, d[p]);
                    // one PE of the instance takes the stored partial sum back, the others add from 0
                    boolean take = served == null || served.add(code);
                    reg[p] = take ? fetch(Operand.O, 0, inst, code) : sem.identity();
                    reads += take ? 1 : 0;
                }
                reg[p] = sem.mac(reg[p], value[Operand.W.ordinal()][p], value[Operand.I.ordinal()][p], d[p]);
                macs += sem.inBounds(d[p]) ? 1 : 0;
            }
        }
        if (!first) {
            counts.add(h.levelIndex(Operand.O, 0), Operand.O, AccessCounts.Kind.READ, reads);
        }
    }

    /** End of the MACs' period (every iteration): the PEs' sums go to their innermost O level, reduced per instance. */
    private void flushMacs(int[] idx) {
        int o = Operand.O.ordinal();
        long[] t = temporal(idx);
        List<Map<Long, Long>> sums = new ArrayList<>(members[o][0].length);
        for (int[] group : members[o][0]) {
            Map<Long, Long> sum = new HashMap<>(group.length == 1 ? 2 : 2 * group.length);
            for (int p : group) {
                sum.merge(codes.code(Operand.O, dims(t, p)), reg[p], sem::combine);
            }
            sums.add(sum);
        }
        store(0, sums, last(0, idx), false);
    }

    /** End of a period of link {@code j} of O: the child instances send their tiles up, reduced per parent instance. */
    private void flush(int j, int[] idx) {
        int o = Operand.O.ordinal();
        int cut = cuts[o][j - 1];
        List<Map<Long, Long>> child = store.get(o).get(j - 1);
        if (idle(Operand.O, j)) {
            // resident outputs stay where they are; they must be complete there by the end (see collect)
            return;
        }
        List<Map<Long, Long>> sums = maps(members[o][j].length);
        long read = 0;
        boolean childFinal = Boolean.TRUE.equals(complete[j - 1]) && last(cut, idx);
        for (int ci = 0; ci < child.size(); ci++) {
            Map<Long, Long> parent = sums.get(instanceOf[o][j][members[o][j - 1][ci][0]]);
            for (Map.Entry<Long, Long> e : child.get(ci).entrySet()) {
                if (childFinal && parent.containsKey(e.getKey())) {
                    throw new BrokenScheduleException(w.name() + ": final output " + codes.describe(Operand.O, e.getKey())
                            + " arrives twice at " + h.memory(h.levelIndex(Operand.O, j)).name());
                }
                parent.merge(e.getKey(), e.getValue(), sem::combine);
            }
            read += child.get(ci).size();
            child.get(ci).clear();
        }
        boolean last = last(cut, idx);
        boolean isFinal = store(j, sums, last, childFinal);
        counts.add(h.levelIndex(Operand.O, j - 1), Operand.O, isFinal ? AccessCounts.Kind.FINAL_READ : AccessCounts.Kind.READ, read);
    }

    /**
     * Writes reduced tiles into the instances of O's level {@code j}: the transfer is final when it is the tile's last
     * visit and no element reached two instances; the first final transfer passes the output stage. Returns whether it
     * was final.
     */
    private boolean store(int j, List<Map<Long, Long>> sums, boolean last, boolean alreadyFinal) {
        int o = Operand.O.ordinal();
        if (complete[j] == null) {
            Set<Long> union = new HashSet<>();
            long size = 0;
            for (Map<Long, Long> s : sums) {
                union.addAll(s.keySet());
                size += s.size();
            }
            complete[j] = union.size() == size;
        }
        boolean isFinal = last && complete[j];
        long written = 0;
        for (int pi = 0; pi < sums.size(); pi++) {
            Map<Long, Long> target = store.get(o).get(j).get(pi);
            for (Map.Entry<Long, Long> e : sums.get(pi).entrySet()) {
                long v = e.getValue();
                v = !isFinal ? sem.partial(v) : alreadyFinal ? v : sem.finish(v, codes.decodeOutput(e.getKey()));
                target.put(e.getKey(), v);
            }
            written += sums.get(pi).size();
        }
        counts.add(h.levelIndex(Operand.O, j), Operand.O, isFinal ? AccessCounts.Kind.FINAL_WRITE : AccessCounts.Kind.WRITE, written);
        return isFinal;
    }

    /** The final outputs in the backing store, into the layer's buffer; an output never written is a broken schedule. */
    private java.util.BitSet collect(byte[] out) {
        java.util.BitSet written = new java.util.BitSet();
        int o = Operand.O.ordinal();
        int top = cuts[o].length - 1;
        Map<Long, Long> backing = store.get(o).get(top).get(0);
        if (resident.contains(Operand.O)) {
            // the outputs stay in the level below the backing store: final there, each in one instance
            if (!Boolean.TRUE.equals(complete[top - 1])) {
                throw new BrokenScheduleException(w.name() + ": resident outputs are not reduced in one instance of "
                        + h.memory(h.levelIndex(Operand.O, top - 1)).name());
            }
            backing = new HashMap<>();
            for (Map<Long, Long> instance : store.get(o).get(top - 1)) {
                backing.putAll(instance);
            }
        }
        int[] d = new int[DIMS];
        int[] b = w.bounds();
        for (d[0] = 0; d[0] < b[0]; d[0]++)
            for (d[1] = 0; d[1] < b[1]; d[1]++)
                for (d[2] = 0; d[2] < b[2]; d[2]++)
                    for (d[4] = 0; d[4] < b[4]; d[4]++)
                        for (d[5] = 0; d[5] < b[5]; d[5]++) {
                            Long v = backing.get(codes.code(Operand.O, d));
                            if (v == null) {
                                throw new BrokenScheduleException(w.name() + ": output " + codes.describe(Operand.O, codes.code(Operand.O, d))
                                        + " never reached " + h.memory(h.levelIndex(Operand.O, cuts[o].length - 1)).name());
                            }
                            written.set(sem.write(out, d, v));
                        }
        return written;
    }

    /** The element {@code code} from instance {@code inst} of chain position {@code j}; the tensor at the backing store of W and I. */
    private long fetch(Operand op, int j, int inst, long code) {
        int o = op.ordinal();
        if (op != Operand.O && j == cuts[o].length - 1) {
            long[] c = codes.decode5(op, code);
            return op == Operand.W ? sem.weight((int) c[0], (int) c[1], (int) c[2], (int) c[3], (int) c[4])
                    : sem.input((int) c[0], (int) c[1], (int) c[2], (int) c[3], (int) c[4]);
        }
        Long v = store.get(o).get(j).get(inst).get(code);
        if (v == null) {
            throw new BrokenScheduleException(w.name() + ": " + codes.describe(op, code) + " is needed from "
                    + h.memory(h.levelIndex(op, j)).name() + " (instance " + inst + "), which does not hold it");
        }
        return v;
    }

    /** Whether every loop irrelevant to O at position >= cut is at 0 ({@code end = 0}: first visit) or at its last index. */
    private boolean visit(int cut, int[] idx, int end) {
        for (int i = cut; i < n; i++) {
            if (!Relevance.relevant(Operand.O, loops.get(i).dim()) && idx[i] != (end == 0 ? 0 : loops.get(i).factor() - 1)) {
                return false;
            }
        }
        return true;
    }

    private boolean last(int cut, int[] idx) {
        return visit(cut, idx, 1);
    }

    /** The elements of {@code op} the PEs {@code group} touch while loops below {@code cut} run (outer indices fixed). */
    private Set<Long> tile(Operand op, int[] outer, int cut, int[] group) {
        Set<Long> s = new HashSet<>();
        int[] idx = outer.clone();
        for (int i = 0; i < cut; i++) {
            idx[i] = 0;
        }
        while (true) {
            long[] t = temporal(idx);
            for (int p : group) {
                s.add(codes.code(op, dims(t, p)));
            }
            int i = 0;
            while (i < cut && ++idx[i] == loops.get(i).factor()) {
                idx[i++] = 0;
            }
            if (i == cut) {
                return s;
            }
        }
    }

    /** The temporal part of every dimension's index at loop indices {@code idx}. */
    private long[] temporal(int[] idx) {
        long[] t = new long[DIMS];
        for (int i = 0; i < n; i++) {
            t[loopDim[i]] += idx[i] * loopStride[i];
        }
        return t;
    }

    /** The loop-nest coordinates of PE {@code p} at temporal indices {@code t}. */
    private int[] dims(long[] t, int p) {
        int[] d = new int[DIMS];
        for (int k = 0; k < DIMS; k++) {
            d[k] = (int) (t[k] * spatial[k] + pe[p][k]);
        }
        return d;
    }

    private static List<Set<Long>> sets(int count) {
        List<Set<Long>> s = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            s.add(new HashSet<>());
        }
        return s;
    }

    private static List<Map<Long, Long>> maps(int count) {
        List<Map<Long, Long>> s = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            s.add(new HashMap<>());
        }
        return s;
    }

    private static long total(List<Set<Long>> sets) {
        long t = 0;
        for (Set<Long> s : sets) {
            t += s.size();
        }
        return t;
    }
}
