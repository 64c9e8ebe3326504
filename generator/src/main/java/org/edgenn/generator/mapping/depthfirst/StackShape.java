package org.edgenn.generator.mapping.depthfirst;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.edgenn.generator.mapping.schedule.Fusion;
import org.edgenn.generator.mapping.schedule.Residency;
import org.edgenn.generator.mapping.schedule.WorkloadGraph;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.ir.accel.Operand;
import org.edgenn.runtime.cost.LayerKind;
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.edgenn.runtime.cost.Workload;

/**
 * Consecutive passes that can run depth-first: their heads are spatial nests (convolutions, depthwise, pooling), the
 * first reads one tensor from outside the stack, every later one reads a tensor computed inside it, and every tensor
 * computed inside the stack (but the last pass's output) is read only by later passes of the stack (as their input or
 * by their fused element-wise ops) and need not be in the backing store. Those intermediates then live only as tiles in
 * the on-chip level (the level directly below the backing store of the {@code I} and {@code O} chains, one instance for
 * the whole array).
 *
 * <p>Feature maps are planes of {@code N x channels x H x W}: a pass's output has {@code G*K} channels on its
 * {@code OY x OX} plane, its input {@code G*C}; a fused op that reads an intermediate reads it position for position
 * (same number of elements as the pass's output).
 */
public final class StackShape {
    /** One pass of the stack: its group, the tensor its head reads, and (index into {@link #passes}) its producer. */
    public record Pass(Fusion.Group group, String input, int inputProducer) {
        public Workload workload() {
            return group.workload();
        }
    }

    private final List<Pass> passes;
    private final Map<String, Integer> producer;
    private final Map<String, Integer> lastConsumer;
    private final Map<String, WorkloadGraph.Tensor> tensors;
    private final int level;

    private StackShape(List<Pass> passes, Map<String, Integer> producer, Map<String, Integer> lastConsumer,
                       Map<String, WorkloadGraph.Tensor> tensors, int level) {
        this.passes = List.copyOf(passes);
        this.producer = Map.copyOf(producer);
        this.lastConsumer = Map.copyOf(lastConsumer);
        this.tensors = tensors;
        this.level = level;
    }

    /** Every admissible stack of 2 to {@code maxDepth} consecutive groups, by first group then length. */
    public static List<StackShape> candidates(List<Fusion.Group> groups, WorkloadGraph g, MemoryHierarchy h, int maxDepth) {
        Map<String, List<Integer>> readers = readers(groups, g);
        List<StackShape> out = new ArrayList<>();
        for (int first = 0; first < groups.size(); first++) {
            for (int last = first + 1; last < groups.size() && last - first < maxDepth; last++) {
                StackShape s = of(groups, g, h, first, last, readers);
                if (s != null) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    /** The stack of groups {@code first..last}, or null when they cannot run depth-first. */
    public static StackShape of(List<Fusion.Group> groups, WorkloadGraph g, MemoryHierarchy h, int first, int last) {
        return of(groups, g, h, first, last, readers(groups, g));
    }

    private static StackShape of(List<Fusion.Group> groups, WorkloadGraph g, MemoryHierarchy h, int first, int last,
                                 Map<String, List<Integer>> readers) {
        int level = Residency.below(h, Operand.I);
        if (last <= first || level < 0 || Residency.below(h, Operand.O) != level
                || !Residency.residentCapable(h, h.memory(level))) {
            return null;
        }
        Map<String, Integer> producer = new HashMap<>();
        List<Pass> passes = new ArrayList<>();
        for (int i = first; i <= last; i++) {
            Fusion.Group grp = groups.get(i);
            Workload w = grp.workload();
            if (!spatial(w.kind())) {
                return null;
            }
            List<String> in = Residency.inputs(g, grp);
            if (in.size() != 1) {
                return null;
            }
            Integer from = producer.get(in.get(0));
            if ((i > first) != (from != null)) {
                return null; // the first reads from outside, every later pass from inside
            }
            if (from != null && (!fits(passes.get(from).workload(), w) || skips(w))) {
                return null;
            }
            for (String x : grp.extraReads()) {
                if (producer.containsKey(x) && g.tensors().get(x).elements() != outputs(w)) {
                    return null; // a fused op reading an intermediate reads it position for position
                }
            }
            producer.put(grp.output(), i - first);
            passes.add(new Pass(grp, in.get(0), from == null ? -1 : from));
        }
        Map<String, Integer> lastConsumer = new HashMap<>();
        for (int i = first; i < last; i++) {
            String out = groups.get(i).output();
            WorkloadGraph.Tensor t = g.tensors().get(out);
            List<Integer> rs = readers.getOrDefault(out, List.of());
            if (t == null || t.pinned() || rs.isEmpty() || t.elements() != outputs(groups.get(i).workload())) {
                return null;
            }
            for (int r : rs) {
                if (r <= i || r > last) {
                    return null; // read outside the stack: it would have to be whole somewhere
                }
            }
            lastConsumer.put(out, rs.stream().mapToInt(Integer::intValue).max().orElseThrow() - first);
        }
        producer.remove(groups.get(last).output());
        return new StackShape(passes, producer, lastConsumer, g.tensors(), level);
    }

    /**
     * Whether the nest's windows leave rows or columns of its input unread (stride larger than the kernel's extent, a
     * strided 1x1 convolution): a tile of its producer is a rectangle, so it would compute them for nothing.
     */
    static boolean skips(Workload w) {
        return w.strideY() > (w.bound(LoopDim.FY) - 1) * w.dilationY() + 1
                || w.strideX() > (w.bound(LoopDim.FX) - 1) * w.dilationX() + 1;
    }

    /** Convolutions, depthwise convolutions and pooling: a plane to tile. */
    static boolean spatial(LayerKind k) {
        return k == LayerKind.CONV || k == LayerKind.DEPTHWISE || k == LayerKind.POOL;
    }

    /** Whether {@code consumer} reads {@code producer}'s output as its input feature map (channels and batch agree). */
    private static boolean fits(Workload producer, Workload consumer) {
        return producer.bound(LoopDim.N) == consumer.bound(LoopDim.N) && channelsOut(producer) == channelsIn(consumer);
    }

    static long channelsOut(Workload w) {
        return (long) w.bound(LoopDim.G) * w.bound(LoopDim.K);
    }

    static long channelsIn(Workload w) {
        return (long) w.bound(LoopDim.G) * w.bound(LoopDim.C);
    }

    static long outputs(Workload w) {
        return w.bound(LoopDim.N) * channelsOut(w) * w.bound(LoopDim.OY) * w.bound(LoopDim.OX);
    }

    /** Per tensor, the groups (network indices) reading it as their input or through a fused op. */
    private static Map<String, List<Integer>> readers(List<Fusion.Group> groups, WorkloadGraph g) {
        Map<String, List<Integer>> readers = new HashMap<>();
        for (Fusion.Group grp : groups) {
            for (String in : Residency.inputs(g, grp)) {
                readers.computeIfAbsent(in, k -> new ArrayList<>()).add(grp.index());
            }
            for (String x : grp.extraReads()) {
                readers.computeIfAbsent(x, k -> new ArrayList<>()).add(grp.index());
            }
        }
        return readers;
    }

    public List<Pass> passes() {
        return passes;
    }

    public int size() {
        return passes.size();
    }

    /** Network index of the first group. */
    public int first() {
        return passes.get(0).group().index();
    }

    /** Network index of the last group. */
    public int last() {
        return passes.get(passes.size() - 1).group().index();
    }

    /** The last pass's workload, whose output plane is tiled. */
    public Workload lastWorkload() {
        return passes.get(passes.size() - 1).workload();
    }

    /** Position in the stack of the pass producing {@code tensor}, or null when it comes from outside. */
    public Integer producer(String tensor) {
        return producer.get(tensor);
    }

    /** The intermediates (tensors computed and consumed inside the stack). */
    public java.util.Set<String> intermediates() {
        return producer.keySet();
    }

    /** Position of the last pass reading intermediate {@code tensor}. */
    public int lastConsumer(String tensor) {
        return lastConsumer.get(tensor);
    }

    public WorkloadGraph.Tensor tensor(String id) {
        return tensors.get(id);
    }

    /** The on-chip level the intermediates live in. */
    public int level() {
        return level;
    }

    /** The network's groups {@code first..last} as a name, e.g. {@code c1..c2}. */
    public String name() {
        return passes.get(0).group().name() + ".." + passes.get(passes.size() - 1).group().name();
    }
}
