package org.edgenn.ir.ops;

import java.util.List;
import org.edgenn.ir.Shape;
import org.edgenn.ir.ShapeException;

/**
 * Binary element-wise arithmetic (residual add, {@code x - step * grad}, scaling). Shapes must be
 * equal, or one side scalar-like (a single element), which broadcasts.
 */
public record Elementwise(Kind operator) implements Op {
    public enum Kind {
        ADD("+"), SUB("-"), MUL("*"), DIV("/");

        private final String symbol;

        Kind(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        public static Kind ofSymbol(String symbol) {
            for (Kind k : values()) {
                if (k.symbol.equals(symbol)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("no element-wise operator " + symbol);
        }
    }

    @Override
    public String kind() {
        return operator.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public Shape outputShape(List<Shape> inputs) throws ShapeException {
        Op.requireInputs(kind(), inputs, 2, 2);
        return broadcast(inputs.get(0), inputs.get(1), "'" + operator.symbol + "'");
    }

    /** The shape of {@code a op b}: equal shapes, or one side a single element. */
    static Shape broadcast(Shape a, Shape b, String what) throws ShapeException {
        if (a.equals(b)) {
            return a;
        }
        if (b.isScalarLike()) {
            return a;
        }
        if (a.isScalarLike()) {
            return b;
        }
        throw new ShapeException(1, "shapes " + a + " and " + b + " do not match for " + what);
    }
}
