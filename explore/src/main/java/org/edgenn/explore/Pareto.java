package org.edgenn.explore;

import java.util.ArrayList;
import java.util.List;

/**
 * The Pareto front of feasible results for objectives that are all minimized: a result is on the front
 * when no other is at least as good on every objective and better on one. The classical pairwise
 * test (quadratic, ample for the thousands of candidates an exploration evaluates).
 */
public final class Pareto {
    private Pareto() {
    }

    public static List<Result> front(List<Result> results, List<String> objectives) {
        List<Result> feasible = results.stream().filter(Result::feasible).toList();
        List<Result> front = new ArrayList<>();
        for (Result r : feasible) {
            boolean dominated = false;
            for (Result o : feasible) {
                if (o != r && dominates(o, r, objectives)) {
                    dominated = true;
                    break;
                }
            }
            if (!dominated) {
                front.add(r);
            }
        }
        return front;
    }

    /** True when {@code a} is no worse than {@code b} on every objective and strictly better on one. */
    public static boolean dominates(Result a, Result b, List<String> objectives) {
        boolean better = false;
        for (String o : objectives) {
            double x = a.metric(o);
            double y = b.metric(o);
            if (x > y) {
                return false;
            }
            better |= x < y;
        }
        return better;
    }
}
