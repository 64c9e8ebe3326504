package org.edgenn.generator.ops;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Node;
import org.edgenn.ir.ops.Op;

/**
 * Where int8 activation quantizations live: the one rule the quantization-aware trainer (which observes and
 * fake-quantizes) and the int8 inference plan (which reads {@code act.<node>}) share, so that training sees
 * the integer pipeline it will run as. Each op's {@link QuantRole} comes from its traits. See {@code docs/inference.md}.
 *
 * <ul>
 *   <li>{@link #observed}: the node has its own quantization, observed in training and exported as
 *       {@code act.<node>}: the network input, dense and convolution outputs, additions and subtractions,
 *       element-wise maps done by table (tanh, sigmoid, arithmetic with a scalar) and concatenations.</li>
 *   <li>{@link #preserves}: the node's int8 output keeps its first input's quantization (clamps, ReLU,
 *       soft threshold, pooling, reshapes and other data movement): nothing to observe.</li>
 * </ul>
 */
public final class QuantPlacement {
    private QuantPlacement() {
    }

    /** True when the op's int8 output has its first input's scale and zero point. */
    public static boolean preserves(Op op) {
        return OpTraitsRegistry.quantRole(op) == QuantRole.PRESERVES;
    }

    /** True when the node has a quantization of its own, exported as {@code act.<node>}. */
    public static boolean observed(Node n) {
        return OpTraitsRegistry.quantRole(n.op()).observed();
    }

    /** True when the op is an int8 MAC whose input is quantized by an observer (dense, convolution). */
    public static boolean quantizesInput(Op op) {
        return OpTraitsRegistry.quantRole(op) == QuantRole.MAC;
    }

    /** The inference nodes with their own quantization ({@link #observed}), in execution order. */
    public static Set<String> observedNodes(Network net) {
        Set<String> r = new java.util.LinkedHashSet<>();
        for (Node n : net.inferenceNodes()) {
            if (observed(n)) {
                r.add(n.name());
            }
        }
        return r;
    }

    /**
     * The declared width of every observed node: the widest {@link org.edgenn.ir.spec.Compression#activationsOf} among
     * the nodes it quantizes ({@link #sources}), so {@code activations int16 on x} widens the observer of the addition
     * whose soft threshold is the state. Empty when activations stay float.
     */
    public static Map<String, Integer> activationBits(Network net) {
        Map<String, Integer> bits = new HashMap<>();
        if (net.compression() == null || net.compression().activations() == null) {
            return bits;
        }
        for (Map.Entry<String, String> e : sources(net).entrySet()) {
            int b = net.compression().activationsOf(e.getKey()).bits();
            bits.merge(e.getValue(), b, Math::max);
        }
        return bits;
    }

    /**
     * For every inference node with an int8 quantization, the node whose {@code act.<node>} it uses: itself when
     * observed, else (following {@link #preserves}) its first input's. Nodes without one (zero states, parameters,
     * constants) are absent.
     */
    public static Map<String, String> sources(Network net) {
        Map<String, String> src = new HashMap<>();
        Set<String> observed = new HashSet<>(observedNodes(net));
        for (Node n : net.inferenceNodes()) {
            if (observed.contains(n.name())) {
                src.put(n.name(), n.name());
            } else if (preserves(n.op()) && !n.inputs().isEmpty() && src.containsKey(n.inputs().get(0))) {
                src.put(n.name(), src.get(n.inputs().get(0)));
            }
        }
        return src;
    }
}
