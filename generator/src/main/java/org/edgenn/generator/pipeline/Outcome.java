package org.edgenn.generator.pipeline;

import org.edgenn.generator.GeneratedSource;

/** What the generate stage produced for one network and one kind of output. */
public sealed interface Outcome permits Outcome.Generated, Outcome.Unsupported, Outcome.Skipped {

    /** The kind of output: {@link #INT8} inference class or {@link #TRAINER}. */
    String kind();

    String network();

    String INT8 = "int8 inference class";
    String TRAINER = "trainer";

    record Generated(String kind, String network, GeneratedSource source) implements Outcome {
    }

    /** The network uses something this output cannot express yet; {@code reason} names it (and where, when known). */
    record Unsupported(String kind, String network, String reason) implements Outcome {
    }

    /** Nothing to generate, by the network's own choice (no loss: nothing to train). */
    record Skipped(String kind, String network, String reason) implements Outcome {
    }
}
