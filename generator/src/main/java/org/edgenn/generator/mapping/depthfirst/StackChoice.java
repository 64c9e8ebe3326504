package org.edgenn.generator.mapping.depthfirst;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import org.edgenn.generator.mapping.schedule.FusedStack;

/**
 * Which stacks the network runs depth-first: non-overlapping intervals of passes, each run as one of its evaluated
 * stacks or pass by pass. Passes run one after another, so the network's energy and latency are sums; the objective
 * (energy, latency, EDP, weighted) grows with both, so its optimum is on the Pareto front of (energy, latency) over
 * the choices. A dynamic program over the passes keeps, for every prefix, that front (exactly: dominated partial
 * schedules cannot lead to the optimum), and the objective picks from the front of the whole network. Running every
 * pass unfused is one of the choices, so the result is never worse than the schedule without stacks.
 */
public final class StackChoice {
    private StackChoice() {
    }

    private record Node(double energy, double latency, Node previous, FusedStack stack, int stacks) {
        Node(double energy, double latency, Node previous, FusedStack stack) {
            this(energy, latency, previous, stack, (previous == null ? 0 : previous.stacks) + (stack == null ? 0 : 1));
        }
    }

    /**
     * The stacks to run. {@code passEnergy[i]}, {@code passLatency[i]}: pass {@code i} unfused (its mapping and fused
     * ops); {@code fixedEnergy}/{@code fixedLatency}: what the schedule adds regardless (one-time loads);
     * {@code objective}: (energy, latency) to the value minimised.
     */
    public static List<FusedStack> choose(double[] passEnergy, double[] passLatency, List<FusedStack> candidates,
                                          double fixedEnergy, double fixedLatency, DoubleBinaryOperator objective) {
        int n = passEnergy.length;
        List<List<Node>> front = new ArrayList<>();
        for (int i = 0; i <= n; i++) {
            front.add(new ArrayList<>());
        }
        front.get(0).add(new Node(0, 0, null, null));
        List<List<FusedStack>> starting = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            starting.add(new ArrayList<>());
        }
        for (FusedStack s : candidates) {
            starting.get(s.first()).add(s);
        }
        for (int i = 0; i < n; i++) {
            List<Node> here = pareto(front.get(i));
            for (Node node : here) {
                front.get(i + 1).add(new Node(node.energy + passEnergy[i], node.latency + passLatency[i], node, null));
                for (FusedStack s : starting.get(i)) {
                    front.get(s.last() + 1).add(new Node(node.energy + s.energyPj(), node.latency + s.latencyCycles(), node, s));
                }
            }
        }
        Node best = null;
        double bestValue = Double.POSITIVE_INFINITY;
        for (Node node : pareto(front.get(n))) {
            double v = objective.applyAsDouble(node.energy + fixedEnergy, node.latency + fixedLatency);
            if (v < bestValue || v == bestValue && best != null && node.stacks < best.stacks) {
                bestValue = v;
                best = node;
            }
        }
        List<FusedStack> chosen = new ArrayList<>();
        for (Node node = best; node != null; node = node.previous) {
            if (node.stack != null) {
                chosen.add(0, node.stack);
            }
        }
        return chosen;
    }

    /** The objective of running {@code stacks} (non-overlapping) and every other pass unfused. */
    public static double value(List<FusedStack> stacks, double[] passEnergy, double[] passLatency, double fixedEnergy,
                               double fixedLatency, DoubleBinaryOperator objective) {
        double e = fixedEnergy;
        double l = fixedLatency;
        boolean[] covered = new boolean[passEnergy.length];
        for (FusedStack s : stacks) {
            e += s.energyPj();
            l += s.latencyCycles();
            for (int i = s.first(); i <= s.last(); i++) {
                covered[i] = true;
            }
        }
        for (int i = 0; i < passEnergy.length; i++) {
            if (!covered[i]) {
                e += passEnergy[i];
                l += passLatency[i];
            }
        }
        return objective.applyAsDouble(e, l);
    }

    /** The non-dominated nodes, by energy then latency; of equal ones the one with fewest stacks (nothing for nothing). */
    private static List<Node> pareto(List<Node> nodes) {
        List<Node> sorted = new ArrayList<>(nodes);
        sorted.sort(Comparator.comparingDouble(Node::energy).thenComparingDouble(Node::latency)
                .thenComparingInt(Node::stacks));
        List<Node> out = new ArrayList<>();
        double bestLatency = Double.POSITIVE_INFINITY;
        for (Node x : sorted) {
            if (x.latency < bestLatency) {
                out.add(x);
                bestLatency = x.latency;
            }
        }
        return out;
    }
}
