package org.edgenn.generator.mapping.depthfirst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.edgenn.generator.mapping.schedule.FusedStack;
import org.edgenn.generator.mapping.schedule.NetworkSchedule;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The planner's "cannot gain" cutoff ({@link DepthFirst#cannotGain}) against costing in full: on random chains and
 * accelerators, for every configuration of every stack and for passes unfused costing 1 % less, exactly as much and
 * 0.5 % more than the stack in energy and in latency, a costing stopped by the cutoff is exactly one that, costed in
 * full, would not gain on its passes unfused ({@link DepthFirst#gains}: it would be dropped), and one it does not stop
 * costs what the full costing gives. A cutoff stopping a configuration that gains would let the plan miss a better
 * network (one with a 2 % margin fails this test).
 */
class CannotGainCutoffTest {
    private static final double[] SCALES = {0.99, 1.0, 1.005};

    @ParameterizedTest
    @ValueSource(longs = {41})
    void stopsExactlyTheConfigurationsThatCannotGain(long seed) {
        int[] stoppedKept = new int[2];
        RandomStacks.forEachCosted(new Random(seed), 3, k -> {
            FusedStack full = k.full();
            for (double se : SCALES) {
                for (double sl : SCALES) {
                    NetworkSchedule.Totals unfused = new NetworkSchedule.Totals(full.energyPj() * se,
                            full.latencyCycles() * sl, 0, k.shape().size());
                    FusedStack cut = StackCost.evaluate(k.layout(), k.search(), k.bound(), DepthFirst.cannotGain(unfused),
                            unfused, 0);
                    String where = k.where(seed) + " unfused x" + se + " / x" + sl;
                    assertEquals(DepthFirst.gains(full, unfused), cut != null, where);
                    if (cut == null) {
                        stoppedKept[0]++;
                    } else {
                        stoppedKept[1]++;
                        assertEquals(full.energyPj(), cut.energyPj(), where);
                        assertEquals(full.latencyCycles(), cut.latencyCycles(), where);
                    }
                }
            }
        });
        int stopped = stoppedKept[0];
        int kept = stoppedKept[1];
        // both outcomes occur (at most 1 on both sides cannot gain; above 1 on either side gains)
        assertTrue(stopped >= 20 && kept >= 20, "stopped " + stopped + ", kept " + kept);
    }
}
