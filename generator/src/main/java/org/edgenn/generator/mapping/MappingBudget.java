package org.edgenn.generator.mapping;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Budgets from a network's {@code compress { budget ... }} block that the mapping can check; {@code null}
 * means "no budget". {@link #check} reports every violated budget with both numbers.
 */
public record MappingBudget(Double maxLatencySeconds, Double maxEnergyJoules, Double maxDramBytes) {
    public static final MappingBudget NONE = new MappingBudget(null, null, null);

    /** One exceeded budget. */
    public record Violation(String quantity, double limit, double actual, String unit) {
        public String message() {
            return String.format(Locale.ROOT, "%s budget exceeded: %.6g %s > limit %.6g %s (%.1f%% over)", quantity,
                    actual, unit, limit, unit, 100 * (actual / limit - 1));
        }
    }

    public List<Violation> check(NetworkMapping m) {
        List<Violation> v = new ArrayList<>();
        if (maxLatencySeconds != null && m.totalLatencySeconds() > maxLatencySeconds) {
            v.add(new Violation("latency", maxLatencySeconds, m.totalLatencySeconds(), "s"));
        }
        double joules = m.totalEnergyPj() * 1e-12;
        if (maxEnergyJoules != null && joules > maxEnergyJoules) {
            v.add(new Violation("energy", maxEnergyJoules, joules, "J"));
        }
        if (maxDramBytes != null && m.totalDramBytes() > maxDramBytes) {
            v.add(new Violation("DRAM traffic", maxDramBytes, m.totalDramBytes(), "B"));
        }
        return v;
    }
}
