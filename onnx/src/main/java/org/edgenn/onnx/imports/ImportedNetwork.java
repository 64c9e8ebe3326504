package org.edgenn.onnx.imports;

import java.util.Map;

/**
 * An imported network: its {@code .edgenn} text and its weights by tensor name ({@code L.weight}, {@code L.bias};
 * float32; convolutions OHWI {@code [K, FY, FX, C/groups]}, dense layers {@code [OUT, IN]}), empty for a graph-only
 * model.
 */
public record ImportedNetwork(String name, String text, Map<String, Weight> weights, int nodes, int layers) {

    /** One weight tensor. */
    public record Weight(long[] shape, float[] values) {
    }
}
