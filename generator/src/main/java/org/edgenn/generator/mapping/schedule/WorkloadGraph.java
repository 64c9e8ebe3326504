package org.edgenn.generator.mapping.schedule;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.edgenn.ir.graph.Node;
import org.edgenn.runtime.cost.Workload;

/**
 * A network's workloads with the data flow between them: what the network-level schedule needs to know which tensor
 * each layer reads, which weights are tied across layers, and which element-wise op can fuse into its producer.
 * Built by {@code IrWorkloads.graph}; a list of workloads without a graph (a ZigZag workload file) is
 * {@link #chain}-less: {@link #of(List)} gives every layer private tensors, so nothing is shared or fused.
 *
 * @param layers  the workloads in execution order with their tensors
 * @param tensors every tensor a layer reads or writes, by id
 */
public record WorkloadGraph(List<Layer> layers, Map<String, Tensor> tensors) {
    public WorkloadGraph {
        layers = List.copyOf(layers);
        tensors = Map.copyOf(tensors);
    }

    /** Where a tensor comes from: loaded from the backing store (inputs, constants, weights) or computed by a layer. */
    public enum Origin { BACKING_STORE, PRODUCED }

    /**
     * One tensor. {@code pinned}: it must live in the backing store (a network output, a concatenation that several
     * producers write into, a tensor read by a layer outside the graph), so it is never kept on chip instead.
     */
    public record Tensor(String id, Origin origin, long elements, int bits, boolean weight, boolean pinned) {
    }

    /**
     * One workload: the tensors of its node's inputs (in argument order, views resolved), its weight tensors (the first
     * one is the {@code W} operand) and the tensor it writes.
     */
    public record Layer(Workload workload, List<String> inputs, List<String> weights, String output) {
        public Layer {
            inputs = List.copyOf(inputs);
            weights = List.copyOf(weights);
        }
    }

    /** The workloads alone, in order. */
    public List<Workload> workloads() {
        return layers.stream().map(Layer::workload).toList();
    }

    /** A graph for workloads whose data flow is unknown: every tensor private to one layer, so nothing is shared. */
    public static WorkloadGraph of(List<Workload> workloads) {
        List<Layer> layers = new ArrayList<>();
        Map<String, Tensor> tensors = new HashMap<>();
        for (Workload w : workloads) {
            String out = "out:" + w.name();
            tensors.put(out, new Tensor(out, Origin.PRODUCED, 1, w.outputBits(), false, true));
            layers.add(new Layer(w, List.of(), List.of(), out));
        }
        return new WorkloadGraph(layers, tensors);
    }

    /** Collects the inference nodes in execution order. */
    public static final class Builder {
        private final Set<String> outputs;
        private final List<Layer> layers = new ArrayList<>();
        private final Map<String, Tensor> tensors = new LinkedHashMap<>();
        /** node name -> the node owning its buffer (a view's is its input's). */
        private final Map<String, String> owner = new HashMap<>();

        public Builder(List<String> outputs) {
            this.outputs = Set.copyOf(outputs);
        }

        /** A node that does work on the accelerator. */
        public void layer(Workload w, Node n, int outBits) {
            List<String> weights = n.weights().stream().map(x -> "weight:" + x).toList();
            for (int i = 0; i < weights.size(); i++) {
                // the W operand is the first weight; other weights (biases) are read as before, not scheduled
                if (i == 0 && w.has(org.edgenn.ir.accel.Operand.W)) {
                    tensors.putIfAbsent(weights.get(i), new Tensor(weights.get(i), Origin.BACKING_STORE,
                            weightElements(w), (int) Math.ceil(w.storedBits(org.edgenn.ir.accel.Operand.W)), true, false));
                }
            }
            owner.put(n.name(), n.name());
            tensors.put(n.name(), new Tensor(n.name(), Origin.PRODUCED, n.shape().size(), outBits, false,
                    outputs.contains(n.name())));
            layers.add(new Layer(w, inputs(n), weights, n.name()));
        }

        /** A node without work: a view (its input's buffer), a source or constant (backing store), a concatenation. */
        public void other(Node n, int outBits) {
            if (n.op().isView() && n.inputs().size() == 1 && owner.containsKey(n.inputs().get(0))) {
                String o = owner.get(n.inputs().get(0));
                owner.put(n.name(), o);
                if (outputs.contains(n.name())) {
                    pin(o);
                }
                return;
            }
            owner.put(n.name(), n.name());
            boolean source = n.inputs().isEmpty();
            tensors.put(n.name(), new Tensor(n.name(), Origin.BACKING_STORE, n.shape().size(), outBits, false,
                    !source || outputs.contains(n.name())));
            if (!source) {
                // a concatenation: its producers write into its buffer in the backing store
                inputs(n).forEach(this::pin);
            }
        }

        private void pin(String id) {
            Tensor t = tensors.get(id);
            if (t != null && !t.pinned()) {
                tensors.put(id, new Tensor(t.id(), t.origin(), t.elements(), t.bits(), t.weight(), true));
            }
        }

        private List<String> inputs(Node n) {
            return n.inputs().stream().map(i -> owner.getOrDefault(i, i)).toList();
        }

        public WorkloadGraph build() {
            return new WorkloadGraph(layers, tensors);
        }

        private static long weightElements(Workload w) {
            long e = 1;
            for (org.edgenn.ir.accel.LoopDim d : org.edgenn.ir.accel.LoopDim.values()) {
                if (org.edgenn.runtime.cost.Relevance.relevant(org.edgenn.ir.accel.Operand.W, d)) {
                    e *= w.bound(d);
                }
            }
            return e;
        }
    }
}
