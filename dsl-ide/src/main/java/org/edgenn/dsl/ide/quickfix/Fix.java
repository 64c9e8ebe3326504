package org.edgenn.dsl.ide.quickfix;

/** One quick fix as a text replacement: editors apply it the same way whatever their document model. */
public record Fix(String label, int offset, int length, String replacement) {

    public String applyTo(String text) {
        return text.substring(0, offset) + replacement + text.substring(offset + length);
    }
}
