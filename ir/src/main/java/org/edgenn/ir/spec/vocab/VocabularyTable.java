package org.edgenn.ir.spec.vocab;

import java.util.ArrayList;
import java.util.List;

/**
 * The vocabulary as Markdown tables, one per family: the block between {@link #BEGIN} and {@link #END} in
 * docs/language.md is this text, checked by a test (and rewritten by it with {@code -Dvocabulary.update=true}).
 */
public final class VocabularyTable {
    public static final String BEGIN = "<!-- vocabulary: generated from org.edgenn.ir.spec.vocab.Vocabulary; do not edit -->";
    public static final String END = "<!-- end of vocabulary -->";

    private VocabularyTable() {
    }

    public static String markdown() {
        List<String> out = new ArrayList<>();
        for (Term.Kind kind : Term.Kind.values()) {
            String title = kind == Term.Kind.CURRICULUM ? "Curricula" : kind.what().substring(0, 1).toUpperCase() + kind.what().substring(1) + "s";
            out.add("**" + title + "**" + switch (kind) {
                case DATA_SOURCE -> " (`data NAME(args) -> bindings`; the bindings take what it provides, in order)";
                case OPTIMIZER -> " (`optimizer NAME(args)`; default `adam(lr=0.001)`)";
                case SCHEDULE -> " (`schedule NAME(args)`; default `constant`; counted in optimizer steps)";
                case INITIALIZER -> " (`init=NAME(args)` of a layer, `= NAME(args)` of a param; also a number, or a file name in quotes)";
                case CURRICULUM -> " (`curriculum NAME(args)` of a train block whose network's output is an unroll state; runs before the epochs)";
            });
            out.add("");
            out.add(kind == Term.Kind.DATA_SOURCE ? "| name | provides | arguments |" : "| name | what | arguments |");
            out.add("|---|---|---|");
            for (Term<?> t : Vocabulary.of(kind)) {
                String what = kind == Term.Kind.DATA_SOURCE ? String.join(", ", t.provides()) + " — " + t.doc() : t.doc();
                out.add("| `" + t.name() + "` | " + what + " | " + arguments(t) + " |");
            }
            out.add("");
        }
        return String.join("\n", out);
    }

    private static String arguments(Term<?> t) {
        if (t.parameters().isEmpty()) {
            return "none";
        }
        List<String> args = new ArrayList<>();
        for (Parameter p : t.parameters()) {
            String range = p.range().toString();
            args.add("`" + p.name() + "` " + p.type() + (p.unit().isEmpty() ? "" : " [" + p.unit() + "]") + " = " + p.defaultText()
                    + (range.isEmpty() ? "" : ", " + range) + (p.positional() ? ", may be unnamed first" : "") + ": " + p.doc());
        }
        return String.join("; ", args);
    }
}
