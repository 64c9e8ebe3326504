package org.edgenn.generator.mapping;

/** Receives search progress; called on the searching thread, so implementations must be quick. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = p -> { };

    void onProgress(SearchProgress progress);

    /**
     * @param layer          the layer being mapped
     * @param layerIndex     0-based index among the network's layers
     * @param layerCount     number of layers
     * @param layerFraction  how far the current layer's search is, 0..1
     * @param evaluated      mappings evaluated so far for this layer
     * @param bestObjective  best objective value so far for this layer (infinity if none valid yet)
     */
    record SearchProgress(String layer, int layerIndex, int layerCount, double layerFraction, long evaluated,
                          double bestObjective) {
    }
}
