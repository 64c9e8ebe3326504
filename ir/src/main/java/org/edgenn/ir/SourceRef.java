package org.edgenn.ir;

/**
 * Where an IR element came from in the {@code .edgenn} text (1-based line and column), for
 * messages and for comments in generated code. Plain data: the IR never holds parser or EMF objects.
 */
public record SourceRef(String file, int line, int column) {
    public static final SourceRef UNKNOWN = new SourceRef("", 0, 0);

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
