package org.edgenn.ir.ops;

import java.util.List;
import org.edgenn.ir.Shape;
import org.edgenn.ir.ShapeException;

/**
 * Thresholding, the proximal map of sparsity penalties: soft {@code sign(x) max(|x| - θ, 0)} (l1) or
 * hard {@code x [|x| > θ]} (l0). Inputs: x and θ; θ is a single value, one per channel of a
 * {@code [C, H, W]} input ({@code [C]}), or one per element.
 */
public record Shrink(Kind threshold) implements Op {
    public enum Kind { SOFT, HARD }

    @Override
    public String kind() {
        return threshold == Kind.SOFT ? "shrink" : "hardshrink";
    }

    @Override
    public Shape outputShape(List<Shape> inputs) throws ShapeException {
        Op.requireInputs(kind(), inputs, 2, 2);
        Shape x = inputs.get(0);
        Shape theta = inputs.get(1);
        boolean perChannel = x.rank() == 3 && theta.rank() == 1 && theta.dim(0) == x.dim(0);
        if (!(theta.isScalarLike() || theta.equals(x) || perChannel)) {
            throw new ShapeException(1, kind() + " threshold must be a single value, per channel or per element of "
                    + x + ", got " + theta);
        }
        return x;
    }

    @Override
    public boolean keepsZeroChannels(int inputs) {
        return inputs <= 2;
    }
}
