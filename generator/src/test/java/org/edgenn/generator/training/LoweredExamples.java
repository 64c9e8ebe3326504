package org.edgenn.generator.training;

import org.edgenn.ir.graph.Network;

/** Test helper for other packages: an example network lowered to the IR. */
public final class LoweredExamples {
    private LoweredExamples() {
    }

    /** Network {@code name} of {@code examples/src/main/edgenn/<file>}. */
    public static Network network(String file, String name) {
        return Lowered.example(file).network(name).orElseThrow();
    }
}
