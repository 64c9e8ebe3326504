package org.edgenn.ir.ops;

import java.util.List;
import org.edgenn.ir.Shape;
import org.edgenn.ir.ShapeException;

/** Max or average pooling over a window of {@code [C, H, W]}; global average pooling is a window of the whole input. */
public record Pool(Kind pool, Window window) implements Op {
    public enum Kind { MAX, AVG }

    @Override
    public String kind() {
        return pool == Kind.MAX ? "maxpool" : "avgpool";
    }

    @Override
    public Shape outputShape(List<Shape> inputs) throws ShapeException {
        Op.requireInputs(kind(), inputs, 1, 1);
        Op.requireRank(kind(), inputs, 0, 3, "[C, H, W]");
        Shape x = inputs.get(0);
        return Shape.of(x.dim(0), window.outH(x.dim(1)), window.outW(x.dim(2)));
    }

    @Override
    public boolean keepsZeroChannels(int inputs) {
        return true;
    }
}
