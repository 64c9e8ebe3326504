package org.edgenn.ir.ops;

import java.util.List;
import org.edgenn.ir.Shape;
import org.edgenn.ir.ShapeException;

/** Nearest-neighbour (or bilinear) up-sampling of {@code [C, H, W]} by an integer factor. */
public record Upsample(int factor, Mode mode) implements Op {
    public enum Mode { NEAREST, BILINEAR }

    public Upsample {
        if (factor < 1) {
            throw new IllegalArgumentException("up-sampling factor must be positive");
        }
    }

    @Override
    public String kind() {
        return "upsample";
    }

    @Override
    public Shape outputShape(List<Shape> inputs) throws ShapeException {
        Op.requireInputs(kind(), inputs, 1, 1);
        Op.requireRank(kind(), inputs, 0, 3, "[C, H, W]");
        Shape x = inputs.get(0);
        return Shape.of(x.dim(0), x.dim(1) * factor, x.dim(2) * factor);
    }

    @Override
    public boolean keepsZeroChannels(int inputs) {
        return true;
    }
}
