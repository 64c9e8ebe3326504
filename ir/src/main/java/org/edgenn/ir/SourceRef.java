package org.edgenn.ir;

/**
 * Where an IR element came from in the {@code .edgenn} text, for messages and for comments in
 * generated code. Plain data: the IR never holds parser or EMF objects.
 */
public record SourceRef(String file, int line) {
    public static final SourceRef UNKNOWN = new SourceRef("", 0);

    @Override
    public String toString() {
        return file + ":" + line;
    }
}
