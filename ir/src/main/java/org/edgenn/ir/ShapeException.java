package org.edgenn.ir;

/**
 * An op was applied to inputs whose shapes it does not accept. {@link #inputIndex()} names the
 * offending input (or -1 when the op's own attributes are at fault), so the language can put the
 * diagnostic on the right argument.
 */
public final class ShapeException extends Exception {
    private final int inputIndex;

    public ShapeException(String message) {
        this(-1, message);
    }

    public ShapeException(int inputIndex, String message) {
        super(message);
        this.inputIndex = inputIndex;
    }

    public int inputIndex() {
        return inputIndex;
    }
}
