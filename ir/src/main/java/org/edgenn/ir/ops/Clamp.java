package org.edgenn.ir.ops;

import java.util.List;
import org.edgenn.ir.Shape;
import org.edgenn.ir.ShapeException;

/** Clamps every element to {@code [min, max]}. */
public record Clamp(double min, double max) implements Op {
    public Clamp {
        if (!(min <= max)) {
            throw new IllegalArgumentException("clamp needs min <= max, got " + min + " > " + max);
        }
    }

    @Override
    public String kind() {
        return "clamp";
    }

    @Override
    public Shape outputShape(List<Shape> inputs) throws ShapeException {
        Op.requireInputs(kind(), inputs, 1, 1);
        return inputs.get(0);
    }
}
