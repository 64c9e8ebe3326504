package org.edgenn.ir.ops;

import java.util.List;
import org.edgenn.ir.Shape;
import org.edgenn.ir.ShapeException;

/**
 * Support selection (LISTA-SS / CPSS, ALISTA; Chen et al. 2018): per vector, the entries among the largest
 * {@code percent} % magnitudes that exceed the threshold pass unchanged, the others are soft-thresholded. Ties go to
 * the lower index. {@code percent} is this step's value of the schedule {@code min(p (k + 1), pmax)}, resolved when
 * the unroll block is expanded. Inputs: x (a vector) and θ (a single value or one per element).
 */
public record SupportSelect(double percent) implements Op {
    public SupportSelect {
        if (!(percent >= 0 && percent <= 100)) {
            throw new IllegalArgumentException("percent must be in [0, 100], got " + percent);
        }
    }

    @Override
    public String kind() {
        return "ss";
    }

    /** The entries that may bypass the threshold in a vector of {@code n}: {@code floor(percent · n / 100)}. */
    public int count(int n) {
        return (int) Math.floor(percent * n / 100.0 + 1e-9);
    }

    /** The per-step schedule {@code min(p (k + 1), pmax)} for 0-based step {@code k}. */
    public static double schedule(double p, double pmax, int k) {
        return Math.min(p * (k + 1), pmax);
    }

    @Override
    public Shape outputShape(List<Shape> inputs) throws ShapeException {
        Op.requireInputs(kind(), inputs, 2, 2);
        Shape x = inputs.get(0);
        Shape theta = inputs.get(1);
        if (x.rank() != 1) {
            throw new ShapeException(0, "ss selects within a vector, got " + x);
        }
        if (!(theta.isScalarLike() || theta.equals(x))) {
            throw new ShapeException(1, "ss threshold must be a single value or one per element of " + x + ", got " + theta);
        }
        return x;
    }
}
