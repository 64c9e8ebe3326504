package org.edgenn.ir.spec.vocab;

import java.util.Map;

/**
 * The checked arguments of one use of a term, defaults filled in: {@code adam(lr=5e-4)} gives {@code lr = 5e-4}.
 * Only lowering builds these, after every argument has passed its {@link Parameter}; the accessors then cannot fail
 * on user input, only on a term whose builder asks for a parameter it does not declare (a programming error).
 */
public final class Arguments {
    private final Term<?> term;
    private final Map<String, Object> values;

    /** @param given the written arguments by name, each already of its parameter's type and in its range */
    public Arguments(Term<?> term, Map<String, Object> given) {
        this.term = term;
        this.values = Map.copyOf(given);
    }

    /** True when the argument was written (not defaulted). */
    public boolean given(String name) {
        parameter(name);
        return values.containsKey(name);
    }

    public double number(String name) {
        Object v = value(name);
        if (!(v instanceof Double d)) {
            throw new IllegalStateException(term.name() + "." + name + " has no value");
        }
        return d;
    }

    public int integer(String name) {
        return (int) number(name);
    }

    /** A number, or null when neither written nor defaulted (a derived default). */
    public Double numberOrNull(String name) {
        return (Double) value(name);
    }

    public Integer integerOrNull(String name) {
        Double d = numberOrNull(name);
        return d == null ? null : d.intValue();
    }

    /** A string, or null when neither written nor defaulted. */
    public String string(String name) {
        return (String) value(name);
    }

    private Object value(String name) {
        Parameter p = parameter(name);
        Object v = values.get(name);
        return v != null ? v : p.defaultValue();
    }

    private Parameter parameter(String name) {
        return term.parameter(name).orElseThrow(() -> new IllegalStateException(term.name() + " declares no parameter " + name));
    }
}
