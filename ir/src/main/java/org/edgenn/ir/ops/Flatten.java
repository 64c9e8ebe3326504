package org.edgenn.ir.ops;

import java.util.List;
import org.edgenn.ir.Shape;
import org.edgenn.ir.ShapeException;

/** Flattens any tensor to a vector (row-major, channel first). */
public record Flatten() implements Op {
    @Override
    public boolean isView() {
        return true;
    }

    @Override
    public String kind() {
        return "flatten";
    }

    @Override
    public Shape outputShape(List<Shape> inputs) throws ShapeException {
        Op.requireInputs(kind(), inputs, 1, 1);
        return Shape.of(Math.toIntExact(inputs.get(0).size()));
    }

    @Override
    public boolean keepsZeroChannels(int inputs) {
        return true;
    }
}
