package org.edgenn.ir.spec;

import java.util.List;
import org.edgenn.ir.ElementType;

/**
 * A network's compression constraints: weight and activation precision, pruning, budgets.
 * {@code weights} and {@code activations} are null when the network stays in float.
 */
public record Compression(Quantization weights, Quantization activations, List<Pruning> pruning, List<Budget> budgets) {
    public static final Compression NONE = new Compression(null, null, List.of(), List.of());

    public Compression {
        pruning = List.copyOf(pruning);
        budgets = List.copyOf(budgets);
    }

    public record Quantization(ElementType precision, boolean perChannel) {
    }

    /** Prune {@code fraction} of the weights of {@code layers} (all weighted layers when empty). */
    public record Pruning(double fraction, Structure structure, List<String> layers) {
        public enum Structure { UNSTRUCTURED, CHANNELS }

        public Pruning {
            layers = List.copyOf(layers);
        }
    }
}
