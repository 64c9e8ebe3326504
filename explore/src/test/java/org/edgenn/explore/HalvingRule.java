package org.edgenn.explore;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleBiFunction;

/**
 * Successive halving by brute force, the tests' reference: at each rung, every survivor counts how many survivors have a
 * lower loss (ties broken by name) and stays only if fewer than ⌊n/3⌋ (at least 1) beat it.
 */
final class HalvingRule {
    private HalvingRule() {
    }

    /** The index of the last rung each network reaches; {@code loss} gives a network's loss after so many steps. */
    static Map<String, Integer> reached(Collection<String> networks, List<Integer> rungs, ToDoubleBiFunction<String, Integer> loss) {
        Set<String> alive = new LinkedHashSet<>(networks);
        Map<String, Integer> reached = new HashMap<>();
        for (int i = 0; i < rungs.size(); i++) {
            int steps = rungs.get(i);
            for (String u : alive) {
                reached.put(u, i);
            }
            int keep = Math.max(1, alive.size() / 3);
            Set<String> next = new LinkedHashSet<>();
            for (String u : alive) {
                int better = 0;
                for (String v : alive) {
                    double lv = loss.applyAsDouble(v, steps);
                    double lu = loss.applyAsDouble(u, steps);
                    if (lv < lu || (lv == lu && v.compareTo(u) < 0)) {
                        better++;
                    }
                }
                if (better < keep) {
                    next.add(u);
                }
            }
            alive = next;
        }
        return reached;
    }
}
