package org.edgenn.ir.ops;

import java.util.List;
import org.edgenn.ir.Shape;
import org.edgenn.ir.ShapeException;

/**
 * {@code A^T(r)}: y = Wᵀ x with the weight of a bias-free dense layer {@code A = dense(out -> in)} (so this op maps
 * {@code in} features to {@code out}). The weight is the layer's own tensor, shape {@code [in, out]} (A's
 * {@code [out_A, in_A]}), so a network that applies A and Aᵀ holds one tensor: one variable in the trainer, one tensor in
 * the artifact; the int8 code reads the same stored values transposed.
 */
public record DenseTransposed(int in, int out) implements Op {
    public DenseTransposed {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("dense features must be positive: " + in + " -> " + out);
        }
    }

    @Override
    public String kind() {
        return "dense_t";
    }

    @Override
    public Shape outputShape(List<Shape> inputs) throws ShapeException {
        Op.requireInputs(kind(), inputs, 1, 1);
        Shape x = inputs.get(0);
        if (x.rank() != 1) {
            throw new ShapeException(0, "the transpose of a dense layer expects a vector [" + in + "], got " + x);
        }
        if (x.dim(0) != in) {
            throw new ShapeException(0, "the transpose of dense(" + out + " -> " + in + ") expects " + in + " input features, got " + x.dim(0));
        }
        return Shape.of(out);
    }

    /** The tied layer's weight, in its own layout: {@code [in, out]} here is its {@code [out_A, in_A]}. */
    @Override
    public List<WeightSpec> weights() {
        return List.of(new WeightSpec(WeightSpec.WEIGHT, Shape.of(in, out)));
    }

    @Override
    public long macs(List<Shape> inputs, Shape output) {
        return (long) in * out;
    }
}
