package org.edgenn.ir.ops;

import java.util.List;
import org.edgenn.ir.Shape;
import org.edgenn.ir.ShapeException;

/**
 * Losses and sparsity penalties, each a scalar averaged over the batch.
 * Data terms take (prediction, target) of equal shape: mse, nmse ({@code ||x - t||² / ||t||²}),
 * cross-entropy (logits against a one-hot or probability target), distillation (student logits
 * against teacher logits at a temperature). Penalties take one tensor: l1, l2 (squared),
 * log ({@code Σ log(1 + |x|/ε)}), Hoyer ({@code ||x||₁ / ||x||₂}).
 */
public record Loss(Kind function, double parameter) implements Op {
    public enum Kind {
        MSE(2), NMSE(2), CROSS_ENTROPY(2), DISTILL(2), L1(1), L2(1), LOG_PENALTY(1), HOYER(1);

        private final int arity;

        Kind(int arity) {
            this.arity = arity;
        }

        public int arity() {
            return arity;
        }
    }

    @Override
    public String kind() {
        return function.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public boolean isLoss() {
        return true;
    }

    @Override
    public Shape outputShape(List<Shape> inputs) throws ShapeException {
        Op.requireInputs(kind(), inputs, function.arity, function.arity);
        if (function.arity == 2 && !inputs.get(0).equals(inputs.get(1))) {
            throw new ShapeException(1, kind() + " compares tensors of equal shape, got " + inputs.get(0)
                    + " and " + inputs.get(1));
        }
        if ((function == Kind.CROSS_ENTROPY || function == Kind.DISTILL) && inputs.get(0).rank() != 1) {
            throw new ShapeException(0, kind() + " expects class scores as a vector, got " + inputs.get(0));
        }
        return Shape.SCALAR;
    }
}
