package org.edgenn.dsl.lowering;

import static org.edgenn.dsl.edgeNN.EdgeNNPackage.Literals.ATTRIBUTE__NAME;
import static org.edgenn.dsl.edgeNN.EdgeNNPackage.Literals.ATTRIBUTE__VALUE;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EStructuralFeature;
import org.edgenn.dsl.edgeNN.AttrArg;
import org.edgenn.dsl.edgeNN.AttrValue;
import org.edgenn.dsl.edgeNN.Attribute;
import org.edgenn.dsl.edgeNN.NumberValue;
import org.edgenn.dsl.edgeNN.StringValue;
import org.edgenn.dsl.edgeNN.TupleValue;
import org.edgenn.dsl.edgeNN.WordValue;
import org.edgenn.dsl.validation.IssueCodes;
import org.edgenn.ir.spec.Value;

/**
 * Typed access to the named attributes of a call ({@code kernel=3, padding=same}), reporting every
 * misuse as a problem on the attribute's text and answering null so the caller can go on.
 */
public final class Attrs {
    private final String owner;
    private final EObject call;
    private final EStructuralFeature callFeature;
    private final Problems problems;
    private final Map<String, Attribute> byName = new LinkedHashMap<>();

    /**
     * @param owner       what the attributes belong to, for messages ({@code conv2d})
     * @param call        the element a missing attribute is reported on
     * @param allowed     the attribute names {@code owner} accepts; others are reported
     */
    public Attrs(String owner, EObject call, EStructuralFeature callFeature, List<Attribute> attributes,
                 Set<String> allowed, Problems problems) {
        this.owner = owner;
        this.call = call;
        this.callFeature = callFeature;
        this.problems = problems;
        for (Attribute a : attributes) {
            if (a.getName() == null) {
                continue; // a syntax error already reported
            }
            if (!allowed.contains(a.getName())) {
                problems.error(a, ATTRIBUTE__NAME, IssueCodes.UNKNOWN_ATTRIBUTE, owner + " has no attribute '" + a.getName()
                        + "'" + (allowed.isEmpty() ? "" : "; expected one of " + String.join(", ", allowed)));
            } else if (byName.putIfAbsent(a.getName(), a) != null) {
                problems.error(a, ATTRIBUTE__NAME, IssueCodes.DUPLICATE_ATTRIBUTE, "'" + a.getName() + "' is given twice");
            }
        }
    }

    public boolean has(String name) {
        return byName.containsKey(name);
    }

    public Attribute get(String name) {
        return byName.get(name);
    }

    /** A positive integer; {@code fallback} when absent (null: required). */
    public Integer positive(String name, Integer fallback) {
        Attribute a = byName.get(name);
        if (a == null) {
            return required(name, fallback, "=N");
        }
        Integer v = asInt(a.getValue());
        if (v == null || v < 1) {
            bad(a, "must be a positive integer");
            return null;
        }
        return v;
    }

    /** A non-negative integer; {@code fallback} when absent. */
    public Integer natural(String name, Integer fallback) {
        Attribute a = byName.get(name);
        if (a == null) {
            return required(name, fallback, "=N");
        }
        Integer v = asInt(a.getValue());
        if (v == null || v < 0) {
            bad(a, "must be a non-negative integer");
            return null;
        }
        return v;
    }

    /** One positive integer for both axes ({@code 3}) or a pair ({@code (3, 5)}): [y, x]. */
    public int[] pair(String name, int[] fallback, boolean allowZero) {
        Attribute a = byName.get(name);
        if (a == null) {
            return required(name, fallback, "=N or =(Ny, Nx)");
        }
        int min = allowZero ? 0 : 1;
        Integer single = asInt(a.getValue());
        if (single != null && single >= min) {
            return new int[] {single, single};
        }
        if (a.getValue() instanceof TupleValue t && t.getItems().size() == 2) {
            Integer y = asInt(t.getItems().get(0));
            Integer x = asInt(t.getItems().get(1));
            if (y != null && x != null && y >= min && x >= min) {
                return new int[] {y, x};
            }
        }
        bad(a, "must be " + (allowZero ? "a non-negative" : "a positive") + " integer or a pair (y, x) of them");
        return null;
    }

    public Double number(String name, Double fallback) {
        Attribute a = byName.get(name);
        if (a == null) {
            return required(name, fallback, "=number");
        }
        if (a.getValue() instanceof NumberValue n && (n.getUnit() == null || n.getUnit().isEmpty())) {
            return n.isNegative() ? -n.getValue() : n.getValue();
        }
        bad(a, "must be a number");
        return null;
    }

    public Boolean bool(String name, boolean fallback) {
        Attribute a = byName.get(name);
        if (a == null) {
            return fallback;
        }
        if (a.getValue() instanceof WordValue w && w.getArgs().isEmpty()
                && ("true".equals(w.getWord()) || "false".equals(w.getWord()))) {
            return "true".equals(w.getWord());
        }
        bad(a, "must be true or false");
        return null;
    }

    /** One of the {@code allowed} words. */
    public String word(String name, String fallback, String... allowed) {
        Attribute a = byName.get(name);
        if (a == null) {
            return required(name, fallback, "=" + allowed[0]);
        }
        if (a.getValue() instanceof WordValue w && w.getArgs().isEmpty() && List.of(allowed).contains(w.getWord())) {
            return w.getWord();
        }
        bad(a, "must be one of " + String.join(", ", allowed));
        return null;
    }

    public void bad(Attribute a, String what) {
        problems.error(a, ATTRIBUTE__VALUE, IssueCodes.BAD_ATTRIBUTE, owner + " " + a.getName() + " " + what);
    }

    private <T> T required(String name, T fallback, String example) {
        if (fallback == null) {
            problems.error(call, callFeature, IssueCodes.MISSING_ATTRIBUTE, owner + " needs " + name + example);
        }
        return fallback;
    }

    /** The integer an attribute value spells, or null. */
    public static Integer asInt(AttrValue v) {
        if (v instanceof NumberValue n && (n.getUnit() == null || n.getUnit().isEmpty())) {
            double d = n.isNegative() ? -n.getValue() : n.getValue();
            if (d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) {
                return (int) d;
            }
        }
        return null;
    }

    /** The IR form of an attribute value (initialisers, data sources, optimizers). */
    public static Value toValue(AttrValue v) {
        if (v instanceof NumberValue n) {
            return new Value.Num(n.isNegative() ? -n.getValue() : n.getValue(), n.getUnit() == null ? "" : n.getUnit());
        }
        if (v instanceof StringValue s) {
            return new Value.Str(s.getValue());
        }
        if (v instanceof TupleValue t) {
            return new Value.Tuple(t.getItems().stream().map(Attrs::toValue).toList());
        }
        WordValue w = (WordValue) v;
        List<Value> positional = new java.util.ArrayList<>();
        Map<String, Value> named = new LinkedHashMap<>();
        for (AttrArg arg : w.getArgs()) {
            if (arg instanceof Attribute a) {
                if (a.getName() != null && a.getValue() != null) {
                    named.putIfAbsent(a.getName(), toValue(a.getValue()));
                }
            } else if (arg instanceof AttrValue av) {
                positional.add(toValue(av));
            }
        }
        return new Value.Word(w.getWord() == null ? "" : w.getWord(), positional, named);
    }
}
