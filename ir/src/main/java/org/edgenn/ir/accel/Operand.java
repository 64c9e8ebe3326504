package org.edgenn.ir.accel;

/** The three operands of a MAC layer: weights, inputs (activations in) and outputs (partial sums, activations out). */
public enum Operand {
    W, I, O;

    /** Parses {@code W}, {@code I}, {@code O} (also {@code weights}, {@code inputs}, {@code outputs}); null if unknown. */
    public static Operand parse(String text) {
        return switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "w", "weights" -> W;
            case "i", "inputs" -> I;
            case "o", "outputs" -> O;
            default -> null;
        };
    }
}
