package org.edgenn.ir.ops;

import java.util.List;
import org.edgenn.ir.Shape;
import org.edgenn.ir.ShapeException;

/** Depth-to-space: {@code [C*r*r, H, W] -> [C, H*r, W*r]} (sub-pixel convolution's rearrangement). */
public record PixelShuffle(int factor) implements Op {
    public PixelShuffle {
        if (factor < 1) {
            throw new IllegalArgumentException("pixel-shuffle factor must be positive");
        }
    }

    @Override
    public String kind() {
        return "pixelshuffle";
    }

    @Override
    public Shape outputShape(List<Shape> inputs) throws ShapeException {
        Op.requireInputs(kind(), inputs, 1, 1);
        Op.requireRank(kind(), inputs, 0, 3, "[C, H, W]");
        Shape x = inputs.get(0);
        int rr = factor * factor;
        if (x.dim(0) % rr != 0) {
            throw new ShapeException(0, "pixelshuffle by " + factor + " needs channels divisible by " + rr
                    + ", got " + x.dim(0));
        }
        return Shape.of(x.dim(0) / rr, x.dim(1) * factor, x.dim(2) * factor);
    }
}
