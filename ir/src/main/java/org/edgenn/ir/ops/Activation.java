package org.edgenn.ir.ops;

import java.util.List;
import org.edgenn.ir.Shape;
import org.edgenn.ir.ShapeException;

/** Point-wise activations; softmax normalises over all elements of a vector. */
public record Activation(Kind function) implements Op {
    public enum Kind { RELU, RELU6, SIGMOID, TANH, SOFTMAX }

    @Override
    public String kind() {
        return function.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public Shape outputShape(List<Shape> inputs) throws ShapeException {
        Op.requireInputs(kind(), inputs, 1, 1);
        if (function == Kind.SOFTMAX && inputs.get(0).rank() != 1) {
            throw new ShapeException(0, "softmax expects a vector, got " + inputs.get(0));
        }
        return inputs.get(0);
    }

    @Override
    public boolean keepsZeroChannels(int inputs) {
        return function != Kind.SIGMOID && function != Kind.SOFTMAX;
    }
}
