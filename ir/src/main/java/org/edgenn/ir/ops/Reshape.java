package org.edgenn.ir.ops;

import java.util.List;
import org.edgenn.ir.Shape;
import org.edgenn.ir.ShapeException;

/** Reinterprets a tensor with another shape of the same size (row-major). */
public record Reshape(Shape to) implements Op {
    @Override
    public boolean isView() {
        return true;
    }

    @Override
    public String kind() {
        return "reshape";
    }

    @Override
    public Shape outputShape(List<Shape> inputs) throws ShapeException {
        Op.requireInputs(kind(), inputs, 1, 1);
        if (inputs.get(0).size() != to.size()) {
            throw new ShapeException(0, "cannot reshape " + inputs.get(0) + " (" + inputs.get(0).size()
                    + " elements) to " + to + " (" + to.size() + " elements)");
        }
        return to;
    }
}
