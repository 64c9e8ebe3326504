package org.edgenn.ir.ops;

import java.util.List;
import org.edgenn.ir.Shape;
import org.edgenn.ir.ShapeException;

/**
 * A value that enters the graph from outside: a network input, a training label, a learnable
 * parameter tensor (e.g. a threshold θ), a state's initial zero, or a teacher network's output.
 */
public record Source(Role role, Shape shape, String reference) implements Op {
    public enum Role { INPUT, LABEL, PARAM, ZEROS, TEACHER }

    @Override
    public Role sourceRole() {
        return role;
    }

    @Override
    public String kind() {
        return role.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public Shape outputShape(List<Shape> inputs) throws ShapeException {
        // a teacher's output depends on the inputs it reads; every other source stands alone
        if (role != Role.TEACHER) {
            Op.requireInputs(kind(), inputs, 0, 0);
        }
        return shape;
    }

    @Override
    public List<WeightSpec> weights() {
        return role == Role.PARAM ? List.of(new WeightSpec(WeightSpec.WEIGHT, shape)) : List.of();
    }
}
