package org.edgenn.generator.mapping.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.runtime.cost.Loop;
import org.edgenn.runtime.cost.SpatialMapping;
import org.edgenn.runtime.cost.Workload;

/**
 * Stage 2a: the temporal loops to order. Every dimension's remaining bound {@code ceil(bound / spatial)} is
 * split into prime factors; while there are more than {@code limit} loops, the two smallest factors of the
 * dimension with the most factors are merged (ties: lower {@link LoopDim} ordinal). Deterministic.
 */
public final class LoopFactorizer {
    private LoopFactorizer() {
    }

    /** The loops, sorted by (dim, factor); the order is the search's job. */
    public static List<Loop> loops(Workload w, SpatialMapping s, int limit) {
        List<List<Integer>> perDim = new ArrayList<>();
        int total = 0;
        for (LoopDim d : LoopDim.values()) {
            int f = s.factor(d);
            List<Integer> primes = primeFactors((w.bound(d) + f - 1) / f);
            perDim.add(primes);
            total += primes.size();
        }
        while (total > limit) {
            int best = -1;
            for (int d = 0; d < perDim.size(); d++) {
                if (perDim.get(d).size() >= 2 && (best < 0 || perDim.get(d).size() > perDim.get(best).size())) {
                    best = d;
                }
            }
            if (best < 0) {
                break;
            }
            List<Integer> f = perDim.get(best);
            f.sort(Comparator.naturalOrder());
            int merged = f.remove(0) * f.remove(0);
            f.add(merged);
            total--;
        }
        List<Loop> loops = new ArrayList<>();
        for (LoopDim d : LoopDim.values()) {
            List<Integer> f = perDim.get(d.ordinal());
            f.sort(Comparator.naturalOrder());
            for (int x : f) {
                loops.add(new Loop(d, x));
            }
        }
        return loops;
    }

    static List<Integer> primeFactors(int n) {
        List<Integer> p = new ArrayList<>();
        for (int q = 2; (long) q * q <= n; q++) {
            while (n % q == 0) {
                p.add(q);
                n /= q;
            }
        }
        if (n > 1) {
            p.add(n);
        }
        return p;
    }
}
