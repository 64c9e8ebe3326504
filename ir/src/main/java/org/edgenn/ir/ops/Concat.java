package org.edgenn.ir.ops;

import java.util.List;
import org.edgenn.ir.Shape;
import org.edgenn.ir.ShapeException;

/** Concatenation along the first (channel or feature) axis; the other dimensions must agree. */
public record Concat() implements Op {
    @Override
    public String kind() {
        return "concat";
    }

    @Override
    public Shape outputShape(List<Shape> inputs) throws ShapeException {
        Op.requireInputs(kind(), inputs, 2, Integer.MAX_VALUE);
        int[] dims = inputs.get(0).dims();
        if (dims.length == 0) {
            throw new ShapeException(0, "concat needs tensors, got a scalar");
        }
        for (int i = 1; i < inputs.size(); i++) {
            int[] other = inputs.get(i).dims();
            boolean same = other.length == dims.length;
            for (int d = 1; same && d < dims.length; d++) {
                same = other[d] == dims[d];
            }
            if (!same) {
                throw new ShapeException(i, "concat inputs must agree except in the first dimension: "
                        + inputs.get(0) + " and " + inputs.get(i));
            }
            dims[0] += other[0];
        }
        return Shape.of(dims);
    }
}
