package org.edgenn.generator;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Names of IR nodes and weights in generated code. One mapping serves both the Java local variable and the
 * SameDiff variable name, so a reader finds {@code S_3} in the source, in diagnostics and in the exported
 * tensors: {@code S[3]} becomes {@code S_3}, {@code S[3].weight} {@code S_3_weight}, a tied layer's call at step k
 * {@code A@3} becomes {@code A_3}, and any other character outside {@code [A-Za-z0-9_]} ({@code .}, {@code #})
 * becomes {@code _}. Clashes (after mapping, or with Java keywords and the generated class's own names) get a
 * numeric suffix ({@code _2}, {@code _3}, ...), first come first served in declaration order.
 */
public final class JavaNames {
    private static final Set<String> RESERVED = Set.of("abstract", "assert", "boolean", "break", "byte", "case",
            "catch", "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends", "final",
            "finally", "float", "for", "goto", "if", "implements", "import", "instanceof", "int", "interface", "long",
            "native", "new", "package", "private", "protected", "public", "return", "short", "static", "strictfp",
            "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try", "void", "volatile",
            "while", "true", "false", "null", "var", "record", "yield", "sealed", "permits",
            // names the generated trainer itself uses
            "sd", "out", "progress", "batch", "seed", "epochs", "problem", "trainData", "heldOutData",
            "batches", "weights", "trained", "g", "data", "metrics", "first", "result", "trainer", "model", "params", "thresholds", "biases");

    private final String prefix;
    private final Set<String> reserved;
    private final Map<String, String> names = new HashMap<>();
    private final Set<String> used = new HashSet<>();

    public JavaNames(String prefix) {
        this(prefix, Set.of());
    }

    /** Names that also avoid {@code extraReserved} (the identifiers of another generated class). */
    public JavaNames(String prefix, Set<String> extraReserved) {
        this.prefix = prefix;
        this.reserved = extraReserved;
    }

    /**
     * The names of a network's tensors in its int8 artifact ({@code org.edgenn.runtime.artifact.Int8Artifact}): the
     * trainer's variable names, assigned in a fixed order (inputs and labels, then weights with users, then every
     * node) so that the trainer that writes the artifact and the inference class that reads it agree.
     */
    public static JavaNames forArtifact(org.edgenn.ir.graph.Network net) {
        JavaNames n = new JavaNames("");
        Set<String> usedWeights = new HashSet<>();
        for (org.edgenn.ir.graph.Node node : net.nodes()) {
            usedWeights.addAll(node.weights());
            org.edgenn.ir.ops.Source.Role role = node.op().sourceRole();
            if (role == org.edgenn.ir.ops.Source.Role.INPUT || role == org.edgenn.ir.ops.Source.Role.LABEL) {
                n.of(node.name());
            }
        }
        for (org.edgenn.ir.graph.Weight w : net.weights()) {
            if (usedWeights.contains(w.name())) {
                n.of(w.name());
            }
        }
        for (org.edgenn.ir.graph.Node node : net.nodes()) {
            n.of(node.name());
        }
        return n;
    }

    /** The mapped form of an IR name, without de-duplication. */
    public static String sanitize(String irName) {
        String s = irName.replaceAll("\\[(\\d+)\\]", "_$1").replace('@', '_').replaceAll("[^A-Za-z0-9_]", "_");
        s = s.replaceAll("_+", "_");
        if (s.length() > 1 && s.endsWith("_")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.isEmpty() || Character.isDigit(s.charAt(0))) {
            s = "v" + s;
        }
        return s;
    }

    /** The unique name of an IR entity (node or weight), assigned on first use. */
    public String of(String irName) {
        String n = names.get(irName);
        if (n != null) {
            return n;
        }
        String base = prefix + sanitize(irName);
        String candidate = base;
        for (int i = 2; RESERVED.contains(candidate) || reserved.contains(candidate) || used.contains(candidate); i++) {
            candidate = base + "_" + i;
        }
        used.add(candidate);
        names.put(irName, candidate);
        return candidate;
    }

    /** Reserves a fresh name derived from {@code base} (for helper variables such as quantized views). */
    public String fresh(String base) {
        String candidate = base;
        for (int i = 2; RESERVED.contains(candidate) || reserved.contains(candidate) || used.contains(candidate); i++) {
            candidate = base + "_" + i;
        }
        used.add(candidate);
        return candidate;
    }
}
