package org.edgenn.generator.inference;

/** A node the int8 inference generator cannot lower: the message names the node, its op and its {@code file:line}. */
public final class UnsupportedInferenceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String node;
    private final String op;
    private final String source;

    public UnsupportedInferenceException(String node, String op, String source, String reason) {
        super((source.isEmpty() ? "" : source + ": ") + "int8 inference does not support node " + node + " (" + op + "): " + reason);
        this.node = node;
        this.op = op;
        this.source = source;
    }

    public String node() {
        return node;
    }

    public String op() {
        return op;
    }

    /** {@code file:line} of the node, or "" when unknown. */
    public String source() {
        return source;
    }
}
