package org.edgenn.generator.mapping.search;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.LongConsumer;
import org.edgenn.runtime.cost.Loop;
import org.edgenn.runtime.cost.SpatialMapping;

/**
 * Simulated annealing over the loop orders of one spatial unrolling, for spaces too large to enumerate.
 * A move swaps two loops of different type; moves are accepted by the Metropolis rule on the logarithm of
 * the objective (scale-free, so one temperature schedule suits pJ and cycles alike), with the temperature
 * decreasing geometrically from 0.5 to 0.001 over the iteration budget. Stops early at {@code deadline}.
 * Seeded: the same inputs and budget give the same result unless the deadline cuts the run short.
 */
public final class AnnealingSearch {
    private static final double T_START = 0.5;
    private static final double T_END = 0.001;

    private final Evaluator evaluator;
    private final SpatialMapping spatial;
    private final LoopAllocator allocator;
    private final List<Loop> loops;
    private final Random random;
    private List<Loop> first;

    public AnnealingSearch(Evaluator evaluator, SpatialMapping spatial, List<Loop> loops, long seed) {
        this.evaluator = evaluator;
        this.spatial = spatial;
        this.loops = List.copyOf(loops);
        this.allocator = new LoopAllocator(evaluator.workload(), evaluator.model().hierarchy(), spatial);
        this.random = new Random(seed);
    }

    /**
     * {@code onStep} receives the iteration number every 64 steps (for progress reports). Returns the best objective
     * this run reached (infinity when no order it tried fits), so that a short run can rank unrollings.
     */
    public double run(int iterations, long deadlineNanos, LongConsumer onStep) {
        if (loops.size() < 2) {
            return evaluator.objectiveOf(spatial, allocator, loops);
        }
        List<Loop> current = start();
        double best = evaluator.objectiveOf(spatial, allocator, current);
        double currentCost = cost(best);
        double cooling = Math.pow(T_END / T_START, 1.0 / iterations);
        double temperature = T_START;
        for (int it = 0; it < iterations; it++, temperature *= cooling) {
            if ((it & 63) == 0) {
                onStep.accept(it);
                if (System.nanoTime() > deadlineNanos) {
                    return best;
                }
            }
            int a = random.nextInt(loops.size());
            int b = random.nextInt(loops.size());
            if (current.get(a).equals(current.get(b))) {
                continue;
            }
            List<Loop> next = new ArrayList<>(current);
            Collections.swap(next, a, b);
            double value = evaluator.objectiveOf(spatial, allocator, next);
            best = Math.min(best, value);
            double nextCost = cost(value);
            double delta = nextCost - currentCost;
            if (Double.isInfinite(currentCost) || delta <= 0 || random.nextDouble() < Math.exp(-delta / temperature)) {
                current = next;
                currentCost = nextCost;
            }
        }
        return best;
    }

    /**
     * Starts from {@code order} instead of a random order when it holds the same loops (else ignored): a run that
     * refines a known good order rather than exploring.
     */
    public AnnealingSearch startingFrom(List<Loop> order) {
        List<Loop> a = new ArrayList<>(order);
        List<Loop> b = new ArrayList<>(loops);
        java.util.Comparator<Loop> byText = java.util.Comparator.comparing(Loop::toString);
        a.sort(byText);
        b.sort(byText);
        first = a.equals(b) ? List.copyOf(order) : null;
        return this;
    }

    /** A random start (or the given one); an invalid one costs infinity and is left by the first valid move. */
    private List<Loop> start() {
        if (first != null) {
            return new ArrayList<>(first);
        }
        List<Loop> order = new ArrayList<>(loops);
        Collections.shuffle(order, random);
        return order;
    }

    /** The annealing's energy: the objective's logarithm (infinity for an order that does not fit). */
    private static double cost(double objective) {
        return objective == Double.POSITIVE_INFINITY ? objective : Math.log(Math.max(objective, Double.MIN_NORMAL));
    }
}
