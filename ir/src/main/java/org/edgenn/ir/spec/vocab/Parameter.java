package org.edgenn.ir.spec.vocab;

import java.util.Locale;

/**
 * One argument a vocabulary term accepts: {@code lr} of {@code adam(lr=5e-4)}, {@code sparsity} of
 * {@code synthetic_sparse(...)}. Lowering checks every written argument against these descriptors; the generator
 * reads the typed record the term builds, never the descriptor.
 *
 * @param name         as written in the language ({@code test_images})
 * @param type         what the value must be
 * @param defaultValue the value when the argument is absent ({@link Double} or {@link String}); null when the
 *                     argument is {@code required} or its default depends on the network ({@code doc} says which)
 * @param required     the term cannot be used without it
 * @param range        the allowed numbers ({@link Range#ANY} for strings)
 * @param unit         the one unit a number may carry besides none ({@code dB}), or empty
 * @param positional   the argument may also be written first without its name ({@code adam(5e-4)}, {@code normal(0.1)})
 * @param doc          one line for content assist and the language reference
 */
public record Parameter(String name, Type type, Object defaultValue, boolean required, Range range, String unit,
                        boolean positional, String doc) {

    public enum Type {
        INT("a whole number"), NUMBER("a number"), STRING("a string in quotes");

        private final String what;

        Type(String what) {
            this.what = what;
        }

        /** For messages: "must be a whole number". */
        public String what() {
            return what;
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Parameter {
        if (defaultValue != null && !(type == Type.STRING ? defaultValue instanceof String : defaultValue instanceof Double)) {
            throw new IllegalArgumentException(name + ": default " + defaultValue + " is not of type " + type);
        }
        if (required && defaultValue != null) {
            throw new IllegalArgumentException(name + ": a required argument has no default");
        }
    }

    public static Parameter number(String name, double defaultValue, Range range, String doc) {
        return new Parameter(name, Type.NUMBER, defaultValue, false, range, "", false, doc);
    }

    public static Parameter integer(String name, double defaultValue, Range range, String doc) {
        return new Parameter(name, Type.INT, defaultValue, false, range, "", false, doc);
    }

    public static Parameter string(String name, String defaultValue, String doc) {
        return new Parameter(name, Type.STRING, defaultValue, false, Range.ANY, "", false, doc);
    }

    /** Optional with no fixed default: the term derives it ({@code doc} says how). */
    public static Parameter derived(String name, Type type, Range range, String doc) {
        return new Parameter(name, type, null, false, range, "", false, doc);
    }

    public static Parameter requiredString(String name, String doc) {
        return new Parameter(name, Type.STRING, null, true, Range.ANY, "", false, doc);
    }

    /** This parameter, also accepted as the first, unnamed argument. */
    public Parameter asPositional() {
        return new Parameter(name, type, defaultValue, required, range, unit, true, doc);
    }

    /** This parameter, whose number may carry {@code unit}. */
    public Parameter withUnit(String unit) {
        return new Parameter(name, type, defaultValue, required, range, unit, positional, doc);
    }

    /** The default as written in the language: {@code 0.001}, {@code "images"}, or a dash when none is fixed. */
    public String defaultText() {
        if (defaultValue == null) {
            return required ? "required" : "—";
        }
        if (defaultValue instanceof String s) {
            return "\"" + s + "\"";
        }
        double d = (Double) defaultValue;
        return Double.isInfinite(d) ? "none" : Range.format(d);
    }

    /**
     * The allowed numbers: {@code lo} and {@code hi} (either may be infinite), each bound included or not.
     * {@code (0, 1]} is {@code new Range(0, false, 1, true)}.
     */
    public record Range(double lo, boolean loIncluded, double hi, boolean hiIncluded) {
        public static final Range ANY = new Range(Double.NEGATIVE_INFINITY, false, Double.POSITIVE_INFINITY, false);
        /** {@code > 0} */
        public static final Range POSITIVE = new Range(0, false, Double.POSITIVE_INFINITY, false);
        /** {@code >= 0} */
        public static final Range NON_NEGATIVE = new Range(0, true, Double.POSITIVE_INFINITY, false);

        public static Range atLeast(double lo) {
            return new Range(lo, true, Double.POSITIVE_INFINITY, false);
        }

        public boolean contains(double v) {
            if (Double.isNaN(v)) {
                return false;
            }
            boolean aboveLo = loIncluded ? v >= lo : v > lo;
            boolean belowHi = hiIncluded ? v <= hi : v < hi;
            return aboveLo && belowHi;
        }

        /** {@code > 0}, {@code >= 2}, {@code in (0, 1]}, or empty for any number. */
        @Override
        public String toString() {
            boolean noLo = lo == Double.NEGATIVE_INFINITY;
            boolean noHi = hi == Double.POSITIVE_INFINITY;
            if (noLo && noHi) {
                return "";
            }
            if (noHi) {
                return (loIncluded ? ">= " : "> ") + format(lo);
            }
            if (noLo) {
                return (hiIncluded ? "<= " : "< ") + format(hi);
            }
            return "in " + (loIncluded ? "[" : "(") + format(lo) + ", " + format(hi) + (hiIncluded ? "]" : ")");
        }

        static String format(double v) {
            if (Double.isInfinite(v)) {
                return v > 0 ? "inf" : "-inf";
            }
            return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
        }
    }
}
