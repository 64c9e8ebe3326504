package org.edgenn.ir.ops;

import java.util.List;
import org.edgenn.ir.Shape;
import org.edgenn.ir.ShapeException;

/**
 * Euclidean projections onto convex sets, the proximal maps of their indicator functions:
 * a box {@code [lo, hi]}, the l2 ball of a radius, the non-negative orthant.
 */
public record Project(Set set, double lo, double hi) implements Op {
    public enum Set { BOX, L2_BALL, NONNEG }

    public static Project box(double lo, double hi) {
        return new Project(Set.BOX, lo, hi);
    }

    public static Project l2Ball(double radius) {
        return new Project(Set.L2_BALL, 0, radius);
    }

    public static Project nonNegative() {
        return new Project(Set.NONNEG, 0, Double.POSITIVE_INFINITY);
    }

    public Project {
        if (!(lo <= hi)) {
            throw new IllegalArgumentException("projection bounds need lo <= hi");
        }
    }

    @Override
    public String kind() {
        return switch (set) {
            case BOX -> "project_box";
            case L2_BALL -> "project_l2";
            case NONNEG -> "project_nonneg";
        };
    }

    @Override
    public Shape outputShape(List<Shape> inputs) throws ShapeException {
        Op.requireInputs(kind(), inputs, 1, 1);
        return inputs.get(0);
    }
}
