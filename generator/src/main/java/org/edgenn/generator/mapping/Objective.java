package org.edgenn.generator.mapping;

import java.util.Locale;
import org.edgenn.runtime.cost.CostResult;

/**
 * What the search minimises. {@code ENERGY} in pJ, {@code LATENCY} in cycles, {@code EDP} their product,
 * or a weighted sum {@code energyWeight * pJ + latencyWeight * cycles} for a linear trade-off.
 * Every objective is non-decreasing in energy and in latency, which the search's lower bounds rely on.
 */
public record Objective(String name, double energyWeight, double latencyWeight, boolean product) {
    public static final Objective ENERGY = new Objective("energy", 1, 0, false);
    public static final Objective LATENCY = new Objective("latency", 0, 1, false);
    public static final Objective EDP = new Objective("edp", 0, 0, true);

    public Objective {
        if (!product && (energyWeight < 0 || latencyWeight < 0 || energyWeight + latencyWeight <= 0)) {
            throw new IllegalArgumentException("objective weights must be >= 0 and not both 0");
        }
    }

    public static Objective weighted(double energyWeight, double latencyWeight) {
        return new Objective("weighted(" + energyWeight + "," + latencyWeight + ")", energyWeight, latencyWeight,
                false);
    }

    /** Parses {@code energy}, {@code latency}, {@code edp} (the CLI's {@code --objective}). */
    public static Objective parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "energy" -> ENERGY;
            case "latency", "delay", "cycles" -> LATENCY;
            case "edp" -> EDP;
            default -> throw new IllegalArgumentException("unknown objective '" + text
                    + "', expected energy, latency or edp");
        };
    }

    public double value(CostResult r) {
        return value(r.energyPj(), r.latencyCycles());
    }

    public double value(double energyPj, double latencyCycles) {
        return product ? energyPj * latencyCycles : energyWeight * energyPj + latencyWeight * latencyCycles;
    }

    @Override
    public String toString() {
        return name;
    }
}
