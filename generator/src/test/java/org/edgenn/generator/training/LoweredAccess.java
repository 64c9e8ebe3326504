package org.edgenn.generator.training;

import java.nio.file.Path;
import org.edgenn.ir.graph.Program;

/** {@link Lowered} for tests in other packages of the generator. */
public final class LoweredAccess {
    private LoweredAccess() {
    }

    public static Program text(Path dir, String name, String source) {
        return Lowered.text(dir, name, source);
    }
}
