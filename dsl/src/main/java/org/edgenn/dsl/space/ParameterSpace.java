package org.edgenn.dsl.space;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.emf.ecore.EObject;
import org.edgenn.dsl.edgeNN.Arith;
import org.edgenn.dsl.edgeNN.ArithBinary;
import org.edgenn.dsl.edgeNN.ArithNumber;
import org.edgenn.dsl.edgeNN.ArithParam;
import org.edgenn.dsl.edgeNN.BoolDomain;
import org.edgenn.dsl.edgeNN.Constraint;
import org.edgenn.dsl.edgeNN.DomainValue;
import org.edgenn.dsl.edgeNN.NumberChoice;
import org.edgenn.dsl.edgeNN.Parameter;
import org.edgenn.dsl.edgeNN.PrecisionChoice;
import org.edgenn.dsl.edgeNN.RangeDomain;
import org.edgenn.dsl.edgeNN.SetDomain;

/**
 * The values a family's parameters take: each parameter's domain spelled out (a range stepped, a
 * set as listed, a boolean as false/true) and the family's {@code where} constraints. A binding
 * maps each parameter name ({@code $depth}) to the text of its value ({@code 8}, {@code true},
 * {@code int4}), the text an instance carries in place of the parameter.
 */
public final class ParameterSpace {

    /** What a parameter's values are: where it may be used depends on it. */
    public enum Kind { NUMBER, BOOL, PRECISION }

    /** A range with more values than this is refused (a typo such as 1..100000 rather than a space). */
    public static final int MAX_VALUES = 4096;

    /** @param integral every value is a whole number (the parameter may stand for a count) */
    public record Param(String name, Kind kind, List<String> values, boolean integral) {
    }

    private final List<Param> params;
    private final List<Constraint> constraints;

    private ParameterSpace(List<Param> params, List<Constraint> constraints) {
        this.params = List.copyOf(params);
        this.constraints = List.copyOf(constraints);
    }

    /** The space of a family; a parameter with an empty or oversized domain has no values (the validator reports it). */
    public static ParameterSpace of(EObject family) {
        List<Param> params = new ArrayList<>();
        for (Parameter p : Families.parameters(family)) {
            params.add(param(p));
        }
        return new ParameterSpace(params, Families.constraints(family));
    }

    static Param param(Parameter p) {
        if (p.getDomain() instanceof BoolDomain) {
            return new Param(p.getName(), Kind.BOOL, List.of("false", "true"), false);
        }
        List<String> values = new ArrayList<>();
        boolean integral = true;
        Kind kind = Kind.NUMBER;
        if (p.getDomain() instanceof RangeDomain r) {
            double step = r.eIsSet(org.edgenn.dsl.edgeNN.EdgeNNPackage.Literals.RANGE_DOMAIN__STEP) ? r.getStep() : 1;
            if (step > 0 && r.getFrom() <= r.getTo() && (r.getTo() - r.getFrom()) / step < MAX_VALUES) {
                long n = (long) Math.floor((r.getTo() - r.getFrom()) / step + 1e-9);
                for (long i = 0; i <= n; i++) {
                    double v = r.getFrom() + i * step;
                    integral &= v == Math.rint(v);
                    values.add(text(v));
                }
            }
        } else if (p.getDomain() instanceof SetDomain s) {
            for (DomainValue v : s.getValues()) {
                if (v instanceof NumberChoice n) {
                    integral &= n.getValue() == Math.rint(n.getValue());
                    values.add(text(n.getValue()));
                } else if (v instanceof PrecisionChoice pc) {
                    kind = Kind.PRECISION;
                    values.add(pc.getPrecision().getLiteral());
                }
            }
        }
        return new Param(p.getName(), kind, values.stream().distinct().toList(), kind == Kind.NUMBER && integral);
    }

    /** A number as an instance writes it: {@code 16}, {@code 0.25}. */
    public static String text(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        String s = String.format(Locale.ROOT, "%.10g", v);
        return new java.math.BigDecimal(s).stripTrailingZeros().toPlainString();
    }

    public List<Param> params() {
        return params;
    }

    public Param param(String name) {
        return params.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
    }

    /** The number of bindings before the constraints are applied. */
    public long size() {
        long n = 1;
        for (Param p : params) {
            n = Math.multiplyExact(n, p.values().size());
        }
        return n;
    }

    /** The binding with value {@code indices[i]} of parameter i. */
    public Map<String, String> binding(int[] indices) {
        Map<String, String> b = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            b.put(params.get(i).name(), params.get(i).values().get(indices[i]));
        }
        return b;
    }

    /** True when every {@code where} constraint holds for the binding. */
    public boolean admits(Map<String, String> binding) {
        for (Constraint c : constraints) {
            if (!holds(c, binding)) {
                return false;
            }
        }
        return true;
    }

    /** Every admitted binding, the first parameter varying slowest (the order {@code grid} evaluates in). */
    public List<Map<String, String>> bindings() {
        List<Map<String, String>> out = new ArrayList<>();
        if (params.stream().anyMatch(p -> p.values().isEmpty())) {
            return out;
        }
        int[] idx = new int[params.size()];
        while (true) {
            Map<String, String> b = binding(idx);
            if (admits(b)) {
                out.add(b);
            }
            int i = params.size() - 1;
            while (i >= 0 && ++idx[i] == params.get(i).values().size()) {
                idx[i] = 0;
                i--;
            }
            if (i < 0) {
                return out;
            }
        }
    }

    static boolean holds(Constraint c, Map<String, String> binding) {
        double l = value(c.getLeft(), binding);
        double r = value(c.getRight(), binding);
        switch (c.getOp()) {
            case "<": return l < r;
            case "<=": return l <= r;
            case ">": return l > r;
            case ">=": return l >= r;
            case "==": return l == r;
            default: return l != r;
        }
    }

    /** Booleans count as 0/1 and precisions as their bit width, so {@code $w * $n} is a size in bits. */
    static double value(Arith a, Map<String, String> binding) {
        if (a instanceof ArithNumber n) {
            return n.getValue();
        }
        if (a instanceof ArithParam p) {
            String v = binding.get(p.getName());
            if (v == null) {
                return Double.NaN;
            }
            if (v.equals("true") || v.equals("false")) {
                return v.equals("true") ? 1 : 0;
            }
            if (v.startsWith("int") || v.startsWith("f")) {
                return Double.parseDouble(v.replaceAll("[^0-9]", ""));
            }
            return Double.parseDouble(v);
        }
        ArithBinary b = (ArithBinary) a;
        double l = value(b.getLeft(), binding);
        double r = value(b.getRight(), binding);
        switch (b.getOp()) {
            case "+": return l + r;
            case "-": return l - r;
            case "*": return l * r;
            default: return l / r;
        }
    }
}
