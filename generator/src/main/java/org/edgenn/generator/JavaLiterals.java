package org.edgenn.generator;

import org.edgenn.ir.Shape;

/** Java literals in generated trainers: strings, doubles ({@code 1.0}, {@code Double.POSITIVE_INFINITY}), dimension lists. */
public final class JavaLiterals {
    private JavaLiterals() {
    }

    /** A Java string literal. */
    public static String str(String s) {
        StringBuilder o = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> o.append("\\\"");
                case '\\' -> o.append("\\\\");
                case '\n' -> o.append("\\n");
                default -> o.append(c);
            }
        }
        return o.append('"').toString();
    }

    /** A double literal; whole numbers as {@code 3.0}. */
    public static String num(double v) {
        if (Double.isInfinite(v)) {
            return v > 0 ? "Double.POSITIVE_INFINITY" : "Double.NEGATIVE_INFINITY";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e9) {
            return (long) v + ".0";
        }
        return String.valueOf(v);
    }

    /** {@code 1, 28, 28}. */
    public static String dims(long... d) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < d.length; i++) {
            s.append(i == 0 ? "" : ", ").append(d[i]);
        }
        return s.toString();
    }

    public static String dims(Shape s) {
        int[] d = s.dims();
        long[] l = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            l[i] = d[i];
        }
        return dims(l);
    }
}
