package org.edgenn.ir.graph;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.edgenn.ir.ops.Source;

/**
 * What {@code curriculum layerwise} trains at each stage, read off the unrolled IR (IR names throughout). The
 * network's output is an unroll state {@code x[K-1]}; stage k trains on the loss with that output replaced by
 * {@code x[k]}, updating the weights only step k uses (stage 0 also every weight outside the unroll block or
 * shared by several steps), each started from the same layer's weight of step k-1. The validator derives it too,
 * so that a curriculum the generator cannot plan is a diagnostic on the {@code curriculum} item.
 *
 * @param output   the output node, {@code x[K-1]}
 * @param lossTail the training-only nodes after the output that depend on it (the loss terms to re-emit per stage)
 */
public record CurriculumPlan(String output, List<Node> lossTail, List<Stage> stages) {

    /** Stage {@code step}: minimise the loss of {@code state}; {@code initFrom} maps a weight to the one it starts as. */
    public record Stage(int step, String state, List<String> trainable, Map<String, String> initFrom) {
    }

    /** The plan, or an IllegalArgumentException whose message says why there is none (for a diagnostic). */
    public static CurriculumPlan of(Network net) {
        String output = net.outputs().isEmpty() ? null : net.outputs().get(0);
        Node out = output == null ? null : net.node(output);
        String index = out == null ? "" : "[" + out.step() + "]";
        int at = out == null ? -1 : output.lastIndexOf(index);
        if (out == null || out.step() < 0 || at < 0) {
            throw new IllegalArgumentException("a curriculum trains one unroll step at a time on that step's output: "
                    + "the output of network " + net.name() + " must be a state assigned in an unroll block");
        }
        if (net.loss() == null) {
            throw new IllegalArgumentException("a curriculum needs the loss of network " + net.name());
        }
        List<Node> tail = lossTail(net, output);
        List<List<String>> perStep = weightsPerStep(net, out.step() + 1);
        List<Stage> stages = new ArrayList<>();
        for (int k = 0; k <= out.step(); k++) {
            String state = output.substring(0, at) + "[" + k + "]" + output.substring(at + index.length());
            int step = k;
            if (net.nodes().stream().noneMatch(n -> n.name().equals(state) && n.step() == step)) {
                throw new IllegalArgumentException("curriculum: unroll step " + k + " of network " + net.name()
                        + " has no state " + state + " to train on");
            }
            Map<String, String> initFrom = new LinkedHashMap<>();
            if (k > 0) {
                for (String w : perStep.get(k)) {
                    String previous = sameLayer(net, net.weight(w), perStep.get(k - 1));
                    if (previous != null) {
                        initFrom.put(w, previous);
                    }
                }
            }
            stages.add(new Stage(k, state, perStep.get(k), initFrom));
        }
        return new CurriculumPlan(output, tail, stages);
    }

    private static List<Node> lossTail(Network net, String output) {
        Set<String> reached = new HashSet<>(Set.of(output));
        List<Node> tail = new ArrayList<>();
        boolean after = false;
        for (Node n : net.nodes()) {
            if (n.name().equals(output)) {
                after = true;
            } else if (after && n.trainingOnly() && n.inputs().stream().anyMatch(reached::contains)) {
                reached.add(n.name());
                tail.add(n);
            }
        }
        if (!reached.contains(net.loss())) {
            throw new IllegalArgumentException("a curriculum trains each step on the network's loss with the output "
                    + "replaced by that step's state, but the loss of network " + net.name() + " does not use its output");
        }
        return tail;
    }

    /** The trainable weights of each stage, in declaration order. */
    private static List<List<String>> weightsPerStep(Network net, int steps) {
        List<List<String>> perStep = new ArrayList<>();
        for (int k = 0; k < steps; k++) {
            perStep.add(new ArrayList<>());
        }
        Map<String, Set<Integer>> used = stepsUsing(net);
        for (Weight w : net.weights()) {
            Set<Integer> s = used.get(w.name());
            if (!w.trainable() || s == null || s.isEmpty()) {
                continue;
            }
            int only = s.size() == 1 ? s.iterator().next() : -1;
            perStep.get(only >= 0 && only < steps ? only : 0).add(w.name());
        }
        return perStep;
    }

    /** The unroll steps of the nodes computing with each weight; a parameter counts at the steps that read it. */
    private static Map<String, Set<Integer>> stepsUsing(Network net) {
        Map<String, Set<Integer>> readers = new LinkedHashMap<>();
        for (Node n : net.nodes()) {
            for (String in : n.inputs()) {
                readers.computeIfAbsent(in, x -> new TreeSet<>()).add(n.step());
            }
        }
        Map<String, Set<Integer>> steps = new LinkedHashMap<>();
        for (Node n : net.nodes()) {
            for (String w : n.weights()) {
                Set<Integer> s = steps.computeIfAbsent(w, x -> new TreeSet<>());
                if (n.op().sourceRole() == Source.Role.PARAM) {
                    s.addAll(readers.getOrDefault(n.name(), Set.of()));
                } else {
                    s.add(n.step());
                }
            }
        }
        return steps;
    }

    private static String sameLayer(Network net, Weight w, List<String> candidates) {
        for (String c : candidates) {
            Weight p = net.weight(c);
            if (p.layer().equals(w.layer()) && p.role().equals(w.role())) {
                return c;
            }
        }
        return null;
    }
}
