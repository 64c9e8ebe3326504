package org.edgenn.runtime.cost;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.ir.accel.MemoryLevel;
import org.edgenn.ir.accel.Operand;

/**
 * Step 3d of the cost model: cycles the array stalls because a memory port cannot deliver a tile in the window
 * it has, period by period (the rule of ZigZag's cost model, {@code CostModelEvaluation.calc_latency}, which
 * EdgeNN's throughput bound alone missed; see docs/mapping.md, "Latency: stalls per period").
 *
 * <p>Every link of an operand chain moves one tile per <em>period</em> (the cycles of the loops under the
 * child's tile, stretched over the irrelevant loops directly above it: the tile stays while they iterate).
 * Each direction at each memory is an activity: {@code real} = cycles to move one period's tile through the
 * port, rounded up to whole cycles; {@code allowed} = the whole period when the child holds at most half of its
 * memory (double buffering: the next tile loads while the current one is used), otherwise only the window of
 * the child's outermost irrelevant loops (the tile must be replaced while those re-use it). An activity stalls
 * {@code (real - allowed) x (periods - 1)} cycles (the first period is on-loading). Activities on one port add
 * their stalls; their slack absorbs each other's busy cycles only within the union of their windows. Ports work
 * in parallel: the stall is the largest port's. Ports: a memory with a separate write port has a read port (data
 * to the level below and partial sums up) and a write port; otherwise one port serves both.
 */
public final class StallModel {
    private StallModel() {
    }

    /** One direction of one link at one memory: per-instance real and allowed cycles per period. */
    record Activity(long real, long allowed, long period, long count) {
        long stall() {
            return (real - allowed) * (count - 1);
        }

        long window() {
            return allowed * (count - 1);
        }
    }

    /** Stall cycles of a mapping (validated by the caller). */
    public static double stallCycles(Workload w, MemoryHierarchy h, Mapping m) {
        return stallCycles(w, h, m, new Tiles(w, m.spatial().factors(), m.temporal()));
    }

    static double stallCycles(Workload w, MemoryHierarchy h, Mapping m, Tiles t) {
        return stallCycles(w, h, m, t, java.util.Set.of());
    }

    /** The same with the operands in {@code resident} idle on their link to the backing store (see {@link CostModel#withResident}). */
    static double stallCycles(Workload w, MemoryHierarchy h, Mapping m, Tiles t, java.util.Set<Operand> resident) {
        int levels = h.levelCount();
        List<List<Activity>> readPort = new ArrayList<>();
        List<List<Activity>> writePort = new ArrayList<>();
        for (int l = 0; l < levels; l++) {
            readPort.add(new ArrayList<>());
            writePort.add(new ArrayList<>());
        }
        List<Loop> loops = m.temporal();
        int n = loops.size();
        long iterations = t.iterations();
        Sharing sh = m.sharing(h);
        boolean[][] doubleBuffered = doubleBuffered(w, h, m, t, loops, sh);
        for (Operand op : w.operands()) {
            int length = h.chainLength(op);
            int[] stationary = stationaryCuts(op, m, loops, length);
            for (int j = 0; j < length - (resident.contains(op) ? 1 : 0); j++) {
                int parent = h.levelIndex(op, j);
                int childCut = j == 0 ? 0 : m.cut(op, j - 1);
                long period = op == Operand.O && j == 0 ? 1 : iterations / t.fills(op, childCut);
                long count = iterations / period;
                // the child's window: whole period if double-buffered, else its top irrelevant loops' window
                long allowed = period;
                if (j > 0 && !doubleBuffered[op.ordinal()][j - 1]) {
                    int below = j >= 2 ? stationary[j - 2] : 0;
                    allowed = period / topProduct(op, loops, below, stationary[j - 1], false);
                }
                long parentWords = t.size(op, childCut, sh.inner(parent));
                long childWords = j == 0 ? 0 : t.size(op, childCut, sh.inner(h.levelIndex(op, j - 1)));
                MemoryLevel pm = h.memory(parent);
                if (op != Operand.O) {
                    int bits = w.bits(op);
                    add(readPort, writePort, pm, parent, false, parentWords * bits, allowed, period, count);
                    if (j > 0) {
                        int child = h.levelIndex(op, j - 1);
                        add(readPort, writePort, h.memory(child), child, true, childWords * bits, allowed, period,
                                count);
                    }
                } else {
                    // partial sums travel while an O-irrelevant loop lies above the child's tile
                    boolean partial = t.fills(op, childCut) > t.distinct(op, childCut);
                    int bits = partial ? w.partialSumBits() : w.outputBits();
                    add(readPort, writePort, pm, parent, true, parentWords * bits, allowed, period, count);
                    if (partial) {
                        add(readPort, writePort, pm, parent, false, parentWords * bits, allowed, period, count);
                    }
                    if (j > 0) {
                        int child = h.levelIndex(op, j - 1);
                        MemoryLevel cm = h.memory(child);
                        add(readPort, writePort, cm, child, false, childWords * bits, allowed, period, count);
                        if (partial) {
                            add(readPort, writePort, cm, child, true, childWords * bits, allowed, period, count);
                        }
                    }
                }
            }
        }
        long worst = 0;
        for (int l = 0; l < levels; l++) {
            if (h.memory(l).separatePorts()) {
                worst = Math.max(worst, combine(readPort.get(l)));
                worst = Math.max(worst, combine(writePort.get(l)));
            } else {
                List<Activity> all = new ArrayList<>(readPort.get(l));
                all.addAll(writePort.get(l));
                worst = Math.max(worst, combine(all));
            }
        }
        return worst;
    }

    private static void add(List<List<Activity>> readPort, List<List<Activity>> writePort, MemoryLevel mem, int level,
                            boolean write, long bits, long allowed, long period, long count) {
        double bytesPerCycle = write && mem.separatePorts() ? mem.writeBandwidthBytesPerCycle()
                : mem.bandwidthBytesPerCycle();
        if (count == 0 || bits == 0) {
            return;
        }
        long real = Double.isInfinite(bytesPerCycle) ? 0 : (long) Math.ceil(bits / (bytesPerCycle * 8) - 1e-9);
        (write ? writePort : readPort).get(level).add(new Activity(real, allowed, period, count));
    }

    /** Stall of one port: positive stalls add; slack absorbs busy cycles only within the union of the windows. */
    static long combine(List<Activity> acts) {
        if (acts.isEmpty()) {
            return 0;
        }
        if (acts.size() == 1) {
            return acts.get(0).stall();
        }
        long positive = 0;
        long negative = 0;
        long windows = 0;
        for (Activity a : acts) {
            long s = a.stall();
            if (s > 0) {
                positive += s;
            } else {
                negative += s;
            }
            windows += a.window();
        }
        return positive + Math.max(0, negative + windows - windowUnion(acts));
    }

    /**
     * Cycles covered by at least one activity's window ({@code [0, allowed)} of every period), over the longest
     * period times its count. Periods are products of prefixes of one loop list, so each divides the next.
     */
    static long windowUnion(List<Activity> acts) {
        Activity longest = acts.get(0);
        for (Activity a : acts) {
            if (a.period() == a.allowed()) {
                return a.period() * a.count();
            }
            if (a.period() > longest.period()) {
                longest = a;
            }
        }
        Activity[] sorted = acts.toArray(new Activity[0]);
        Arrays.sort(sorted, (a, b) -> Long.compare(a.period(), b.period()));
        long uncovered = uncovered(longest.period(), sorted, sorted.length);
        return (longest.period() - uncovered) * longest.count();
    }

    /** Points of {@code [0, x)} outside the windows of activities {@code 0..k-1} (sorted by period). */
    private static long uncovered(long x, Activity[] a, int k) {
        if (k == 0 || x <= 0) {
            return Math.max(0, x);
        }
        Activity last = a[k - 1];
        long perPeriod = uncovered(last.period(), a, k - 1) - uncovered(Math.min(last.allowed(), last.period()), a, k - 1);
        long r = x % last.period();
        long inPartial = uncovered(r, a, k - 1) - uncovered(Math.min(r, last.allowed()), a, k - 1);
        return (x / last.period()) * perPeriod + inPartial;
    }

    /**
     * Where each level's tile ends once the irrelevant loops directly above a cut are counted with the level
     * below it (a tile stays while they iterate).
     */
    private static int[] stationaryCuts(Operand op, Mapping m, List<Loop> loops, int length) {
        int[] s = new int[length];
        for (int j = 0; j < length; j++) {
            int c = m.cut(op, j);
            while (c < loops.size() && !Relevance.relevant(op, loops.get(c).dim())) {
                c++;
            }
            s[j] = c;
        }
        return s;
    }

    /**
     * Product of the outermost loops of {@code [from, to)} that are all relevant ({@code relevant}) or all
     * irrelevant to {@code op}; a partially relevant loop (an input's window loop) ends both runs.
     */
    private static long topProduct(Operand op, List<Loop> loops, int from, int to, boolean relevant) {
        long p = 1;
        for (int i = to - 1; i >= from; i--) {
            LoopDim d = loops.get(i).dim();
            boolean partial = op == Operand.I && (d == LoopDim.OX || d == LoopDim.OY || d == LoopDim.FX
                    || d == LoopDim.FY);
            if (partial || Relevance.relevant(op, d) != relevant) {
                break;
            }
            p *= loops.get(i).factor();
        }
        return p;
    }

    /**
     * Per operand and chain level: may the level double-buffer? Yes when its effective tile (the tile over the
     * outermost relevant loops of the level, i.e. what must be resident at once) fills at most half of the memory
     * together with the other operands' effective tiles there, or fits next to them.
     */
    private static boolean[][] doubleBuffered(Workload w, MemoryHierarchy h, Mapping m, Tiles t, List<Loop> loops,
                                              Sharing sh) {
        Operand[] ops = Operand.values();
        boolean[][] db = new boolean[ops.length][];
        double[][] individual = new double[ops.length][];
        double[] shared = new double[h.levelCount()];
        for (Operand op : w.operands()) {
            int length = h.chainLength(op);
            int[] stationary = stationaryCuts(op, m, loops, length);
            individual[op.ordinal()] = new double[length];
            db[op.ordinal()] = new boolean[length];
            for (int j = 0; j < length; j++) {
                int level = h.levelIndex(op, j);
                MemoryLevel mem = h.memory(level);
                if (mem.isUnbounded()) {
                    continue;
                }
                int below = j == 0 ? 0 : stationary[j - 1];
                long words = t.size(op, m.cut(op, j), sh.inner(level));
                boolean partial = op == Operand.O && t.fills(op, m.cut(op, j)) > t.distinct(op, m.cut(op, j));
                int bits = op == Operand.O ? (partial ? w.partialSumBits() : w.outputBits()) : w.bits(op);
                long effective = words * bits / topProduct(op, loops, below, stationary[j], true);
                individual[op.ordinal()][j] = effective / (mem.sizeBytes() * 8.0);
                shared[level] += individual[op.ordinal()][j];
            }
        }
        for (Operand op : new Operand[] {Operand.O, Operand.W, Operand.I}) {
            if (!w.has(op)) {
                continue;
            }
            for (int j = 0; j < h.chainLength(op); j++) {
                int level = h.levelIndex(op, j);
                MemoryLevel mem = h.memory(level);
                if (mem.isUnbounded()) {
                    db[op.ordinal()][j] = true;
                    continue;
                }
                // two decisions on the level's size (recorded for a probed search: shares of it, as the bytes at
                // which each would change)
                boolean half = shared[level] <= 0.5;
                h.recordFit(level, 2 * shared[level] * mem.sizeBytes(), half);
                if (half) {
                    db[op.ordinal()][j] = true;
                    continue;
                }
                boolean beside = individual[op.ordinal()][j] <= 1 - shared[level];
                h.recordFit(level, (individual[op.ordinal()][j] + shared[level]) * mem.sizeBytes(), beside);
                if (beside) {
                    db[op.ordinal()][j] = true;
                    shared[level] += individual[op.ordinal()][j];
                }
            }
        }
        return db;
    }
}
