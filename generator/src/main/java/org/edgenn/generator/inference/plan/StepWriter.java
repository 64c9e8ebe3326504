package org.edgenn.generator.inference.plan;

import org.edgenn.generator.inference.plan.InferencePlan.Bounds;
import org.edgenn.generator.inference.plan.InferencePlan.Step;
import org.edgenn.generator.inference.plan.InferencePlan.Tensor;

/**
 * What a plan step needs to write its part of the generated int8 class ({@link Step#declare}, {@link Step#prepare},
 * {@link Step#layer}, {@link Step#run}): the names the inference generator gave to buffers, quantizations and
 * prepared ops, and the class text under construction.
 */
public interface StepWriter {
    /** The field holding step {@code s}'s prepared kernel. */
    String op(Step s);

    /** The int8 buffer of a plan tensor. */
    String buffer(String tensor);

    /** The {@code QuantParams} local of a plan tensor's quantization. */
    String quant(String tensor);

    Tensor tensor(String node);

    /** A Java identifier not used yet, close to {@code base}. */
    String fresh(String base);

    /** Writes one line at the current indentation. */
    void line(String javaLine);

    /**
     * The output clamp arguments {@code lo, hi}: full int8 ({@code -128, 127}), or a local (written now) holding the
     * folded activation's bounds in the output's int8 domain.
     */
    String clampArguments(Bounds b, String output, String folded);

    /** A Java string literal. */
    static String str(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** {@code {1, 2, 3}}. */
    static String ints(int[] v) {
        StringBuilder s = new StringBuilder("{");
        for (int i = 0; i < v.length; i++) {
            s.append(i == 0 ? "" : ", ").append(v[i]);
        }
        return s.append('}').toString();
    }

    /** A double literal as {@link String#valueOf(double)}, infinities as constants. */
    static String num(double v) {
        if (v == Double.POSITIVE_INFINITY) {
            return "Double.POSITIVE_INFINITY";
        }
        if (v == Double.NEGATIVE_INFINITY) {
            return "Double.NEGATIVE_INFINITY";
        }
        return String.valueOf(v);
    }
}
