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

    public AnnealingSearch(Evaluator evaluator, SpatialMapping spatial, List<Loop> loops, long seed) {
        this.evaluator = evaluator;
        this.spatial = spatial;
        this.loops = List.copyOf(loops);
        this.allocator = new LoopAllocator(evaluator.workload(), evaluator.model().hierarchy(), spatial);
        this.random = new Random(seed);
    }

    /** {@code onStep} receives the iteration number every 64 steps (for progress reports). */
    public void run(int iterations, long deadlineNanos, LongConsumer onStep) {
        if (loops.size() < 2) {
            evaluator.evaluate(spatial, allocator, loops);
            return;
        }
        List<Loop> current = start();
        double currentCost = cost(evaluator.evaluate(spatial, allocator, current));
        double cooling = Math.pow(T_END / T_START, 1.0 / iterations);
        double temperature = T_START;
        for (int it = 0; it < iterations; it++, temperature *= cooling) {
            if ((it & 63) == 0) {
                onStep.accept(it);
                if (System.nanoTime() > deadlineNanos) {
                    return;
                }
            }
            int a = random.nextInt(loops.size());
            int b = random.nextInt(loops.size());
            if (current.get(a).equals(current.get(b))) {
                continue;
            }
            List<Loop> next = new ArrayList<>(current);
            Collections.swap(next, a, b);
            double nextCost = cost(evaluator.evaluate(spatial, allocator, next));
            double delta = nextCost - currentCost;
            if (Double.isInfinite(currentCost) || delta <= 0 || random.nextDouble() < Math.exp(-delta / temperature)) {
                current = next;
                currentCost = nextCost;
            }
        }
    }

    /** A random start; an invalid one costs infinity and is left by the first valid move. */
    private List<Loop> start() {
        List<Loop> order = new ArrayList<>(loops);
        Collections.shuffle(order, random);
        return order;
    }

    private static double cost(Candidate c) {
        return c == null ? Double.POSITIVE_INFINITY : Math.log(Math.max(c.objective(), Double.MIN_NORMAL));
    }
}
