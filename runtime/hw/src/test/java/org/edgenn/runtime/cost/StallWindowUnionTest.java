package org.edgenn.runtime.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The stall model's union of memory-updating windows (closed form over nested periods) against enumeration of
 * every cycle of the longest period, as ZigZag computes it ({@code __calc_mem_updating_window_union}: a boolean
 * row per activity, ones over the first {@code allowed} cycles of each of its periods).
 */
class StallWindowUnionTest {
    @Test
    void unionOfWindowsEqualsCycleByCycleEnumeration() {
        Random r = new Random(7);
        for (int trial = 0; trial < 2000; trial++) {
            int k = 2 + r.nextInt(4);
            long period = 1 + r.nextInt(4);
            List<StallModel.Activity> acts = new ArrayList<>();
            long longest = 1;
            for (int i = 0; i < k; i++) {
                if (r.nextInt(3) > 0) {
                    period *= 1 + r.nextInt(4); // periods are products of loop prefixes: each divides the next
                }
                long allowed = period == 1 ? 1 : 1 + r.nextInt((int) period - 1);
                acts.add(new StallModel.Activity(r.nextInt(5), allowed, period, 0));
                longest = Math.max(longest, period);
            }
            java.util.Collections.shuffle(acts, r);
            long total = 1 + r.nextInt(6);
            List<StallModel.Activity> counted = new ArrayList<>();
            for (StallModel.Activity a : acts) {
                counted.add(new StallModel.Activity(a.real(), a.allowed(), a.period(), total * longest / a.period()));
            }
            assertEquals(enumerate(counted, longest) * total, StallModel.windowUnion(counted), counted.toString());
        }
    }

    @Test
    void aPortStallsWhenItsActivitiesOverrunTheUnionOfTheirWindows() {
        // two activities of 4 busy cycles in a window of 5 each, both in the first 5 of every 10 cycles, 6 periods:
        // 8 busy cycles in a 5-cycle union. ZigZag's rule: busy cycles 2 x 4 x (6 - 1) = 40 (the first period is
        // on-loading) against the union over all periods, 5 x 6 = 30: 10 stall cycles
        StallModel.Activity a = new StallModel.Activity(4, 5, 10, 6);
        StallModel.Activity b = new StallModel.Activity(4, 5, 10, 6);
        assertEquals(10, StallModel.combine(List.of(a, b)));
        // windows [0, 5) and [0, 2) of 10: the union is 5 cycles, 4 + 1 busy cycles fit
        assertEquals(0, StallModel.combine(List.of(a, new StallModel.Activity(1, 2, 10, 6))));
    }

    private static long enumerate(List<StallModel.Activity> acts, long longest) {
        for (StallModel.Activity a : acts) {
            if (a.period() == a.allowed()) {
                return longest;
            }
        }
        long covered = 0;
        for (long x = 0; x < longest; x++) {
            for (StallModel.Activity a : acts) {
                if (x % a.period() < a.allowed()) {
                    covered++;
                    break;
                }
            }
        }
        return covered;
    }
}
