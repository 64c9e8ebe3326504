package org.edgenn.dsl.lowering;

import static org.edgenn.dsl.edgeNN.EdgeNNPackage.Literals.ATTRIBUTE__NAME;
import static org.edgenn.dsl.edgeNN.EdgeNNPackage.Literals.ATTRIBUTE__VALUE;
import static org.edgenn.dsl.edgeNN.EdgeNNPackage.Literals.WORD_VALUE__WORD;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EStructuralFeature;
import org.edgenn.dsl.edgeNN.AttrArg;
import org.edgenn.dsl.edgeNN.AttrValue;
import org.edgenn.dsl.edgeNN.Attribute;
import org.edgenn.dsl.edgeNN.NumberValue;
import org.edgenn.dsl.edgeNN.StringValue;
import org.edgenn.dsl.edgeNN.WordValue;
import org.edgenn.dsl.validation.IssueCodes;
import org.edgenn.ir.spec.vocab.Arguments;
import org.edgenn.ir.spec.vocab.Closest;
import org.edgenn.ir.spec.vocab.Initializer;
import org.edgenn.ir.spec.vocab.Parameter;
import org.edgenn.ir.spec.vocab.Term;
import org.edgenn.ir.spec.vocab.Vocabulary;

/**
 * Lowers a use of the training vocabulary ({@code adam(lr=5e-4)}, {@code synthetic_sparse(m=250)},
 * {@code init=normal(std=0.1)}) to its typed record, checking the name and every argument against the term's
 * {@link Parameter descriptors}. Each mistake is reported on its own text: an unknown name on the name, an unknown
 * or misspelt argument on the argument's name with the closest valid one, a wrong type or out-of-range value on
 * the value. Answers null after reporting; never falls back to a default for what was written.
 */
public final class TermLowering {

    private TermLowering() {
    }

    /** The record {@code w} names in {@code kind}'s family, or null after reporting why not. */
    public static <T> T lower(Term.Kind kind, WordValue w, Problems problems) {
        if (w == null || w.getWord() == null) {
            return null; // the parser reports it
        }
        @SuppressWarnings("unchecked")
        Term<T> term = (Term<T>) Vocabulary.find(kind, w.getWord()).orElse(null);
        if (term == null) {
            List<String> names = Vocabulary.names(kind);
            problems.error(w, WORD_VALUE__WORD, unknownCode(kind), "unknown " + kind.what() + " '" + w.getWord()
                    + "'; expected one of " + String.join(", ", new TreeSet<>(names)) + didYouMean(w.getWord(), names));
            return null;
        }
        Map<String, Object> given = new LinkedHashMap<>();
        boolean ok = true;
        int positional = 0;
        for (AttrArg arg : w.getArgs()) {
            if (arg instanceof Attribute a) {
                if (a.getName() == null || a.getValue() == null) {
                    continue; // a syntax error already reported
                }
                Parameter p = term.parameter(a.getName()).orElse(null);
                if (p == null) {
                    problems.error(a, ATTRIBUTE__NAME, IssueCodes.UNKNOWN_ARGUMENT, unknownArgument(term, a.getName()));
                    ok = false;
                } else if (given.containsKey(p.name())) {
                    problems.error(a, ATTRIBUTE__NAME, IssueCodes.DUPLICATE_ATTRIBUTE, "'" + p.name() + "' is given twice");
                    ok = false;
                } else {
                    Object v = value(term, p, a.getValue(), a, ATTRIBUTE__VALUE, problems);
                    ok &= v != null;
                    given.put(p.name(), v);
                }
            } else if (arg instanceof AttrValue v) {
                Parameter p = positional++ == 0 ? term.positional().orElse(null) : null;
                if (p == null) {
                    problems.error(v, null, IssueCodes.UNKNOWN_ARGUMENT, term.name() + (term.parameters().isEmpty()
                            ? " takes no arguments" : " takes " + (term.positional().isPresent() ? "one unnamed argument ("
                            + term.positional().get().name() + ")" : "named arguments only") + ": " + term.signature()));
                    ok = false;
                } else {
                    Object value = value(term, p, v, v, null, problems);
                    ok &= value != null;
                    given.put(p.name(), value);
                }
            }
        }
        for (Parameter p : term.parameters()) {
            if (p.required() && !given.containsKey(p.name())) {
                problems.error(w, WORD_VALUE__WORD, IssueCodes.MISSING_ARGUMENT, term.name() + " needs its " + p.name()
                        + " (" + p.doc() + "): " + term.signature());
                ok = false;
            }
        }
        return ok ? term.build(new Arguments(term, given)) : null;
    }

    /**
     * An initializer as written after {@code init=} or a param's {@code =}: a word of the vocabulary, a number
     * (every element that value) or a string (a file of values).
     */
    public static Initializer initializer(AttrValue v, Problems problems) {
        if (v instanceof NumberValue n) {
            if (n.getUnit() != null && !n.getUnit().isEmpty()) {
                problems.error(v, null, IssueCodes.BAD_ARGUMENT_TYPE, "an initial value is a plain number, without a unit");
                return null;
            }
            return new Initializer.Constant(n.isNegative() ? -n.getValue() : n.getValue());
        }
        if (v instanceof StringValue s) {
            return new Initializer.File(s.getValue());
        }
        if (v instanceof WordValue w) {
            return lower(Term.Kind.INITIALIZER, w, problems);
        }
        if (v != null) {
            problems.error(v, null, IssueCodes.UNKNOWN_INITIALIZER, "an initializer is a number, a file name in quotes or one of "
                    + String.join(", ", new TreeSet<>(Vocabulary.names(Term.Kind.INITIALIZER))));
        }
        return null;
    }

    /** The value of {@code v} as {@code p}'s type (Double or String), or null after reporting on {@code at}. */
    private static Object value(Term<?> term, Parameter p, AttrValue v, EObject at, EStructuralFeature feature, Problems problems) {
        String what = term.name() + " " + p.name();
        if (p.type() == Parameter.Type.STRING) {
            if (v instanceof StringValue s) {
                return s.getValue();
            }
            problems.error(at, feature, IssueCodes.BAD_ARGUMENT_TYPE, what + " must be " + p.type().what() + ", got " + Written.of(v));
            return null;
        }
        String unit = v instanceof NumberValue n && n.getUnit() != null ? n.getUnit() : "";
        if (!(v instanceof NumberValue n) || !(unit.isEmpty() || unit.equals(p.unit()))) {
            problems.error(at, feature, IssueCodes.BAD_ARGUMENT_TYPE, what + " must be " + p.type().what()
                    + (p.unit().isEmpty() ? "" : " (in " + p.unit() + ")") + ", got " + Written.of(v));
            return null;
        }
        if (Written.isRefused(n)) {
            return null; // the parser reported the number on its text already (1e999: too large)
        }
        double d = n.isNegative() ? -n.getValue() : n.getValue();
        if (p.type() == Parameter.Type.INT && (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE)) {
            problems.error(at, feature, IssueCodes.BAD_ARGUMENT_TYPE, what + " must be " + p.type().what() + ", got " + Written.of(v));
            return null;
        }
        if (!p.range().contains(d)) {
            problems.error(at, feature, IssueCodes.ARGUMENT_OUT_OF_RANGE, what + " must be " + p.range() + ", got " + Written.of(v));
            return null;
        }
        return d;
    }

    private static String unknownArgument(Term<?> term, String written) {
        if (term.parameters().isEmpty()) {
            return term.name() + " takes no arguments";
        }
        List<String> close = Closest.to(written, term.parameterNames());
        return term.name() + " has no argument '" + written + "'" + (close.isEmpty() ? "" : "; did you mean " + String.join(" or ", close) + "?")
                + " (arguments: " + String.join(", ", term.parameterNames()) + ")";
    }

    private static String didYouMean(String written, List<String> names) {
        List<String> close = Closest.to(written, names);
        return close.isEmpty() ? "" : " (did you mean " + String.join(" or ", close) + "?)";
    }

    private static String unknownCode(Term.Kind kind) {
        return switch (kind) {
            case DATA_SOURCE -> IssueCodes.UNKNOWN_DATA_SOURCE;
            case OPTIMIZER -> IssueCodes.UNKNOWN_OPTIMIZER;
            case SCHEDULE -> IssueCodes.UNKNOWN_SCHEDULE;
            case INITIALIZER -> IssueCodes.UNKNOWN_INITIALIZER;
            case CURRICULUM -> IssueCodes.BAD_CURRICULUM;
        };
    }
}
