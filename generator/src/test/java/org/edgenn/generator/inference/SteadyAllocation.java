package org.edgenn.generator.inference;

import java.lang.management.ManagementFactory;

/**
 * Bytes this thread allocates in a round of inferences once the JVM has settled. A single round is not enough: a
 * deoptimisation re-materialises scalar-replaced objects on the heap, and the Vector API's Java fallbacks allocate
 * until C2 has compiled the vector leaves, so a round can allocate once without the code allocating per call. Rounds
 * are repeated until one allocates nothing or the budget runs out; an allocation on every call shows in every round,
 * so it still fails.
 */
final class SteadyAllocation {
    record Result(long bytes, int rounds) {}

    private SteadyAllocation() {}

    static Result measure(Runnable inference, int callsPerRound, long budgetSeconds) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long deadline = System.nanoTime() + budgetSeconds * 1_000_000_000L, last;
        int rounds = 0;
        do {
            inference.run();   // one untimed run: a round starts after a full inference
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < callsPerRound; i++) inference.run();
            last = mx.getCurrentThreadAllocatedBytes() - before;
            rounds++;
        } while (last != 0 && System.nanoTime() < deadline);
        return new Result(last, rounds);
    }
}
