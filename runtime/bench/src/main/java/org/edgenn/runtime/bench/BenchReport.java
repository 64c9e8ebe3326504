package org.edgenn.runtime.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns a JMH JSON result of {@link KernelBench} ({@code -rf json -rff result.json}) into the
 * Markdown table of docs/BENCHMARKS.md: GMAC/s per shape and variant (from the median and from the fastest call of JMH's sample mode), ratio to ONNX Runtime and
 * to the scalar reference (both from the same run); for runs with {@code KernelBench.java} (the native family on the
 * class path) the pure-Java family's column and ratio instead of the scalar one.
 * Usage: {@code java -cp runtime/bench/target/benchmarks.jar org.edgenn.runtime.bench.BenchReport result.json}
 */
public final class BenchReport {
    public static void main(String[] args) throws IOException {
        JsonNode root = new ObjectMapper().readTree(new File(args[0]));
        Map<Shape, Map<String, double[]>> us = new EnumMap<>(Shape.class);
        for (JsonNode r : root) {
            String bench = r.get("benchmark").asText();
            String variant = bench.substring(bench.lastIndexOf('.') + 1);
            Shape shape = Shape.valueOf(r.get("params").get("shape").asText());
            JsonNode m = r.get("primaryMetric");
            JsonNode pct = m.get("scorePercentiles");
            us.computeIfAbsent(shape, k -> new HashMap<>()).put(variant,
                    new double[] {pct.get("50.0").asDouble(), pct.get("0.0").asDouble(), m.get("score").asDouble()});
        }
        boolean pure = us.values().stream().anyMatch(m -> m.containsKey("java"));
        for (int col = 0; col < 2; col++) {
            System.out.println(col == 0 ? "\nMedian call time:\n" : "\nFastest call (minimum):\n");
            if (pure) { // runs with the native family: edgenn = default family (native), java = best pure-Java family
                System.out.println("| shape | MACs | EdgeNN default GMAC/s | EdgeNN pure Java GMAC/s | ORT u8s8 GMAC/s | default / ORT | pure Java / ORT |");
            } else {
                System.out.println("| shape | MACs | EdgeNN vector GMAC/s | scalar ref GMAC/s | ORT u8s8 GMAC/s | vector / ORT | vector / scalar |");
            }
            System.out.println("|---|---:|---:|---:|---:|---:|---:|");
            for (Map.Entry<Shape, Map<String, double[]>> e : us.entrySet()) {
                long macs = e.getKey().spec.macs();
                double v = gmacs(macs, e.getValue().get("edgenn"), col), o = gmacs(macs, e.getValue().get("ort"), col);
                if (pure) {
                    double j = gmacs(macs, e.getValue().get("java"), col);
                    System.out.printf("| %s | %,d | %.1f | %.1f | %.1f | %.2f | %.2f |%n", e.getKey().label, macs, v, j, o, v / o, j / o);
                } else {
                    double s = gmacs(macs, e.getValue().get("scalar"), col);
                    System.out.printf("| %s | %,d | %.1f | %.2f | %.1f | %.2f | %.1fx |%n", e.getKey().label, macs, v, s, o, v / o, v / s);
                }
            }
        }
    }

    /** GMAC/s from a time in microseconds (column 0 = median, 1 = minimum). */
    private static double gmacs(long macs, double[] usPerOp, int col) {
        return usPerOp == null ? Double.NaN : macs / (usPerOp[col] * 1e3);
    }
}
