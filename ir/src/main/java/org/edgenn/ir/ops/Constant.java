package org.edgenn.ir.ops;

import java.util.List;
import org.edgenn.ir.Shape;
import org.edgenn.ir.ShapeException;

/** A scalar constant, such as a loss weight or a step size; broadcasts in element-wise ops. */
public record Constant(double value) implements Op {
    @Override
    public java.util.OptionalDouble constantValue() {
        return java.util.OptionalDouble.of(value);
    }

    @Override
    public String kind() {
        return "const";
    }

    @Override
    public Shape outputShape(List<Shape> inputs) throws ShapeException {
        Op.requireInputs(kind(), inputs, 0, 0);
        return Shape.SCALAR;
    }
}
