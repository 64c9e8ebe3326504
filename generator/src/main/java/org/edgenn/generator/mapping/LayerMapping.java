package org.edgenn.generator.mapping;

import org.edgenn.runtime.cost.CostResult;
import org.edgenn.runtime.cost.Workload;

/**
 * The chosen mapping of one layer and how it was found.
 *
 * @param provenOptimal true when every loop order of every spatial unrolling was covered (enumerated or
 *                      soundly pruned), i.e. the result is the optimum of the cost model over the search space
 * @param strategy      {@code exhaustive}, {@code annealing} or {@code mixed}
 * @param evaluated     mappings costed
 * @param searchMillis  wall-clock time of the search (0 when reused from an identical layer)
 */
public record LayerMapping(Workload workload, CostResult cost, double objectiveValue, boolean provenOptimal,
                           String strategy, long evaluated, long searchMillis) {
}
