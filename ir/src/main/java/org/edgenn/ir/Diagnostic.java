package org.edgenn.ir;

import java.nio.file.Path;

/**
 * A problem at a place in {@code .edgenn} text, printed as {@code path:line:col: severity: message}: the one
 * format every tool (command line, Maven plugin) reports in. Line and column are 1-based.
 */
public record Diagnostic(Path file, int line, int column, boolean error, String message) {

    /** An error at {@code where}; unknown positions become line 1, column 1. */
    public static Diagnostic error(SourceRef where, String message) {
        return new Diagnostic(Path.of(where.file()), Math.max(1, where.line()), Math.max(1, where.column()), true, message);
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + (error ? "error" : "warning") + ": " + message;
    }
}
