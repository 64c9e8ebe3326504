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

    /**
     * Prune {@code fraction} of the weights of {@code layers} (all weighted layers when empty).
     * {@link Structure#UNSTRUCTURED}: the smallest weights anywhere in the tensor; {@link Structure#CHANNELS}: whole
     * output channels (filters), which removes them from the network ({@code ir.graph.ChannelPruning}); {@link
     * Structure#N_M}: in every group of {@code m} consecutive weights along the input channels, all but the {@code n}
     * largest ({@code fraction = 1 - n/m}). {@code n} and {@code m} are 0 unless the structure is N:M.
     */
    public record Pruning(double fraction, Structure structure, List<String> layers, int n, int m) {
        public enum Structure { UNSTRUCTURED, CHANNELS, N_M }

        public Pruning {
            layers = List.copyOf(layers);
            if (structure == Structure.N_M && !(n >= 1 && n < m)) {
                throw new IllegalArgumentException("N:M pruning needs 1 <= N < M, got " + n + ":" + m);
            }
        }

        /** Unstructured or channel pruning of {@code fraction}. */
        public Pruning(double fraction, Structure structure, List<String> layers) {
            this(fraction, structure, layers, 0, 0);
        }

        /** N:M pruning: {@code n} of every {@code m} weights along the input channels are kept. */
        public static Pruning nm(int n, int m, List<String> layers) {
            return new Pruning(1 - (double) n / m, Structure.N_M, layers, n, m);
        }

        /** Fraction of the weights left non-zero. */
        public double density() {
            return structure == Structure.N_M ? (double) n / m : 1 - fraction;
        }

        /** True when this pruning applies to the weights of declared layer {@code layer}. */
        public boolean covers(String layer) {
            return layers.isEmpty() || layers.contains(layer);
        }

        /** {@code 50% channels}, {@code 2:4}: as written. */
        public String spelling() {
            return structure == Structure.N_M ? n + ":" + m
                    : Math.round(fraction * 100) + "% " + structure.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The pruning that applies to the weights of declared layer {@code layer}, or null (the first that names it wins). */
    public Pruning pruningOf(String layer) {
        for (Pruning p : pruning) {
            if (!p.layers().isEmpty() && p.covers(layer)) {
                return p;
            }
        }
        for (Pruning p : pruning) {
            if (p.layers().isEmpty()) {
                return p;
            }
        }
        return null;
    }
}
