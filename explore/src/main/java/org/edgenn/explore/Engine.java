package org.edgenn.explore;

import java.util.List;

/**
 * Where candidates are evaluated: in this process on threads ({@link InProcessEngine}), or on Apache
 * Spark (the explore-spark module, loaded through {@link java.util.ServiceLoader} only when asked for).
 * An engine gets a batch of candidates and returns one result per candidate, in the same order; the
 * results do not depend on the engine.
 */
public interface Engine extends AutoCloseable {

    /**
     * What every evaluation needs: the template's path and text, the explore block's name, and how candidates are
     * scheduled on their accelerator (the network-level schedule by default, or layer by layer).
     */
    record Job(String file, String text, String explore, org.edgenn.generator.mapping.ScheduleMode schedule)
            implements java.io.Serializable {
    }

    List<Result> evaluate(Job job, List<Candidate> batch, Evaluator.Stage stage);

    /**
     * How many candidates to hand over at once. Results are stored when a batch returns, so a killed run loses at
     * most one batch; an engine with a high cost per call (a Spark job) asks for larger batches.
     */
    default int batchSize() {
        return 8;
    }

    /** A short description for progress lines: {@code 2 threads}, {@code spark local[2]}. */
    String describe();

    @Override
    default void close() {
    }

    /** Builds an engine from the command line's {@code --engine NAME --master URL}. */
    interface Provider {
        String name();

        Engine create(String master, int threads);
    }
}
