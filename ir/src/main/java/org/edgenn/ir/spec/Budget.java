package org.edgenn.ir.spec;

/**
 * An upper bound on a network metric, in base units (a count for params and MACs, seconds for
 * latency, joules for energy, square millimetres for area, bytes for memory: the weights at their widths plus the
 * peak live activations of the schedule, {@code ir.graph.MemoryFootprint}). {@code written} keeps the user's spelling for messages;
 * {@code target} names the accelerator the latency/energy bound applies to (null for counts);
 * {@code source} is where the bound is written.
 */
public record Budget(Metric metric, double limit, String written, String target, org.edgenn.ir.SourceRef source) {
    public enum Metric {
        PARAMS, MACS, LATENCY, ENERGY, AREA, MEMORY;

        public boolean needsTarget() {
            return this == LATENCY || this == ENERGY || this == AREA;
        }

        public String spelling() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** {@code latency 2.3 ms > budget 1 ms}: the message every tool reports for a violation. */
    public String violation(String actual) {
        return metric.spelling() + " " + actual + " > budget " + written + (target == null ? "" : " on " + target);
    }

    /** True when {@code actual} respects the bound (strictly below it, as written with {@code <}). */
    public boolean admits(double actual) {
        return actual < limit;
    }
}
