package org.edgenn.generator.mapping.depthfirst;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.edgenn.generator.mapping.schedule.Residency;
import org.edgenn.ir.accel.MemoryLevel;
import org.edgenn.ir.accel.Operand;
import org.edgenn.runtime.cost.MemoryHierarchy;

/**
 * A stack under one configuration, laid out without searching a mapping: its tiles ({@link Regions}), per pass the
 * distinct tile nests (region shape to how many tiles run it), the operands whose backing-store link is idle, the fused
 * ops and their reads ({@link StackCost.Fused}, exact), and the stack's resident weights' one-time load (exact). Only
 * the tile nests' mappings are left to search, so {@link #bound} (those nests at their lower bounds, the rest exact)
 * bounds the configuration's cost from below.
 *
 * @param weightLevel  the level below the backing store on the {@code W} chain (-1 when none)
 * @param weightBytes  the stack's weights the schedule does not already keep resident
 */
record StackLayout(StackShape shape, StackCost.Config config, StackCost.Context context, MemoryHierarchy hierarchy,
                   List<Regions.Tile> tiles, int weightLevel, long weightBytes, List<Pass> passes, double loadBytes,
                   double loadEnergy, double loadCycles) {

    /** One pass: its operands with an idle backing-store link, its distinct tile nests, its fused ops. */
    record Pass(StackShape.Pass pass, Set<Operand> resident, Map<List<Integer>, Long> shapes, StackCost.Fused fused) {
    }

    /** The layout, or null when the configuration keeps weights resident where they cannot be. */
    static StackLayout of(StackShape s, StackCost.Config c, StackCost.Context ctx) {
        MemoryHierarchy h = MemoryHierarchy.of(ctx.accelerator());
        List<Regions.Tile> tiles = Regions.of(s, c.rows(), c.cols(), c.mode());
        int wLevel = Residency.below(h, Operand.W);
        long weightBytes = 0;
        for (int p = 0; p < s.size(); p++) {
            if (!ctx.outside(s, p).contains(Operand.W)) {
                weightBytes += StackCost.weightBytes(s.passes().get(p).workload()); // the schedule's resident weights are there already
            }
        }
        if (c.weightsResident() && (weightBytes == 0 || wLevel < 0 || !Residency.residentCapable(h, h.memory(wLevel)))) {
            return null;
        }
        List<Pass> passes = new ArrayList<>();
        for (int p = 0; p < s.size(); p++) {
            StackShape.Pass pass = s.passes().get(p);
            Set<Operand> resident = StackCost.resident(pass.workload(), p, s.size(), c.weightsResident());
            resident.addAll(ctx.outside(s, p));
            Map<List<Integer>, Long> shapes = new LinkedHashMap<>();
            long elements = 0;
            for (Regions.Tile t : tiles) {
                Rect r = t.computed().get(p);
                if (!r.isEmpty()) {
                    shapes.merge(List.of(r.rows(), r.cols()), 1L, Long::sum);
                    elements += r.area();
                }
            }
            passes.add(new Pass(pass, resident, shapes, StackCost.fused(s, pass, p, tiles, elements, ctx, h)));
        }
        double load = c.weightsResident() ? weightBytes : 0;
        MemoryLevel dram = h.memory(h.levelCount() - 1);
        double loadEnergy = 0;
        double loadCycles = 0;
        if (load > 0) {
            MemoryLevel on = h.memory(wLevel);
            loadEnergy = load * (dram.readPjPerByte() + on.writePjPerByte());
            double writeBw = on.separatePorts() ? on.writeBandwidthBytesPerCycle() : on.bandwidthBytesPerCycle();
            double cycles = load / Math.min(dram.bandwidthBytesPerCycle(), writeBw);
            loadCycles = Double.isFinite(cycles) ? cycles : 0;
        }
        return new StackLayout(s, c, ctx, h, tiles, wLevel, weightBytes, passes, load, loadEnergy, loadCycles);
    }

    /** Per pass, per distinct tile nest (in {@link Pass#shapes} order), its {energy, latency} bound. */
    double[][][] nestBounds(StackCost.TileBound bound) {
        double[][][] out = new double[passes.size()][][];
        for (int p = 0; p < passes.size(); p++) {
            Pass pass = passes.get(p);
            out[p] = new double[pass.shapes().size()][];
            int k = 0;
            for (List<Integer> rc : pass.shapes().keySet()) {
                out[p][k++] = bound.bound(StackCost.tile(pass.pass().workload(), rc.get(0), rc.get(1)), pass.resident());
            }
        }
        return out;
    }

    /** {energy, latency} at least: every tile nest at its bound, the fused ops and the weights' load exact. */
    double[] bound(double[][][] nestBounds) {
        double energy = loadEnergy;
        double latency = loadCycles;
        for (int p = 0; p < passes.size(); p++) {
            Pass pass = passes.get(p);
            energy += pass.fused().energyPj() + pass.fused().readEnergyPj();
            latency += pass.fused().cycles() + pass.fused().readCycles();
            int k = 0;
            for (long count : pass.shapes().values()) {
                energy += count * nestBounds[p][k][0];
                latency += count * nestBounds[p][k][1];
                k++;
            }
        }
        return new double[] {energy, latency};
    }
}
