package org.edgenn.generator.mapping;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.edgenn.generator.mapping.schedule.NetworkSchedule;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.accel.MemoryLevel;
import org.edgenn.ir.accel.Operand;
import org.edgenn.runtime.cost.CostModel;
import org.edgenn.runtime.cost.CostResult;
import org.edgenn.runtime.cost.Mapping;
import org.edgenn.runtime.cost.MappingValidator;
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.edgenn.runtime.cost.Tiles;
import org.edgenn.runtime.cost.Workload;

/**
 * Monotone repair over capacity: a mapping found on an accelerator with smaller memories is still a mapping of the
 * same accelerator with larger ones (its tiles fit, its residents fit), so the result on the larger accelerator should
 * never be worse than that mapping re-costed there. The search is greedy in its tiles and heuristic in its loop orders
 * and unrollings, so it sometimes is (docs/mapping.md, "Capacity"). This class re-costs a smaller accelerator's
 * mapping on a larger one, with the larger one's own energies and bandwidths, and keeps the better of the two: an
 * inversion that re-costing removes was a defect of the search; one it keeps is real (the larger hardware's accesses
 * cost more).
 *
 * <p>Deterministic by construction: what is compared is a function of the two accelerators alone (the callers pass the
 * smaller mappings in a fixed order and ties keep the larger accelerator's own search), never of which searches
 * happened to run first.
 */
public final class CapacityRepair {
    private CapacityRepair() {
    }

    /**
     * Whether {@code large} is {@code small} with larger memories and nothing else changed: the same array, widths,
     * clock, MAC energy, sparse support, and the same memories (every attribute but the size) each at least as large,
     * one of them larger. Then every mapping of {@code small}, with its residents, is a mapping of {@code large}. A
     * family whose energies or bandwidths change with the size is not compared this way (a larger memory whose
     * accesses cost more can legitimately map worse).
     */
    public static boolean fitsWithin(AcceleratorSpec small, AcceleratorSpec large) {
        if (small.macBits() != large.macBits() || small.accumulatorBits() != large.accumulatorBits()
                || Double.compare(small.clockHz(), large.clockHz()) != 0
                || Double.compare(small.macEnergyPj(), large.macEnergyPj()) != 0
                || !small.axes().equals(large.axes()) || !small.sparse().equals(large.sparse())
                || small.memories().size() != large.memories().size()) {
            return false;
        }
        boolean larger = false;
        for (int i = 0; i < small.memories().size(); i++) {
            MemoryLevel s = small.memories().get(i);
            MemoryLevel l = large.memories().get(i);
            if (s.sizeBytes() > l.sizeBytes() || !s.withSizeBytes(l.sizeBytes()).equals(l)) {
                return false;
            }
            larger |= s.sizeBytes() < l.sizeBytes();
        }
        return larger;
    }

    /**
     * {@code m} (found on some accelerator) costed with {@code model} under {@code objective}, or null when it does not
     * validate there.
     */
    public static LayerMapping recost(LayerMapping m, CostModel model, Objective objective) {
        Workload w = m.workload();
        Mapping mapping = m.cost().mapping();
        if (!MappingValidator.violations(w, model.hierarchy(), mapping).isEmpty()) {
            return null;
        }
        CostResult r = model.evaluateValid(w, mapping, new Tiles(w, mapping.spatial().factors(), mapping.temporal()));
        return new LayerMapping(w, r, objective.value(r), false, m.strategy(), 0, 0);
    }

    /**
     * The better of a layer's own search on a larger accelerator and the mappings found on smaller ones re-costed with
     * its {@code model}: {@code smaller} in a fixed order (a later one replaces the best only when strictly better).
     */
    public static LayerMapping best(LayerMapping own, List<LayerMapping> smaller, CostModel model, Objective objective) {
        LayerMapping best = own;
        for (LayerMapping s : smaller) {
            LayerMapping r = recost(s, model, objective);
            if (r != null && r.objectiveValue() < best.objectiveValue()) {
                best = r;
            }
        }
        return best;
    }

    /**
     * A network mapping found on a smaller accelerator ({@link #fitsWithin}), re-costed on {@code large}: layer by layer
     * each pass's mapping re-costed alone; with a network schedule the same residents in the same memories, every pass's
     * mapping re-costed on what they leave of {@code large} (its reserved bytes as on the smaller one), and the
     * schedule's one-time loads and fused ops as they were (functions of the energies, bandwidths and clock, which
     * {@link #fitsWithin} keeps equal). Null when something does not validate (which {@link #fitsWithin} rules out) or
     * the mapping has depth-first stacks (searched per capacity; explorations have none).
     */
    public static NetworkMapping recost(NetworkMapping small, AcceleratorSpec large, SearchOptions options) {
        if (!fitsWithin(small.accelerator(), large)) {
            return null;
        }
        double macPj = large.macEnergyPjOr(options.macEnergyPj());
        Objective objective = small.objective();
        NetworkSchedule schedule = small.schedule();
        if (schedule != null && !schedule.stacks().isEmpty()) {
            return null;
        }
        List<LayerMapping> out = new ArrayList<>();
        for (int i = 0; i < small.layers().size(); i++) {
            AcceleratorSpec spec = large;
            Set<Operand> resident = Set.of();
            if (schedule != null) {
                NetworkSchedule.Pass pass = schedule.passes().get(i);
                spec = NetworkScheduler.shrunk(large, pass.reservedBytes().stream().mapToLong(Long::longValue).toArray());
                resident = pass.resident();
                if (spec == null) {
                    return null;
                }
            }
            CostModel model = new CostModel(MemoryHierarchy.of(spec), macPj).withZigZagRules(options.zigzagAllocation())
                    .withResident(resident);
            LayerMapping r = recost(small.layers().get(i), model, objective);
            if (r == null) {
                return null;
            }
            out.add(r);
        }
        return new NetworkMapping(large, objective, options, out, 0, schedule);
    }

    /**
     * The better of a network's own mapping on a larger accelerator and the mappings found on smaller ones re-costed
     * there ({@link #recost(NetworkMapping, AcceleratorSpec, SearchOptions)}), by the network objective;
     * {@code smaller} in a fixed order, a later one replacing the best only when strictly better.
     */
    public static NetworkMapping best(NetworkMapping own, List<NetworkMapping> smaller, SearchOptions options) {
        NetworkMapping best = own;
        for (NetworkMapping s : smaller) {
            NetworkMapping r = recost(s, own.accelerator(), options);
            if (r != null && r.objectiveValue() < best.objectiveValue()) {
                best = r;
            }
        }
        return best;
    }
}
