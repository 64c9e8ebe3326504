package org.edgenn.generator.mapping.zigzag;

import java.util.List;

/** A ZigZag hardware description could not be converted; {@link #problems()} lists every problem found. */
public final class ZigZagImportException extends IllegalArgumentException {
    private final List<String> problems;

    public ZigZagImportException(List<String> problems) {
        super("cannot import ZigZag hardware description: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
