package org.edgenn.generator.mapping.zigzag;

import java.util.List;

/**
 * A ZigZag input (hardware, mapping or workload file) could not be converted; {@link #located()} lists every problem
 * found with the file it is in (null: the file the caller passed), {@link #problems()} their messages.
 */
public final class ZigZagImportException extends IllegalArgumentException {
    /** One problem: the file (a name the caller gave, or null) and what is wrong, starting with the field's path. */
    public record Problem(String file, String message) {
        @Override
        public String toString() {
            return file == null ? message : file + ": " + message;
        }
    }

    private final List<Problem> located;

    public ZigZagImportException(List<String> problems) {
        this(problems.stream().map(p -> new Problem(null, p)).toList(), true);
    }

    private ZigZagImportException(List<Problem> located, boolean unused) {
        super("cannot import ZigZag input: " + String.join("; ", located.stream().map(Problem::toString).toList()));
        this.located = List.copyOf(located);
    }

    /** Problems each tagged with its file. */
    public static ZigZagImportException located(List<Problem> problems) {
        return new ZigZagImportException(problems, true);
    }

    public List<String> problems() {
        return located.stream().map(Problem::message).toList();
    }

    public List<Problem> located() {
        return located;
    }
}
