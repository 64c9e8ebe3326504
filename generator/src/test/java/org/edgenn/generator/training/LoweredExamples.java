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

    /** The whole lowered program of {@code examples/src/main/edgenn/<file>} (networks, train blocks). */
    public static org.edgenn.ir.graph.Program program(String file) {
        return Lowered.example(file);
    }

    /** Network {@code name} of the source text {@code source}, written to {@code dir/file} and lowered. */
    public static Network text(java.nio.file.Path dir, String file, String source, String name) {
        return Lowered.text(dir, file, source).network(name).orElseThrow();
    }
}
