package org.edgenn.generator.mapping.schedule;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.edgenn.runtime.cost.LayerKind;
import org.edgenn.runtime.cost.Workload;

/**
 * Element-wise ops fused into the output stage of the layer producing their input (the rule of the network schedule):
 * an element-wise layer joins the group whose last layer produces one of its inputs when that output has the same
 * number of elements, is read by this layer only and is not a network output; of several such inputs, the one produced
 * last. The group then writes only its last layer's output; the fused layers' other inputs are read where they live
 * ({@link Group#extraReads}), each in full once. Everything else starts a group of its own.
 */
public final class Fusion {
    private Fusion() {
    }

    /**
     * One scheduled pass: the {@code head} layer's loop nest, mapped like any layer, with the element-wise
     * {@code fused} layers applied to its outputs on the way out.
     *
     * @param workload   the head's loop nest, its final outputs at the last fused layer's output width
     * @param output     the tensor the group writes (its last layer's)
     * @param extraReads tensors the fused layers read besides the value flowing through the group
     */
    public record Group(int index, WorkloadGraph.Layer head, List<WorkloadGraph.Layer> fused, Workload workload,
                        String output, List<String> extraReads) {
        public Group {
            fused = List.copyOf(fused);
            extraReads = List.copyOf(extraReads);
        }

        /** The name tables use: the head's. */
        public String name() {
            return head.workload().name();
        }
    }

    /** Groups in execution order; with {@code fuse} false, one group per layer (the layer-by-layer schedule). */
    public static List<Group> groups(WorkloadGraph g, boolean fuse) {
        Map<String, Integer> readers = new HashMap<>();
        for (WorkloadGraph.Layer l : g.layers()) {
            for (String in : l.inputs()) {
                readers.merge(in, 1, Integer::sum);
            }
        }
        List<Builder> groups = new ArrayList<>();
        Map<String, Builder> byOutput = new HashMap<>();
        for (WorkloadGraph.Layer l : g.layers()) {
            Builder into = fuse ? target(g, l, readers, byOutput) : null;
            if (into == null) {
                Builder b = new Builder(groups.size(), l);
                groups.add(b);
                byOutput.put(l.output(), b);
                continue;
            }
            String through = into.output;
            byOutput.remove(through);
            into.fused.add(l);
            into.output = l.output();
            for (String in : l.inputs()) {
                if (!in.equals(through) && !into.extraReads.contains(in) && g.tensors().containsKey(in)) {
                    into.extraReads.add(in);
                }
            }
            byOutput.put(l.output(), into);
        }
        List<Group> out = new ArrayList<>();
        for (Builder b : groups) {
            out.add(b.build(g));
        }
        return out;
    }

    /** The group an element-wise layer fuses into, or null. */
    private static Builder target(WorkloadGraph g, WorkloadGraph.Layer l, Map<String, Integer> readers,
                                  Map<String, Builder> byOutput) {
        if (l.workload().kind() != LayerKind.ELEMENTWISE) {
            return null;
        }
        long elements = l.workload().macs();
        Builder best = null;
        for (String in : l.inputs()) {
            Builder b = byOutput.get(in);
            WorkloadGraph.Tensor t = g.tensors().get(in);
            if (b == null || t == null || t.pinned() || t.elements() != elements || readers.getOrDefault(in, 0) != 1) {
                continue;
            }
            if (best == null || b.index > best.index) {
                best = b;
            }
        }
        return best;
    }

    private static final class Builder {
        final int index;
        final WorkloadGraph.Layer head;
        final List<WorkloadGraph.Layer> fused = new ArrayList<>();
        final List<String> extraReads = new ArrayList<>();
        String output;

        Builder(int index, WorkloadGraph.Layer head) {
            this.index = index;
            this.head = head;
            this.output = head.output();
        }

        Group build(WorkloadGraph g) {
            Workload w = head.workload();
            if (!fused.isEmpty()) {
                int bits = fused.get(fused.size() - 1).workload().outputBits();
                w = withOutputBits(w, bits);
            }
            return new Group(index, head, fused, w, output, extraReads);
        }
    }

    /** The same loop nest writing its final outputs at {@code bits} (element-wise nests accumulate nothing). */
    static Workload withOutputBits(Workload w, int bits) {
        if (w.outputBits() == bits) {
            return w;
        }
        int psum = w.kind() == LayerKind.ELEMENTWISE ? bits : w.partialSumBits();
        Workload r = Workload.of(w.name(), w.kind(), w.bounds(), w.strideY(), w.strideX(), w.dilationY(),
                w.dilationX(), w.padY(), w.padX(), new Workload.Precision(w.weightBits(), w.inputBits(), bits, psum));
        return w.weightDensity() < 1 || w.storedBits(org.edgenn.ir.accel.Operand.W) != w.weightBits() && w.kind().hasWeights()
                ? r.withWeightSparsity(w.weightDensity(), w.storedBits(org.edgenn.ir.accel.Operand.W)) : r;
    }
}
