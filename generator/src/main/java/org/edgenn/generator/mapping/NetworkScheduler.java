package org.edgenn.generator.mapping;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.edgenn.generator.mapping.schedule.Fusion;
import org.edgenn.generator.mapping.schedule.NetworkSchedule;
import org.edgenn.generator.mapping.schedule.Residency;
import org.edgenn.generator.mapping.schedule.WorkloadGraph;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.accel.MemoryLevel;
import org.edgenn.ir.accel.Operand;
import org.edgenn.runtime.cost.CapacityProbe;
import org.edgenn.runtime.cost.CostModel;
import org.edgenn.runtime.cost.Mapping;
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.edgenn.runtime.cost.Tiles;
import org.edgenn.runtime.cost.Workload;

/**
 * The network-level schedule: element-wise ops fused into their producers' output stage ({@link Fusion}), tensors kept
 * on chip between passes ({@link Residency}), every pass mapped by the layer search on what the resident tensors leave
 * of each memory, and the network objective compared over the settings the residency rule offers.
 *
 * <p>The search over the network: the passes are first mapped with nothing resident (fusion only); the candidates'
 * savings are estimated from those mappings; then for each share {@value #FRACTIONS_TEXT} of the on-chip levels and
 * each of the rule's two orders (saving per byte, saving) the rule picks the residents, every pass is searched again on
 * the capacity left to it (identical contexts searched once), a pass that no longer fits evicts the resident live
 * during it that saves least, and the network objective decides.
 * The setting with nothing resident is among those compared, so the schedule is never worse than fusion alone on the
 * objective.
 */
public final class NetworkScheduler {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(NetworkScheduler.class);
    static final String FRACTIONS_TEXT = "0, 1/4, 1/2, 3/4, 1";
    private static final double[] FRACTIONS = {0.25, 0.5, 0.75, 1.0};

    private NetworkScheduler() {
    }

    /** Searches one pass on a (capacity-reduced) accelerator with some operands resident. */
    @FunctionalInterface
    public interface PassSearch {
        LayerMapping search(Workload w, AcceleratorSpec spec, Set<Operand> resident, int index, int count);
    }

    /**
     * The default pass search: {@link NetworkMapper#searchLayer}, each (shape, residents) searched once per range of
     * capacities that gives the same search: every search runs on a probed hierarchy ({@link CapacityProbe}: its size
     * decisions recorded), and a later one whose capacities answer them all the same way takes its result (the
     * depth-first stage searches the same small tile nests on many slightly different capacities).
     */
    public static PassSearch cachedSearch(AcceleratorSpec accelerator, Objective objective, SearchOptions options,
                                          ProgressListener listener) {
        double macPj = accelerator.macEnergyPjOr(options.macEnergyPj());
        Map<String, List<Searched>> cache = new ConcurrentHashMap<>();
        return (w, spec, resident, index, count) -> {
            double[] sizes = spec.memories().stream().mapToDouble(MemoryLevel::sizeBytes).toArray();
            List<Searched> same = cache.computeIfAbsent(w.shapeKey() + "|" + resident,
                    k -> java.util.Collections.synchronizedList(new ArrayList<>()));
            LayerMapping found = null;
            synchronized (same) {
                for (Searched x : same) {
                    if (x.probe.admits(sizes, x.sizes)) {
                        found = x.mapping;
                        break;
                    }
                }
            }
            if (found == null) {
                CapacityProbe probe = new CapacityProbe(sizes.length);
                CostModel model = new CostModel(MemoryHierarchy.of(spec).probed(probe), macPj)
                        .withZigZagRules(options.zigzagAllocation()).withResident(resident);
                found = NetworkMapper.searchLayer(w, model, objective, options, listener, index, count);
                same.add(new Searched(sizes, probe, found));
            }
            return found.workload() == w ? found : NetworkMapper.renamed(found, w);
        };
    }

    /** A search's result, the capacities it ran on and its size decisions. */
    private record Searched(double[] sizes, CapacityProbe probe, LayerMapping mapping) {
    }

    /**
     * Maps the network as a whole. {@code compare}: also map it layer by layer (for the tables' comparison).
     *
     * @throws NoValidMappingException if some pass has no mapping even with nothing resident
     */
    public static NetworkMapping map(WorkloadGraph g, AcceleratorSpec accelerator, Objective objective,
                                     SearchOptions options, ProgressListener listener, boolean compare) {
        return map(g, accelerator, objective, options, listener, compare, false);
    }

    /** The same; {@code depthFirst}: also consider running consecutive passes tile by tile ({@link DepthFirstStage}). */
    public static NetworkMapping map(WorkloadGraph g, AcceleratorSpec accelerator, Objective objective,
                                     SearchOptions options, ProgressListener listener, boolean compare, boolean depthFirst) {
        ProgressListener serial = p -> {
            synchronized (listener) {
                listener.onProgress(p);
            }
        };
        return map(g, accelerator, objective, options, compare, cachedSearch(accelerator, objective, options, serial), serial,
                depthFirst);
    }

    /**
     * The same with a given pass search (explorations share one across candidates), without depth-first stacks (their
     * search maps every candidate stack's tile nests, too slow for an exploration's inner loop).
     */
    public static NetworkMapping map(WorkloadGraph g, AcceleratorSpec accelerator, Objective objective,
                                     SearchOptions options, boolean compare, PassSearch search, ProgressListener listener) {
        return map(g, accelerator, objective, options, compare, search, listener, false);
    }

    /** The same; {@code depthFirst}: also consider running consecutive passes tile by tile ({@link DepthFirstStage}). */
    public static NetworkMapping map(WorkloadGraph g, AcceleratorSpec accelerator, Objective objective,
                                     SearchOptions options, boolean compare, PassSearch search, ProgressListener listener,
                                     boolean depthFirst) {
        long start = System.nanoTime();
        MemoryHierarchy h = MemoryHierarchy.of(accelerator);
        List<Fusion.Group> groups = Fusion.groups(g, true);
        Plan base = plan(groups, g, h, List.of(), Map.of(), search, options);
        List<Residency.Candidate> candidates = Residency.candidates(g, groups, h, i -> base.layers.get(i).cost());
        Plan best = base;
        double bestFraction = 0;
        List<Map<String, Integer>> tried = new ArrayList<>();
        tried.add(Map.of());
        for (int i = 0; i < 2 * FRACTIONS.length; i++) {
            double f = FRACTIONS[i % FRACTIONS.length];
            Map<String, Integer> chosen = Residency.choose(candidates, groups, g, h, f, i < FRACTIONS.length);
            if (tried.contains(chosen)) {
                continue;
            }
            tried.add(chosen);
            Plan p = plan(groups, g, h, candidates, chosen, search, options);
            LOG.debug("{} on {}: share {} admits {} residents, {} after evictions, objective {} (best so far {})",
                    groups.isEmpty() ? "" : groups.get(0).name(), accelerator.name(), f, chosen.size(), p.residents.size(),
                    objective(p, objective, accelerator), objective(best, objective, accelerator));
            if (objective(p, objective, accelerator) < objective(best, objective, accelerator)) {
                best = p;
                bestFraction = f;
            }
        }
        NetworkSchedule.Totals reference = null;
        if (compare) {
            NetworkMapping lbl = NetworkMapper.map(g.workloads(), accelerator, objective, options, listener);
            reference = new NetworkSchedule.Totals(lbl.totalEnergyPj(), lbl.totalLatencyCycles(), lbl.totalDramBytes(),
                    lbl.layers().size());
        }
        List<org.edgenn.generator.mapping.schedule.FusedStack> stacks = depthFirst
                ? DepthFirstStage.stacks(groups, g, h, best.layers, best.passes, best.residents, objective, options, search)
                : List.of();
        NetworkSchedule schedule = new NetworkSchedule(bestFraction, best.passes, best.residents, reference, stacks,
                depthFirst);
        return new NetworkMapping(accelerator, objective, options, best.layers,
                (System.nanoTime() - start) / 1_000_000, schedule);
    }

    static double objective(Plan p, Objective objective, AcceleratorSpec a) {
        return p.mapping(a, objective).objectiveValue();
    }

    /** The passes mapped under one residency choice, and what the schedule adds to them. */
    record Plan(List<LayerMapping> layers, List<NetworkSchedule.Pass> passes,
                        List<NetworkSchedule.Resident> residents) {
        NetworkSchedule schedule(double fraction, NetworkSchedule.Totals reference) {
            return new NetworkSchedule(fraction, passes, residents, reference);
        }

        NetworkMapping mapping(AcceleratorSpec a, Objective objective) {
            return new NetworkMapping(a, objective, SearchOptions.defaults(), layers, 0, schedule(0, null));
        }
    }

    /**
     * Maps every pass under {@code chosen} (tensor to memory); a pass that does not fit evicts the largest resident live
     * during it and the passes are mapped again. With nothing resident a pass that does not fit is an error.
     */
    static Plan plan(List<Fusion.Group> groups, WorkloadGraph g, MemoryHierarchy h, List<Residency.Candidate> candidates,
                     Map<String, Integer> chosenIn, PassSearch search, SearchOptions options) {
        Map<String, Integer> chosen = new LinkedHashMap<>(chosenIn);
        AcceleratorSpec a = h.spec();
        while (true) {
            List<LayerMapping> layers = new ArrayList<>();
            Integer failed = null;
            NoValidMappingException error = null;
            long[][] reservedPerPass = new long[groups.size()][];
            for (Fusion.Group grp : groups) {
                Set<Operand> resident = Residency.residentOperands(grp, g, chosen);
                try {
                    LayerMapping m = null;
                    long[] reserved = null;
                    if (resident.contains(Operand.O)) {
                        // the value it produces at its final width, if the mapping's tile of it is visited once
                        reserved = Residency.reserved(grp.index(), candidates, chosen, h.levelCount(), true);
                        m = search(grp, shrunk(a, reserved), resident, search, groups.size());
                        if (m != null && !finalsOnly(m, h)) {
                            m = null;
                        }
                    }
                    // at partial-sum width too: the search's greedy allocation is not monotone in capacity (a larger
                    // buffer takes a larger first tile, a longer onload), so the smaller capacity can map better
                    long[] wide = Residency.reserved(grp.index(), candidates, chosen, h.levelCount(), false);
                    AcceleratorSpec spec = shrunk(a, wide);
                    LayerMapping w = spec == null ? null
                            : m == null ? search.search(grp.workload(), spec, resident, grp.index(), groups.size())
                            : search(grp, spec, resident, search, groups.size());
                    if (w != null && (m == null || w.objectiveValue() < m.objectiveValue())) {
                        m = w;
                        reserved = wide;
                    }
                    if (m == null) {
                        throw new NoValidMappingException(grp.name(), a.name(), "resident tensors fill a memory");
                    }
                    reservedPerPass[grp.index()] = reserved;
                    layers.add(m);
                } catch (NoValidMappingException e) {
                    failed = grp.index();
                    error = e;
                    break;
                }
            }
            if (failed == null) {
                return finish(groups, g, h, candidates, chosen, layers, reservedPerPass, a.macEnergyPjOr(options.macEnergyPj()));
            }
            // evict the resident live during the failing pass that saves least (the small ones go before a big one)
            Residency.Candidate evict = null;
            for (Residency.Candidate c : candidates) {
                if (chosen.containsKey(c.tensor()) && c.first() <= failed && failed <= c.last()
                        && (evict == null || c.saving() < evict.saving())) {
                    evict = c;
                }
            }
            if (evict == null) {
                throw error;
            }
            chosen.remove(evict.tensor());
            chosen = new LinkedHashMap<>(Residency.consistent(chosen, groups, g));
        }
    }

    /** The schedule's additions: fused ops, their reads, the one-time loads of resident weights and inputs. */
    private static Plan finish(List<Fusion.Group> groups, WorkloadGraph g, MemoryHierarchy h,
                               List<Residency.Candidate> candidates, Map<String, Integer> chosen,
                               List<LayerMapping> layers, long[][] reservedPerPass, double macPj) {
        AcceleratorSpec a = h.spec();
        int top = h.levelCount() - 1;
        List<NetworkSchedule.Pass> passes = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            Fusion.Group grp = groups.get(i);
            Set<Operand> resident = Residency.residentOperands(grp, g, chosen);
            long[] reserved = reservedPerPass[i];
            List<Long> res = new ArrayList<>();
            for (long r : reserved) {
                res.add(r);
            }
            long ops = 0;
            double cycles = 0;
            for (WorkloadGraph.Layer f : grp.fused()) {
                ops += f.workload().macs();
                cycles += Math.ceil(f.workload().macs() / (double) a.peCount());
            }
            // an element-wise op costs what its own pass charged per op: one MAC's energy
            double energy = ops * macPj;
            List<NetworkSchedule.Read> reads = new ArrayList<>();
            for (String t : grp.extraReads()) {
                WorkloadGraph.Tensor x = g.tensors().get(t);
                int level = chosen.getOrDefault(t, top);
                double bytes = Math.ceil(x.elements() * (double) x.bits() / 8.0);
                MemoryLevel m = h.memory(level);
                reads.add(new NetworkSchedule.Read(t, level, bytes));
                energy += bytes * m.readPjPerByte();
                cycles += Double.isInfinite(m.bandwidthBytesPerCycle()) ? 0 : bytes / m.bandwidthBytesPerCycle();
            }
            passes.add(new NetworkSchedule.Pass(grp.name(), grp.fused().stream().map(l -> l.workload().name()).toList(),
                    resident, res, ops, energy, cycles, reads));
        }
        List<NetworkSchedule.Resident> residents = new ArrayList<>();
        MemoryLevel dram = h.memory(top);
        for (Residency.Candidate c : candidates) {
            if (!chosen.containsKey(c.tensor())) {
                continue;
            }
            MemoryLevel on = h.memory(c.level());
            double load = c.loaded() ? c.bytes() : 0;
            double writeBw = on.separatePorts() ? on.writeBandwidthBytesPerCycle() : on.bandwidthBytesPerCycle();
            double cycles = load / Math.min(dram.bandwidthBytesPerCycle(), writeBw);
            residents.add(new NetworkSchedule.Resident(c.tensor(), c.level(), c.bytes(), c.first(), c.last(), load,
                    load * (dram.readPjPerByte() + on.writePjPerByte()), Double.isFinite(cycles) ? cycles : 0,
                    c.groups().stream().map(i -> groups.get(i).name()).toList()));
        }
        return new Plan(layers, passes, residents);
    }

    /** The pass searched on {@code spec} (null: a memory has nothing left, or nothing fits). */
    private static LayerMapping search(Fusion.Group grp, AcceleratorSpec spec, Set<Operand> resident, PassSearch search,
                                       int count) {
        if (spec == null) {
            return null;
        }
        try {
            return search.search(grp.workload(), spec, resident, grp.index(), count);
        } catch (NoValidMappingException e) {
            return null;
        }
    }

    /** Whether the pass's tile of its output in the level below the backing store is visited once (finals only leave it). */
    private static boolean finalsOnly(LayerMapping m, MemoryHierarchy h) {
        Mapping mapping = m.cost().mapping();
        int[] cuts = mapping.cuts(Operand.O);
        int cut = cuts[h.chainLength(Operand.O) - 2];
        Tiles t = new Tiles(m.workload(), mapping.spatial().factors(), mapping.temporal());
        return t.fills(Operand.O, cut) == t.distinct(Operand.O, cut);
    }

    /** The accelerator with {@code reserved} bytes taken from each memory; null when some memory has nothing left. */
    public static AcceleratorSpec shrunk(AcceleratorSpec a, long[] reserved) {
        boolean any = false;
        List<MemoryLevel> mems = new ArrayList<>();
        for (int i = 0; i < a.memories().size(); i++) {
            MemoryLevel m = a.memories().get(i);
            if (reserved[i] == 0) {
                mems.add(m);
                continue;
            }
            any = true;
            double left = m.sizeBytes() - reserved[i];
            if (left <= 0) {
                return null;
            }
            mems.add(m.withSizeBytes(left));
        }
        return any ? a.withMemories(mems) : a;
    }
}
