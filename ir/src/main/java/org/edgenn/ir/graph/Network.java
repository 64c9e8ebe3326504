package org.edgenn.ir.graph;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.edgenn.ir.SourceRef;
import org.edgenn.ir.ops.Source;
import org.edgenn.ir.spec.Compression;

/**
 * A network after lowering: every unrolled step expanded, nodes in execution (topological)
 * order with static shapes, weights listed once with their sharing recorded by name.
 *
 * @param javaPackage the {@code package} of the source file ("" when none), for generated code
 * @param outputs     the inference outputs, by node name
 * @param loss        the node holding the total training loss, or null when the network declares none
 */
public record Network(String name, String javaPackage, List<Node> nodes, List<Weight> weights, List<String> outputs,
                      String loss, Compression compression, SourceRef source) {

    public Network {
        nodes = List.copyOf(nodes);
        weights = List.copyOf(weights);
        outputs = List.copyOf(outputs);
    }

    public Node node(String nodeName) {
        for (Node n : nodes) {
            if (n.name().equals(nodeName)) {
                return n;
            }
        }
        throw new IllegalArgumentException("network " + name + " has no node " + nodeName);
    }

    public Weight weight(String weightName) {
        for (Weight w : weights) {
            if (w.name().equals(weightName)) {
                return w;
            }
        }
        throw new IllegalArgumentException("network " + name + " has no weight " + weightName);
    }

    /** Nodes fed from outside with the given role (inputs, labels, params, teachers). */
    public List<Node> sources(Source.Role role) {
        return nodes.stream().filter(n -> n.op().sourceRole() == role).toList();
    }

    public List<Node> inputs() {
        return sources(Source.Role.INPUT);
    }

    /** Nodes sharing each weight, in execution order; a weight with several users is tied. */
    public Map<String, List<String>> weightUsers() {
        Map<String, List<String>> users = new LinkedHashMap<>();
        for (Weight w : weights) {
            users.put(w.name(), new ArrayList<>());
        }
        for (Node n : nodes) {
            for (String w : n.weights()) {
                users.get(w).add(n.name());
            }
        }
        return users;
    }

    /** Number of weight elements (trainable and fixed), each shared weight counted once. */
    public long parameterCount() {
        long n = 0;
        for (Weight w : weights) {
            n += w.shape().size();
        }
        return n;
    }

    /** The nodes inference needs: everything the outputs depend on, in execution order. */
    public List<Node> inferenceNodes() {
        Set<String> needed = new HashSet<>(outputs);
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node n = nodes.get(i);
            if (needed.contains(n.name())) {
                needed.addAll(n.inputs());
            }
        }
        return nodes.stream().filter(n -> needed.contains(n.name())).toList();
    }
}
