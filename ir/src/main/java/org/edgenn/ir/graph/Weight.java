package org.edgenn.ir.graph;

import org.edgenn.ir.Shape;
import org.edgenn.ir.spec.vocab.Initializer;

/**
 * A weight tensor of the network. Tied layers share one weight between all unrolled steps;
 * untied ones ({@code layer S[16]}) have one per step ({@code S[3].weight}).
 *
 * @param layer     the declared layer or parameter this weight belongs to ({@code S}, {@code theta})
 * @param role      {@code weight} or {@code bias}
 * @param trainable false for {@code fixed} layers
 * @param init      the initializer, or null for the default of its role (zeros for biases and params, glorot for weights)
 */
public record Weight(String name, String layer, String role, Shape shape, boolean trainable, Initializer init) {
}
