package org.edgenn.generator.mapping.search;

import org.edgenn.runtime.cost.CostModel;
import org.edgenn.runtime.cost.SpatialMapping;
import org.edgenn.runtime.cost.Workload;

/**
 * A lower bound of the energy and of the latency of every mapping the layer search can return for a nest, whatever
 * the capacities of its memories: for each spatial unrolling the search may take ({@link SpatialMappingGenerator},
 * which does not depend on capacities), the terms no loop order avoids ({@link LowerBound#terms}); latency at least
 * the larger of the compute cycles and the backing store's transfer cycles. Energy and latency are minimised
 * separately over the unrollings (each is then a bound on its own). Used to skip depth-first tile configurations
 * that cannot improve a network.
 */
public final class NestBound {
    private NestBound() {
    }

    /**
     * {energy in pJ, latency in cycles}, both at most those of any mapping of {@code w} under {@code model}'s rules
     * (its resident operands, ZigZag's energy rules) on its accelerator or on the same with smaller memories;
     * {+inf, +inf} when no spatial unrolling is admissible (nothing can be mapped).
     */
    public static double[] of(Workload w, CostModel model) {
        double energy = Double.POSITIVE_INFINITY;
        double latency = Double.POSITIVE_INFINITY;
        for (SpatialMapping s : SpatialMappingGenerator.generate(w, model.hierarchy())) {
            double[] t = LowerBound.terms(w, model.hierarchy(), s, model);
            energy = Math.min(energy, t[0]);
            latency = Math.min(latency, Math.max(t[1], t[2]));
        }
        return new double[] {energy, latency};
    }
}
