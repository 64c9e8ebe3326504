package org.edgenn.ir.ops;

import java.util.ArrayList;
import java.util.List;
import org.edgenn.ir.Shape;
import org.edgenn.ir.ShapeException;

/** y = W x (+ b) on a vector of {@code in} features. */
public record Dense(int in, int out, boolean bias) implements Op {
    public Dense {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("dense features must be positive: " + in + " -> " + out);
        }
    }

    @Override
    public String kind() {
        return "dense";
    }

    @Override
    public Shape outputShape(List<Shape> inputs) throws ShapeException {
        Op.requireInputs(kind(), inputs, 1, 1);
        Shape x = inputs.get(0);
        if (x.rank() != 1) {
            throw new ShapeException(0, "dense expects a vector [" + in + "], got " + x + " (flatten it first)");
        }
        if (x.dim(0) != in) {
            throw new ShapeException(0, "dense expects " + in + " input features, got " + x.dim(0));
        }
        return Shape.of(out);
    }

    @Override
    public List<WeightSpec> weights() {
        List<WeightSpec> w = new ArrayList<>();
        w.add(new WeightSpec(WeightSpec.WEIGHT, Shape.of(out, in)));
        if (bias) {
            w.add(new WeightSpec(WeightSpec.BIAS, Shape.of(out)));
        }
        return w;
    }

    @Override
    public long macs(List<Shape> inputs, Shape output) {
        return (long) in * out;
    }

    @Override
    public MacChannels macChannels() {
        return new MacChannels(out, in, true);
    }

    @Override
    public boolean keepsZeroChannels(int inputs) {
        return true;
    }

    @Override
    public Op withChannels(List<Shape> inputs, int keepOutputs) {
        int inF = inputs.get(0).rank() == 1 ? inputs.get(0).dim(0) : in;
        int o = keepOutputs >= 0 ? keepOutputs : out;
        return inF == in && o == out ? this : new Dense(inF, o, bias);
    }
}
