package org.edgenn.generator.mapping.schedule;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import org.edgenn.ir.accel.MemoryLevel;
import org.edgenn.ir.accel.Operand;
import org.edgenn.runtime.cost.CostResult;
import org.edgenn.runtime.cost.LayerKind;
import org.edgenn.runtime.cost.MemoryHierarchy;

/**
 * Which tensors stay on chip between the passes of a network schedule, and what that takes from each pass.
 *
 * <p>A tensor can stay resident in the level directly below the backing store of every operand chain it takes part
 * in (the same level for all its uses: a tied weight's {@code W} chains, a state's producer {@code O} and consumer
 * {@code I} chains), when that level is bounded and one instance serves the whole array. Candidates: weights used by
 * two or more passes (tied across unrolled steps), values computed by a pass and read by a later one (loop-carried
 * states, intermediates), inputs read by two or more passes; never a tensor that must be in the backing store
 * (network outputs, concatenations). A resident tensor occupies its level from its first use to its last; a weight
 * or input is loaded from the backing store once, at its first use, and a computed value never goes there.
 *
 * <p>The rule ({@link #choose}): candidates in decreasing order of estimated saving per byte, or of saving (backing-store
 * bytes its passes moved without residency, times the energy per byte, less the load), each admitted when at every pass
 * of its lifetime the resident bytes of its level stay within {@code fraction} of the level; the network scheduler
 * tries both orders and several fractions (the rest of the level is left to the passes' tiles) and keeps the best
 * network.
 * An element-wise pass reads its inputs as one operand, so they stay resident only together.
 */
public final class Residency {
    private Residency() {
    }

    /** One use of a tensor by a pass: as its {@code W}, {@code I} or {@code O} operand, or read by a fused op (null). */
    record Use(int group, Operand role) {
    }

    /** A tensor that may stay on chip, in memory {@code level} (index into the accelerator's memories). */
    public record Candidate(String tensor, int level, long bytes, long passBytes, int first, int last,
                            boolean loaded, double saving, List<Integer> groups) {
    }

    /** The candidates of a schedule; {@code baseline} gives each pass's cost without residency (for the savings). */
    public static List<Candidate> candidates(WorkloadGraph g, List<Fusion.Group> groups, MemoryHierarchy h,
                                             IntFunction<CostResult> baseline) {
        Map<String, List<Use>> uses = uses(g, groups);
        List<Candidate> out = new ArrayList<>();
        int top = h.levelCount() - 1;
        for (Map.Entry<String, List<Use>> e : uses.entrySet()) {
            WorkloadGraph.Tensor t = g.tensors().get(e.getKey());
            if (t == null || t.pinned()) {
                continue;
            }
            List<Use> us = e.getValue();
            boolean produced = us.stream().anyMatch(u -> u.role() == Operand.O);
            if (produced != (t.origin() == WorkloadGraph.Origin.PRODUCED)) {
                continue; // produced outside any pass (a view of something unknown): leave it where it is
            }
            long readers = us.stream().filter(u -> u.role() != Operand.O).map(Use::group).distinct().count();
            if (produced ? readers < 1 : readers < 2) {
                continue; // nothing to save: loaded once anyway
            }
            int level = -2;
            for (Use u : us) {
                int l = u.role() == null ? level : below(h, u.role());
                level = level == -2 || level == l ? l : -1;
            }
            if (level == -2) {
                level = below(h, Operand.I); // read by fused ops only: where inputs would stay
            }
            if (level < 0 || !residentCapable(h, h.memory(level))) {
                continue;
            }
            long bytes = bytes(t.elements(), t.bits());
            long passBytes = bytes;
            int first = Integer.MAX_VALUE;
            int last = -1;
            double saved = 0;
            MemoryLevel dram = h.memory(top);
            MemoryLevel on = h.memory(level);
            List<Integer> gs = new ArrayList<>();
            for (Use u : us) {
                first = Math.min(first, u.group());
                last = Math.max(last, u.group());
                if (!gs.contains(u.group())) {
                    gs.add(u.group());
                }
                Fusion.Group grp = groups.get(u.group());
                if (u.role() == Operand.O) {
                    passBytes = bytes(t.elements(), Math.max(t.bits(), grp.workload().partialSumBits()));
                }
                if (u.role() == null) {
                    saved += bytes * (dram.readPjPerByte() - on.readPjPerByte());
                    continue;
                }
                CostResult c = baseline.apply(u.group());
                double moved = c.counts().readBytes(top, u.role(), grp.workload())
                        + c.counts().writeBytes(top, u.role(), grp.workload());
                double share = u.role() == Operand.I ? inputShare(g, grp, t) : 1;
                saved += moved * share * (dram.readPjPerByte() + dram.writePjPerByte()) / 2;
            }
            boolean loaded = t.origin() == WorkloadGraph.Origin.BACKING_STORE;
            if (loaded) {
                saved -= bytes * (dram.readPjPerByte() + on.writePjPerByte());
            }
            if (saved > 0) {
                out.add(new Candidate(t.id(), level, bytes, passBytes, first, last, loaded, saved, gs));
            }
        }
        return out;
    }

    /**
     * The rule: greedy by saving per byte ({@code perByte}) or by saving (ties by name), each candidate admitted if its level's resident bytes stay
     * within {@code fraction} of the level over its whole lifetime; then element-wise passes whose inputs are not all
     * resident drop the resident ones among them (repeated until nothing changes). Tensor id to level.
     */
    public static Map<String, Integer> choose(List<Candidate> candidates, List<Fusion.Group> groups, WorkloadGraph g,
                                              MemoryHierarchy h, double fraction, boolean perByte) {
        List<Candidate> order = new ArrayList<>(candidates);
        order.sort(Comparator.comparingDouble((Candidate c) -> perByte ? -c.saving() / c.passBytes() : -c.saving())
                .thenComparing(Candidate::tensor));
        long[][] live = new long[h.levelCount()][groups.size()];
        Map<String, Integer> chosen = new LinkedHashMap<>();
        for (Candidate c : order) {
            long limit = (long) Math.floor(fraction * h.memory(c.level()).sizeBytes());
            boolean fits = true;
            for (int i = c.first(); i <= c.last() && fits; i++) {
                fits = live[c.level()][i] + (i == c.first() ? c.passBytes() : c.bytes()) <= limit;
            }
            if (fits) {
                for (int i = c.first(); i <= c.last(); i++) {
                    live[c.level()][i] += i == c.first() ? c.passBytes() : c.bytes();
                }
                chosen.put(c.tensor(), c.level());
            }
        }
        return consistent(chosen, groups, g);
    }

    /** Drops resident inputs of element-wise passes whose other inputs are not resident. */
    public static Map<String, Integer> consistent(Map<String, Integer> chosen, List<Fusion.Group> groups, WorkloadGraph g) {
        Map<String, Integer> out = new LinkedHashMap<>(chosen);
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Fusion.Group grp : groups) {
                List<String> joint = inputs(g, grp);
                boolean any = joint.stream().anyMatch(out::containsKey);
                boolean all = !joint.isEmpty() && joint.stream().allMatch(out::containsKey);
                if (any && !all) {
                    joint.forEach(out::remove);
                    changed = true;
                }
            }
        }
        return out;
    }

    /** The operands of a pass that stay resident under {@code chosen}. */
    public static Set<Operand> residentOperands(Fusion.Group grp, WorkloadGraph g, Map<String, Integer> chosen) {
        Set<Operand> ops = EnumSet.noneOf(Operand.class);
        if (grp.workload().has(Operand.W) && !grp.head().weights().isEmpty() && chosen.containsKey(grp.head().weights().get(0))) {
            ops.add(Operand.W);
        }
        List<String> in = inputs(g, grp);
        if (!in.isEmpty() && in.stream().allMatch(chosen::containsKey)) {
            ops.add(Operand.I);
        }
        if (chosen.containsKey(grp.output())) {
            ops.add(Operand.O);
        }
        return ops;
    }

    /**
     * Bytes of resident tensors in each memory while pass {@code index} runs. The value a pass produces counts at its
     * partial-sum width ({@link Candidate#passBytes}) unless {@code finalWidth}: a mapping whose tile of it in that
     * memory is visited once (no partial sum leaves the tile) stores only final values in the resident copy.
     */
    public static long[] reserved(int index, List<Candidate> candidates, Map<String, Integer> chosen, int levels,
                                  boolean finalWidth) {
        long[] r = new long[levels];
        for (Candidate c : candidates) {
            if (chosen.containsKey(c.tensor()) && c.first() <= index && index <= c.last()) {
                r[c.level()] += index == c.first() && !finalWidth ? c.passBytes() : c.bytes();
            }
        }
        return r;
    }

    /** {@link #reserved(int, List, Map, int, boolean)} with produced values at partial-sum width. */
    public static long[] reserved(int index, List<Candidate> candidates, Map<String, Integer> chosen, int levels) {
        return reserved(index, candidates, chosen, levels, false);
    }

    /** The tensors a pass reads as its {@code I} operand: the first input, or all inputs of an element-wise pass. */
    public static List<String> inputs(WorkloadGraph g, Fusion.Group grp) {
        List<String> in = grp.head().inputs().stream().filter(g.tensors()::containsKey).distinct().toList();
        if (grp.workload().kind() == LayerKind.ELEMENTWISE || in.isEmpty()) {
            return in;
        }
        return List.of(in.get(0));
    }

    private static Map<String, List<Use>> uses(WorkloadGraph g, List<Fusion.Group> groups) {
        Map<String, List<Use>> uses = new HashMap<>();
        for (Fusion.Group grp : groups) {
            if (grp.workload().has(Operand.W) && !grp.head().weights().isEmpty()) {
                uses.computeIfAbsent(grp.head().weights().get(0), k -> new ArrayList<>()).add(new Use(grp.index(), Operand.W));
            }
            for (String in : inputs(g, grp)) {
                uses.computeIfAbsent(in, k -> new ArrayList<>()).add(new Use(grp.index(), Operand.I));
            }
            uses.computeIfAbsent(grp.output(), k -> new ArrayList<>()).add(new Use(grp.index(), Operand.O));
            for (String x : grp.extraReads()) {
                uses.computeIfAbsent(x, k -> new ArrayList<>()).add(new Use(grp.index(), null));
            }
        }
        return new java.util.TreeMap<>(uses); // deterministic order
    }

    /** The share of an element-wise pass's input bytes that is tensor {@code t}. */
    private static double inputShare(WorkloadGraph g, Fusion.Group grp, WorkloadGraph.Tensor t) {
        double all = 0;
        for (String in : inputs(g, grp)) {
            WorkloadGraph.Tensor x = g.tensors().get(in);
            all += x.elements() * (double) x.bits();
        }
        return all == 0 ? 0 : t.elements() * (double) t.bits() / all;
    }

    /** The level directly below the backing store in {@code op}'s chain, or -1 when the chain has none. */
    public static int below(MemoryHierarchy h, Operand op) {
        int n = h.chainLength(op);
        return n < 2 ? -1 : h.levelIndex(op, n - 2);
    }

    /** Bounded, and one instance for the whole array (a resident tensor is then stored once). */
    public static boolean residentCapable(MemoryHierarchy h, MemoryLevel m) {
        if (m.isUnbounded() || m.perPe()) {
            return false;
        }
        return m.sharedAlong().isEmpty() || h.spec().axes().stream().allMatch(a -> m.sharesAlong(a.name()));
    }

    public static long bytes(long elements, double bits) {
        return (long) Math.ceil(elements * bits / 8.0);
    }
}
