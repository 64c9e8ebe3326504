package org.edgenn.explore;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * What evaluating a candidate gave: its metrics when feasible, or why not (the diagnostics of its
 * instance, a violated budget, no valid mapping). Every candidate evaluated is recorded, feasible or
 * not; nothing is silently dropped.
 *
 * @param stage    which mapping search produced the latency and energy: "quick" (screening) or "full" (the front)
 * @param metrics  energy (J), latency (s), edp (J·s), area (mm², NaN without an area model), params, macs
 * @param problems each as {@code line:col: message [code]} in the candidate's instance text
 * @param text     the candidate's concrete .edgenn text (what {@code edgenn build} accepts)
 */
public record Result(Candidate candidate, String stage, boolean feasible, Map<String, Double> metrics,
                     List<String> problems, String text) implements Serializable {
    public Result {
        metrics = Map.copyOf(metrics);
        problems = List.copyOf(problems);
    }

    public double metric(String name) {
        Double v = metrics.get(name);
        return v == null ? Double.NaN : v;
    }
}
