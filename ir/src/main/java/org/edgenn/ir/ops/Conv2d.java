package org.edgenn.ir.ops;

import java.util.ArrayList;
import java.util.List;
import org.edgenn.ir.Shape;
import org.edgenn.ir.ShapeException;

/**
 * 2-D convolution on {@code [C, H, W]} with groups; depthwise when {@code groups == in}
 * (each input channel has {@code out / in} filters of its own).
 */
public record Conv2d(int in, int out, Window window, int groups, boolean bias) implements Op {
    public Conv2d {
        if (in < 1 || out < 1 || groups < 1) {
            throw new IllegalArgumentException("channels and groups must be positive");
        }
        if (in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException("groups " + groups + " must divide input channels " + in
                    + " and output channels " + out);
        }
    }

    public boolean isDepthwise() {
        return groups == in && groups > 1;
    }

    @Override
    public String kind() {
        return isDepthwise() ? "depthwise" : "conv2d";
    }

    @Override
    public Shape outputShape(List<Shape> inputs) throws ShapeException {
        Op.requireInputs(kind(), inputs, 1, 1);
        Op.requireRank(kind(), inputs, 0, 3, "[C, H, W]");
        Shape x = inputs.get(0);
        if (x.dim(0) != in) {
            throw new ShapeException(0, kind() + " expects " + in + " input channels, got " + x.dim(0));
        }
        return Shape.of(out, window.outH(x.dim(1)), window.outW(x.dim(2)));
    }

    @Override
    public List<WeightSpec> weights() {
        List<WeightSpec> w = new ArrayList<>();
        w.add(new WeightSpec(WeightSpec.WEIGHT, Shape.of(out, in / groups, window.kh(), window.kw())));
        if (bias) {
            w.add(new WeightSpec(WeightSpec.BIAS, Shape.of(out)));
        }
        return w;
    }

    @Override
    public long macs(List<Shape> inputs, Shape output) {
        return output.size() * (in / groups) * window.kh() * window.kw();
    }

    @Override
    public MacChannels macChannels() {
        return new MacChannels(out, in / groups, false);
    }

    /** A convolution drops zero input channels from its input axis; a depthwise one maps each channel to its own. */
    @Override
    public boolean keepsZeroChannels(int inputs) {
        return !isDepthwise();
    }

    @Override
    public Op withChannels(List<Shape> inputs, int keepOutputs) {
        int inC = inputs.get(0).rank() == 3 ? inputs.get(0).dim(0) : in;
        if (isDepthwise()) {
            if (keepOutputs >= 0) {
                throw new IllegalArgumentException("a depthwise layer's channels follow its input: prune the layer before it");
            }
            if (inC != in && out != in) {
                throw new IllegalArgumentException("a depthwise layer with a channel multiplier cannot follow a channel-pruned layer");
            }
            return inC == in ? this : new Conv2d(inC, inC, window, inC, bias);
        }
        if (groups != 1 && (keepOutputs >= 0 || inC != in)) {
            throw new IllegalArgumentException("grouped convolutions cannot be channel-pruned");
        }
        int o = keepOutputs >= 0 ? keepOutputs : out;
        return inC == in && o == out ? this : new Conv2d(inC, o, window, 1, bias);
    }
}
