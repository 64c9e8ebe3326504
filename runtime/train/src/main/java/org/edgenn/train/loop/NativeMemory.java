package org.edgenn.train.loop;

import org.bytedeco.javacpp.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a training process's physical memory under a budget, in any JVM, without launcher flags.
 *
 * <p>Why: ND4J keeps tensors in native memory and frees a buffer only when the JVM garbage-collects its Java handle.
 * A training step allocates far more native memory (activations, gradients, convolution scratch) than heap, so the
 * heap rarely fills and nothing prompts a collection: the CSC denoiser's trainer grew to 23.7 GiB. JavaCPP's own
 * limits ({@code -Dorg.bytedeco.javacpp.maxphysicalbytes}) have to be given on the command line before ND4J loads,
 * which a user's JVM running a generated trainer does not do.
 *
 * <p>How: after every optimizer step the {@link Trainer} calls {@link #afterStep()}, which reads the process's resident
 * size (JavaCPP's {@code physicalBytes}, one read of {@code /proc/self/statm}) and, above the budget, runs a
 * collection and waits (at most 1 s) for ND4J's deallocator to free the released buffers. The arrays of finished
 * steps are garbage by then, so the resident size falls back to one step's working set.
 *
 * <p>Budget: {@code -Dedgenn.train.maxNativeBytes=4G} (JavaCPP's syntax: bytes, or with K/M/G/T), else 80 % of
 * JavaCPP's {@code maxphysicalbytes} when one was given (the {@code edgenn} launcher gives 60 % of RAM), else 40 % of the
 * machine's physical memory.
 */
public final class NativeMemory {
    private static final Logger LOG = LoggerFactory.getLogger(NativeMemory.class);
    /** System property overriding the budget. */
    public static final String BUDGET_PROPERTY = "edgenn.train.maxNativeBytes";

    private static final long BUDGET = budgetFrom(System.getProperty(BUDGET_PROPERTY), Pointer.maxPhysicalBytes(), Pointer.totalPhysicalBytes());
    private static long collections;
    private static boolean warned;

    private NativeMemory() {}

    /** The budget in bytes (see the class comment). */
    public static long budget() {
        return BUDGET;
    }

    /** Collections this process ran to stay under the budget. */
    public static synchronized long collections() {
        return collections;
    }

    static long budgetFrom(String property, long maxPhysical, long totalPhysical) {
        if (property != null && !property.isBlank()) {
            long b;
            try {
                b = Pointer.parseBytes(property.strip(), totalPhysical);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("-D" + BUDGET_PROPERTY + "=" + property + " is not a byte count (e.g. 4G, 512M)");
            }
            if (b <= 0) throw new IllegalArgumentException("-D" + BUDGET_PROPERTY + " must be > 0, got " + property);
            return b;
        }
        if (maxPhysical > 0) return maxPhysical / 10 * 8;
        return totalPhysical / 10 * 4;
    }

    /** Called after every optimizer step: above the budget, collect and wait for the native buffers to be freed. */
    public static void afterStep() {
        if (Pointer.physicalBytes() <= BUDGET) return;
        synchronized (NativeMemory.class) {
            collections++;
            System.gc();
            long deadline = System.nanoTime() + 1_000_000_000L;
            long rss;
            while ((rss = Pointer.physicalBytes()) > BUDGET && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (rss > BUDGET && !warned) {
                warned = true;
                LOG.warn("resident size {} stays above the native memory budget {} after a collection: one training step needs"
                        + " more; raise -D{}", Pointer.formatBytes(rss), Pointer.formatBytes(BUDGET), BUDGET_PROPERTY);
            }
        }
    }
}
