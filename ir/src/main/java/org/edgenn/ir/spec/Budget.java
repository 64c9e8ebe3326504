package org.edgenn.ir.spec;

/**
 * An upper bound on a network metric, in base units (a count for params and MACs, seconds for
 * latency, joules for energy). {@code written} keeps the user's spelling for messages;
 * {@code target} names the accelerator the latency/energy bound applies to (null for counts).
 */
public record Budget(Metric metric, double limit, String written, String target) {
    public enum Metric {
        PARAMS, MACS, LATENCY, ENERGY;

        public boolean needsTarget() {
            return this == LATENCY || this == ENERGY;
        }

        public String spelling() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** True when {@code actual} respects the bound (strictly below it, as written with {@code <}). */
    public boolean admits(double actual) {
        return actual < limit;
    }
}
