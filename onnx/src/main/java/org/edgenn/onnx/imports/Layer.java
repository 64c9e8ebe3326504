package org.edgenn.onnx.imports;

/** A weighted layer being imported: its declaration is rendered at the end, after a batch norm may have folded into it. */
final class Layer {
    final String name;
    final String op;          // conv2d or dense
    final int in, out;
    final String attributes;  // kernel=..., stride=... (conv2d), empty for dense
    boolean bias;
    float[] weight;           // OHWI or [OUT, IN]; null for a graph-only model
    float[] biasValues;       // null when there is no bias or no data
    final long[] weightShape;

    Layer(String name, String op, int in, int out, String attributes, boolean bias, long[] weightShape) {
        this.name = name;
        this.op = op;
        this.in = in;
        this.out = out;
        this.attributes = attributes;
        this.bias = bias;
        this.weightShape = weightShape;
    }

    String declaration() {
        return "  layer " + name + " = " + op + "(" + in + " -> " + out + attributes + (bias ? "" : ", bias=false") + ")";
    }
}
