package org.edgenn.generator.mapping;

import java.time.Duration;

/**
 * Knobs of the mapping search.
 *
 * @param strategy          {@code AUTO} picks exhaustive search when the space is at most
 *                          {@code exhaustiveLimit} loop orders, annealing otherwise
 * @param loopLimit         at most this many temporal loops per layer: prime factors of a dimension are merged
 *                          (smallest first) until the count fits (ZigZag's "lpf limit")
 * @param spatialCandidates keep this many spatial unrollings, best utilization first; 0 = all (needed for a
 *                          proof of optimality over the whole space)
 * @param exhaustiveLimit   loop orders (summed over spatial candidates) up to which AUTO searches exhaustively
 * @param annealIterations  annealing steps per spatial candidate
 * @param layerBudget       wall-clock budget per layer (default 30 s, a safety net: with the default iteration
 *                          counts it is not reached, so results do not depend on machine load); annealing stops
 *                          when it is spent
 * @param macEnergyPj       energy of one MAC (not part of the .edgenn accelerator syntax)
 * @param seed              seed of the annealing's random generator (results are reproducible)
 * @param threads           layers searched in parallel (results do not depend on it)
 * @param zigzagAllocation  allocate loops to memories with ZigZag's allocator only (for mappings exported to
 *                          ZigZag, whose mapping files carry no allocation: ZigZag re-allocates them its way), and
 *                          cost them with ZigZag's rules ({@code CostModel.withZigZagRules}: its loading rule, a
 *                          tile loaded or drained once per layer streaming on the port's spare cycles, and its
 *                          energy accounting), so that what the search optimizes is what ZigZag costs
 */
public record SearchOptions(Strategy strategy, int loopLimit, int spatialCandidates, long exhaustiveLimit,
                            int annealIterations, Duration layerBudget, double macEnergyPj, long seed, int threads,
                            boolean zigzagAllocation) {
    public enum Strategy { AUTO, EXHAUSTIVE, ANNEALING }

    public SearchOptions {
        if (loopLimit < 1 || spatialCandidates < 0 || exhaustiveLimit < 0 || annealIterations < 1 || threads < 1) {
            throw new IllegalArgumentException("invalid search options");
        }
    }

    public static SearchOptions defaults() {
        return new SearchOptions(Strategy.AUTO, 8, 3, 20_000, 1_500, Duration.ofSeconds(30),
                org.edgenn.runtime.cost.CostModel.DEFAULT_MAC_PJ, 1,
                Runtime.getRuntime().availableProcessors(), false);
    }

    /**
     * A quick search for feedback while editing and checking: bounded by annealing iterations, not
     * time, so the same model gets the same mapping on every machine (the long layer budget only
     * guards against pathological layers).
     */
    public static SearchOptions quick() {
        return defaults().withAnnealIterations(400).withLayerBudget(Duration.ofMinutes(2));
    }

    public SearchOptions withStrategy(Strategy s) {
        return new SearchOptions(s, loopLimit, spatialCandidates, exhaustiveLimit, annealIterations, layerBudget,
                macEnergyPj, seed, threads, zigzagAllocation);
    }

    public SearchOptions withSpatialCandidates(int n) {
        return new SearchOptions(strategy, loopLimit, n, exhaustiveLimit, annealIterations, layerBudget,
                macEnergyPj, seed, threads, zigzagAllocation);
    }

    public SearchOptions withLoopLimit(int n) {
        return new SearchOptions(strategy, n, spatialCandidates, exhaustiveLimit, annealIterations, layerBudget,
                macEnergyPj, seed, threads, zigzagAllocation);
    }

    public SearchOptions withMacEnergyPj(double pj) {
        return new SearchOptions(strategy, loopLimit, spatialCandidates, exhaustiveLimit, annealIterations,
                layerBudget, pj, seed, threads, zigzagAllocation);
    }

    public SearchOptions withLayerBudget(Duration d) {
        return new SearchOptions(strategy, loopLimit, spatialCandidates, exhaustiveLimit, annealIterations, d,
                macEnergyPj, seed, threads, zigzagAllocation);
    }

    public SearchOptions withThreads(int n) {
        return new SearchOptions(strategy, loopLimit, spatialCandidates, exhaustiveLimit, annealIterations,
                layerBudget, macEnergyPj, seed, n, zigzagAllocation);
    }

    public SearchOptions withZigZagAllocation(boolean z) {
        return new SearchOptions(strategy, loopLimit, spatialCandidates, exhaustiveLimit, annealIterations,
                layerBudget, macEnergyPj, seed, threads, z);
    }

    public SearchOptions withAnnealIterations(int n) {
        return new SearchOptions(strategy, loopLimit, spatialCandidates, exhaustiveLimit, n, layerBudget,
                macEnergyPj, seed, threads, zigzagAllocation);
    }
}
