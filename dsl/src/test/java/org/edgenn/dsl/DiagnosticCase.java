package org.edgenn.dsl;

/**
 * A source text with the expected error's range marked {@code ⟦like this⟧} and the message it must
 * carry. {@code alone} says the marked error is the only error of the text.
 */
public record DiagnosticCase(String name, String marked, String message, boolean alone) {
    public static final char OPEN = '⟦';
    public static final char CLOSE = '⟧';

    public static DiagnosticCase of(String name, String marked, String message) {
        return new DiagnosticCase(name, marked, message, true);
    }

    /** The marked error may come with others (e.g. a duplicate reported on both names). */
    public static DiagnosticCase among(String name, String marked, String message) {
        return new DiagnosticCase(name, marked, message, false);
    }

    public String text() {
        return marked.replace(String.valueOf(OPEN), "").replace(String.valueOf(CLOSE), "");
    }

    public int offset() {
        int open = marked.indexOf(OPEN);
        if (open < 0 || marked.indexOf(CLOSE) < open) {
            throw new IllegalStateException(name + ": no ⟦marked⟧ range");
        }
        return open;
    }

    public int length() {
        return marked.indexOf(CLOSE) - marked.indexOf(OPEN) - 1;
    }
}
