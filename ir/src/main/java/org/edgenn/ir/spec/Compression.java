package org.edgenn.ir.spec;

import java.util.List;
import org.edgenn.ir.ElementType;
import org.edgenn.ir.SourceRef;

/**
 * A network's compression constraints: weight and activation precision, pruning, budgets.
 * {@code weights} and {@code activations} are null when the network stays in float. {@code overrides} are the
 * mixed-precision exceptions ({@code weights int4 on fc1}, {@code activations int16 on x}); every stage asks
 * {@link #weightsOf} and {@link #activationsOf} rather than the network defaults, so a width lives in one place.
 */
public record Compression(Quantization weights, Quantization activations, List<Pruning> pruning, List<Budget> budgets,
                          List<Override> overrides) {
    public static final Compression NONE = new Compression(null, null, List.of(), List.of());

    /** The widths EdgeNN quantizes weights and activations to. */
    public static final List<ElementType> QUANTIZED = List.of(ElementType.INT2, ElementType.INT4, ElementType.INT8,
            ElementType.INT16);

    public Compression {
        pruning = List.copyOf(pruning);
        budgets = List.copyOf(budgets);
        overrides = List.copyOf(overrides);
    }

    public Compression(Quantization weights, Quantization activations, List<Pruning> pruning, List<Budget> budgets) {
        this(weights, activations, pruning, budgets, List.of());
    }

    /** A precision: width, per-channel (weights) or per-tensor scales, and where it was written. */
    public record Quantization(ElementType precision, boolean perChannel, SourceRef source) {
        public Quantization(ElementType precision, boolean perChannel) {
            this(precision, perChannel, SourceRef.UNKNOWN);
        }

        public int bits() {
            return precision.bits();
        }
    }

    /**
     * The precision of the weights of the layers of {@code symbol} (a layer, or a {@code let} whose inline layers
     * it names), or of the activation {@code symbol} names (a state, a {@code let}, a layer's output).
     */
    public record Override(boolean forWeights, String symbol, Quantization quantization) {
    }

    /**
     * The quantization of weights of layer {@code layer} (the IR weight's {@code layer()}, e.g. {@code S[3]},
     * {@code h.dense}); the last override that names it wins, else the network's default (null: float).
     */
    public Quantization weightsOf(String layer) {
        Quantization q = weights;
        for (Override o : overrides) {
            if (o.forWeights() && names(o.symbol(), layer)) {
                q = o.quantization();
            }
        }
        return q;
    }

    /**
     * The quantization of the value computed by node {@code node} (root nodes of a let or state assignment are named
     * after it: {@code x[3]} at unrolled step 3; a layer applied at a step is {@code S@3}); null: float.
     */
    public Quantization activationsOf(String node) {
        Quantization q = activations;
        for (Override o : overrides) {
            if (!o.forWeights() && names(o.symbol(), node)) {
                q = o.quantization();
            }
        }
        return q;
    }

    /**
     * What a quantized figure measures, by the declared widths: "int8", or e.g. "int4 weights / int8 activations" and
     * "int8+int4 weights / int16+int8 activations" for mixed precision (metrics files keep the key "int8").
     */
    public String quantizedLabel() {
        java.util.SortedSet<Integer> w = new java.util.TreeSet<>(java.util.Comparator.reverseOrder());
        java.util.SortedSet<Integer> a = new java.util.TreeSet<>(java.util.Comparator.reverseOrder());
        if (weights != null) w.add(weights.bits());
        if (activations != null) a.add(activations.bits());
        for (Override o : overrides) (o.forWeights() ? w : a).add(o.quantization().bits());
        if (w.equals(java.util.Set.of(8)) && a.equals(java.util.Set.of(8))) return "int8";
        return widths(w) + " weights / " + widths(a) + " activations";
    }

    private static String widths(java.util.SortedSet<Integer> bits) {
        if (bits.isEmpty()) return "float";
        java.util.List<String> names = new java.util.ArrayList<>();
        for (int b : bits) names.add("int" + b);
        return String.join("+", names);
    }

    /** Whether any weight or activation is quantized (by default or by an override). */
    public boolean quantized() {
        return weights != null || activations != null || !overrides.isEmpty();
    }

    /** The widest activation width the network uses (0 when activations stay float). */
    public int widestActivationBits() {
        int bits = activations == null ? 0 : activations.bits();
        for (Override o : overrides) {
            if (!o.forWeights()) {
                bits = Math.max(bits, o.quantization().bits());
            }
        }
        return bits;
    }

    /**
     * The precisions a MAC of {@code macBits}-bit operands cannot execute: wider weights or activations (narrower
     * ones are sign-extended into the operand, as sub-byte weights are unpacked into the int8 path).
     */
    public List<Quantization> unsupportedOn(int macBits) {
        List<Quantization> out = new java.util.ArrayList<>();
        for (Quantization q : java.util.Arrays.asList(weights, activations)) {
            if (q != null && !executableOn(q.precision(), macBits)) {
                out.add(q);
            }
        }
        for (Override o : overrides) {
            if (!executableOn(o.quantization().precision(), macBits) && !out.contains(o.quantization())) {
                out.add(o.quantization());
            }
        }
        return out;
    }

    /** A MAC of {@code macBits}-bit operands executes {@code width} (narrower widths are sign-extended). */
    public static boolean executableOn(ElementType width, int macBits) {
        return width.bits() <= macBits;
    }

    /** The message for a precision {@link #unsupportedOn} reports. */
    public static String unsupportedMessage(ElementType width, String accelerator, int macBits) {
        return width.spelling() + " is wider than the " + macBits + "-bit MAC operands of " + accelerator
                + ": it cannot execute it (declare mac int" + width.bits() + " there, or use a narrower width)";
    }

    /** {@code symbol} names {@code name}: itself, an entry {@code S[k]}, a step {@code S@k}, or a part {@code h.dense}. */
    public static boolean names(String symbol, String name) {
        if (!name.startsWith(symbol)) {
            return false;
        }
        if (name.length() == symbol.length()) {
            return true;
        }
        char next = name.charAt(symbol.length());
        return next == '[' || next == '@' || next == '.';
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
