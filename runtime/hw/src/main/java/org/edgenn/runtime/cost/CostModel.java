package org.edgenn.runtime.cost;

import java.util.ArrayList;
import java.util.List;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.accel.MemoryLevel;
import org.edgenn.ir.accel.Operand;
import org.edgenn.ir.accel.SparseSupport;

/**
 * The analytical cost model. {@link #evaluate} runs named steps in a fixed order:
 * {@code calcAccessCounts -> calcEnergy -> calcLevelCycles -> calcOnloadCycles -> StallModel -> calcLatency ->
 * calcUtilization -> calcDramTraffic}.
 *
 * <p>Sparse weights ({@link Workload#withWeightSparsity}) on hardware that declares sparse support
 * ({@link SparseSupport}, after Sparseloop, Wu et al., MICRO 2022): weight bytes at every level follow the stored format
 * (non-zeros plus index metadata), MAC energy only for non-zeros when zeros are gated or skipped, compute cycles only
 * for non-zeros when skipped, and on skipping hardware the reads of {@code I} that feed the MACs only for non-zero
 * weights (Sparseloop's skipped follower reads; {@link AccessCounts#readBytes}), in energy and in the innermost level's
 * busy cycles. Hardware without sparse support is charged dense work. Not modelled: savings above the MAC level (the
 * tiles of I are moved whole) and of partial-sum updates, and capacity checks use the dense width (a compressed tile
 * always fits where the dense one does).
 *
 * <p>MAC energy comes from the accelerator ({@code mac int8 accumulator int32 energy 0.3 pJ}) or, when it
 * declares none, a constructor parameter (default {@link #DEFAULT_MAC_PJ}); it does not depend on the
 * mapping except through padding.
 */
public final class CostModel {
    /**
     * int8 multiply (0.2 pJ) plus 32-bit add (0.1 pJ) at 45 nm, M. Horowitz, "Computing's energy problem",
     * ISSCC 2014, table in slide 33; a placeholder that only shifts every mapping's energy by a constant.
     */
    public static final double DEFAULT_MAC_PJ = 0.3;

    private final MemoryHierarchy hierarchy;
    private final double macPj;
    private final boolean streamedSingleTransfers;
    /** ZigZag's energy accounting ({@link LinkEnergy}); with {@link #streamedSingleTransfers}: {@link #withZigZagRules}. */
    private final boolean zigzagEnergy;
    /** Some level charges whole words ({@link MemoryLevel#wordBits}): energy is summed link by link. */
    private final boolean words;
    /** Operands held whole below the backing store for the whole layer (a network schedule's residents). */
    private final java.util.Set<Operand> resident;

    /** The accelerator's declared MAC energy, or {@link #DEFAULT_MAC_PJ} when it declares none. */
    public CostModel(AcceleratorSpec spec) {
        this(MemoryHierarchy.of(spec), spec.macEnergyPjOr(DEFAULT_MAC_PJ));
    }

    public CostModel(MemoryHierarchy hierarchy, double macEnergyPj) {
        this(hierarchy, macEnergyPj, false);
    }

    private CostModel(MemoryHierarchy hierarchy, double macEnergyPj, boolean streamedSingleTransfers) {
        this(hierarchy, macEnergyPj, streamedSingleTransfers, false, java.util.Set.of());
    }

    private CostModel(MemoryHierarchy hierarchy, double macEnergyPj, boolean streamedSingleTransfers,
                      boolean zigzagEnergy, java.util.Set<Operand> resident) {
        if (!(macEnergyPj >= 0)) {
            throw new IllegalArgumentException("MAC energy must be >= 0 pJ, got " + macEnergyPj);
        }
        this.hierarchy = hierarchy;
        this.macPj = macEnergyPj;
        this.streamedSingleTransfers = streamedSingleTransfers;
        this.zigzagEnergy = zigzagEnergy;
        boolean anyWord = false;
        for (int l = 0; l < hierarchy.levelCount(); l++) {
            anyWord |= hierarchy.memory(l).wordBits() > 0;
        }
        this.words = anyWord;
        for (Operand op : resident) {
            if (hierarchy.chainLength(op) < 2) {
                throw new IllegalArgumentException(op + " has no level below the backing store to stay resident in");
            }
        }
        this.resident = resident.isEmpty() ? java.util.Set.of() : java.util.Set.copyOf(java.util.EnumSet.copyOf(resident));
    }

    /**
     * This model for a layer of a network schedule in which the operands {@code resident} stay whole, for the whole
     * layer, in the level directly below the backing store in their chain (a tied weight loaded once for the whole
     * network, a loop-carried state or an intermediate kept on chip between layers). Their link to the backing store
     * is idle: no access counts, busy cycles, stalls, on- or off-loading on it; every other link is costed as usual.
     * Loading such a tensor once, or draining it, is the schedule's business, not the layer's. The capacity the
     * resident tensor takes is the caller's business too: it maps the layer on a hierarchy whose level is smaller by
     * the resident bytes (the tiles the mapping puts in that level are then parts of the resident copy counted twice,
     * a conservative fit).
     */
    public CostModel withResident(java.util.Set<Operand> operands) {
        return new CostModel(hierarchy, macPj, streamedSingleTransfers, zigzagEnergy, operands);
    }

    /** The operands whose link to the backing store is idle ({@link #withResident}); empty for a plain layer. */
    public java.util.Set<Operand> resident() {
        return resident;
    }

    /**
     * This model with ZigZag's loading rule ({@code CostModelEvaluation.calc_loading_single_port_period_count_1}):
     * a tile that crosses a link only once in the whole layer (the whole input loaded into a buffer, all final
     * outputs drained from one) streams during computation on the port's spare cycles, so on/offloading charges
     * only the innermost level's tile for it, what must be in place before the first MAC (or leaves after the
     * last). Its bytes stay in the throughput bound, so a port that has no spare cycles still pays for them.
     * The default model charges such a tile in full before the first MAC (after the last), serially: a design
     * without a streaming DMA.
     */
    public CostModel withStreamedSingleTransfers(boolean streamed) {
        return new CostModel(hierarchy, macPj, streamed, zigzagEnergy, resident);
    }

    public boolean streamedSingleTransfers() {
        return streamedSingleTransfers;
    }

    /**
     * This model with ZigZag's rules where they differ from EdgeNN's on the same access pattern, so that a search for
     * ZigZag optimizes what ZigZag measures: its loading rule ({@link #withStreamedSingleTransfers}) and its energy
     * accounting ({@link LinkEnergy}: MAC-level operand stationarity, partial sums moved at the partial-sum width and
     * read back on every period, MAC energy of the real MACs). Word granularity is not among them: every model charges
     * whole words where a memory declares them.
     */
    public CostModel withZigZagRules(boolean zigzag) {
        return new CostModel(hierarchy, macPj, zigzag, zigzag, resident);
    }

    /** True when energy follows ZigZag's accounting ({@link #withZigZagRules}). */
    public boolean zigzagEnergy() {
        return zigzagEnergy;
    }

    public MemoryHierarchy hierarchy() {
        return hierarchy;
    }

    public double macEnergyPj() {
        return macPj;
    }

    /** Validates the mapping ({@link InvalidMappingException} lists every violation), then costs it. */
    public CostResult evaluate(Workload w, Mapping m) {
        MappingValidator.requireValid(w, hierarchy, m);
        return evaluateValid(w, m, new Tiles(w, m.spatial().factors(), m.temporal()));
    }

    /** Costs a mapping the caller has already validated (the search's hot path). */
    public CostResult evaluateValid(Workload w, Mapping m, Tiles t) {
        return evaluateValid(w, m, t, null, Double.POSITIVE_INFINITY);
    }

    /**
     * The same, or null when the mapping cannot score at most {@code limit} under {@code objective} (a function of
     * energy in pJ and latency in cycles, non-decreasing in latency): the per-period stalls, the costliest step, are
     * computed only when the stall-free latency leaves the objective within the limit, and the cycle model only when the
     * MAC cycles do. Stalls and transfer cycles are never negative, so a mapping turned away here has a true objective
     * above {@code limit} too: the search's bound at a leaf,
     * which never changes which mapping wins.
     */
    public CostResult evaluateValid(Workload w, Mapping m, Tiles t, java.util.function.DoubleBinaryOperator objective,
                                    double limit) {
        AccessCounts counts = calcAccessCounts(w, m, t);
        double[] levelEnergy = words || zigzagEnergy
                ? LinkEnergy.levelEnergy(w, hierarchy, m, t, resident, zigzagEnergy) : calcEnergy(w, counts);
        long padded = t.iterations() * m.spatial().usedPes();
        SparseSupport sparse = sparse(w);
        // ZigZag charges the layer's MACs; EdgeNN the padded iteration space (a padded PE still toggles)
        double macEnergy = (zigzagEnergy ? w.macs() : padded) * macPj * sparse.energyFraction(w.weightDensity());
        double energy = macEnergy;
        for (double e : levelEnergy) {
            energy += e;
        }
        long compute = calcComputeCycles(w, t.iterations(), sparse);
        // the energy is final here and the latency at least the MAC cycles: a mapping over the limit already skips
        // the cycle model (for the energy objective, every mapping the limit turns away)
        if (objective != null && objective.applyAsDouble(energy, compute) > limit) {
            return null;
        }
        double[][] edges = new double[2][hierarchy.levelCount()];
        double onload = calcOnloadCycles(w, m, t, false, edges[0]);
        double offload = calcOnloadCycles(w, m, t, true, edges[1]);
        double[] levelCycles = calcLevelCycles(w, m, counts, edges[0], edges[1]);
        if (objective != null && objective.applyAsDouble(energy, calcLatency(compute, levelCycles, 0, onload, offload)) > limit) {
            return null;
        }
        double stall = StallModel.stallCycles(w, hierarchy, m, t, resident);
        double latency = calcLatency(compute, levelCycles, stall, onload, offload);
        double[] util = calcUtilization(w, m, latency);
        double[] dram = calcDramTraffic(w, counts);
        return new CostResult(w.name(), m, counts, boxed(levelEnergy), macEnergy, energy, w.macs(), padded,
                compute, boxed(levelCycles), onload, offload, latency, util[0], util[1], dram[0], dram[1],
                Math.round(w.macs() * sparse.energyFraction(w.weightDensity())));
    }

    /**
     * Energy of a valid mapping's memory accesses per operand (by ordinal) and memory level, in pJ, link by link
     * ({@link LinkEnergy}): the breakdown of {@link CostResult#levelEnergyPj()}, for comparisons with other tools.
     */
    public double[][] operandLevelEnergy(Workload w, Mapping m) {
        Tiles t = new Tiles(w, m.spatial().factors(), m.temporal());
        return LinkEnergy.operandLevelEnergy(w, hierarchy, m, t, resident, zigzagEnergy);
    }

    /**
     * The hardware's sparse support as it applies to this layer: none for a dense layer; an N:M unit only exploits its
     * own pattern, which the workload's density must then be (anything else runs dense on it).
     */
    public SparseSupport sparse(Workload w) {
        return hierarchy.spec().sparse().appliesTo(w.weightDensity());
    }

    /**
     * Step 0: cycles of MAC work. Every temporal iteration on dense or zero-gating hardware (a gated MAC still takes
     * its cycle, Sparseloop's gating); on zero-skipping hardware only the non-zero weights' share of them, rounded
     * up (Sparseloop's skipping, with the non-zeros spread evenly over the PEs, which N:M guarantees).
     */
    public static long calcComputeCycles(Workload w, long iterations, SparseSupport sparse) {
        return (long) Math.ceil(iterations * sparse.cycleFraction(w.weightDensity()) - 1e-9);
    }

    /** Step 4: {spatial utilization = used PEs / all PEs, utilization = MACs / (latency x all PEs)}. */
    double[] calcUtilization(Workload w, Mapping m, double latency) {
        int allPes = hierarchy.spec().peCount();
        return new double[] {m.spatial().usedPes() / (double) allPes, w.macs() / (latency * allPes)};
    }

    /** Step 5: {bytes read, bytes written} at the backing store. */
    double[] calcDramTraffic(Workload w, AccessCounts counts) {
        int top = hierarchy.levelCount() - 1;
        double read = 0;
        double write = 0;
        for (Operand op : w.operands()) {
            read += counts.readBytes(top, op, w);
            write += counts.writeBytes(top, op, w);
        }
        return new double[] {read, write};
    }

    /** Step 1: see {@link AccessCountModel}. */
    AccessCounts calcAccessCounts(Workload w, Mapping m, Tiles t) {
        return AccessCountModel.calcAccessCounts(w, hierarchy, m, t, resident);
    }

    /** Step 2: bytes read and written at each level times its per-byte energies. */
    double[] calcEnergy(Workload w, AccessCounts c) {
        double[] e = new double[hierarchy.levelCount()];
        for (int l = 0; l < e.length; l++) {
            MemoryLevel mem = hierarchy.memory(l);
            for (Operand op : w.operands()) {
                e[l] += c.readBytes(l, op, w) * mem.readPjPerByte() + c.writeBytes(l, op, w) * mem.writePjPerByte();
            }
        }
        return e;
    }

    /**
     * Step 3a: cycles each memory instance is busy in the steady state: its bytes (reads + writes of all operands, per
     * instance in use) over its bandwidth; with separate read and write ports, the busier port. Transfers are assumed
     * double-buffered, so they overlap compute and the slowest of compute and memories bounds the steady state. The
     * first tiles brought down before the first MAC ({@code onloadRead}: bytes read at each level) and the last outputs
     * drained after the last ({@code offloadWrite}: bytes written) are not part of it: step 3b charges them, and
     * counting them twice made a buffer that holds a whole operand cost up to twice the DRAM time (greedy tiles
     * grow with the buffer, so a bigger buffer was slower: the search was not monotone in capacity).
     */
    double[] calcLevelCycles(Workload w, Mapping m, AccessCounts c, double[] onloadRead, double[] offloadWrite) {
        double[] cycles = new double[hierarchy.levelCount()];
        for (int l = 0; l < cycles.length; l++) {
            MemoryLevel mem = hierarchy.memory(l);
            if (Double.isInfinite(mem.bandwidthBytesPerCycle())) {
                continue;
            }
            double read = 0;
            double write = 0;
            for (Operand op : w.operands()) {
                read += c.readBytes(l, op, w);
                write += c.writeBytes(l, op, w);
            }
            read = Math.max(0, read - onloadRead[l]);
            write = Math.max(0, write - offloadWrite[l]);
            double instances = m.sharing(hierarchy).instances(l);
            cycles[l] = mem.separatePorts()
                    ? Math.max(read / mem.bandwidthBytesPerCycle(), write / mem.writeBandwidthBytesPerCycle()) / instances
                    : (read + write) / instances / mem.bandwidthBytesPerCycle();
        }
        return cycles;
    }

    /**
     * Step 3b: cycles that cannot overlap compute. Onloading: before the first MAC, the first tile of
     * {@code W} and {@code I} is brought down through every link (serially, at the parent's bandwidth).
     * Offloading: after the last MAC, the last output tile goes up every link. With
     * {@link #withStreamedSingleTransfers}, a link crossed once per layer charges only the innermost tile.
     */
    double calcOnloadCycles(Workload w, Mapping m, Tiles t, boolean offload) {
        return calcOnloadCycles(w, m, t, offload, new double[hierarchy.levelCount()]);
    }

    /** The same, adding the bytes each parent level moves for it (all instances) to {@code bytesAt}. */
    double calcOnloadCycles(Workload w, Mapping m, Tiles t, boolean offload, double[] bytesAt) {
        int pes = m.spatial().usedPes();
        double cycles = 0;
        for (Operand op : w.operands()) {
            if ((op == Operand.O) != offload) {
                continue;
            }
            double bits = op == Operand.O ? w.outputBits() : w.storedBits(op);
            // what must be in place before the first MAC (or leaves after the last) when single transfers stream: the
            // innermost level's tile, or, when that level itself is filled once and streams, the MACs' first operands
            long innermost = 0;
            if (hierarchy.chainLength(op) > 1) {
                AccessCountModel.Link first = AccessCountModel.link(hierarchy, m, t, op, 1, pes);
                innermost = streamedSingleTransfers && first.periods() == 1
                        ? AccessCountModel.link(hierarchy, m, t, op, 0, pes).parentWords() : first.childWords();
            }
            for (int j = 1; j < hierarchy.chainLength(op) - (resident.contains(op) ? 1 : 0); j++) {
                MemoryLevel parent = hierarchy.level(op, j);
                if (Double.isInfinite(parent.bandwidthBytesPerCycle())) {
                    continue;
                }
                AccessCountModel.Link link = AccessCountModel.link(hierarchy, m, t, op, j, pes);
                long words = streamedSingleTransfers && link.periods() == 1
                        ? Math.min(link.parentWords(), innermost) : link.parentWords();
                double bytes = words * bits / 8.0 / m.sharing(hierarchy).instances(hierarchy.levelIndex(op, j));
                cycles += bytes / parent.bandwidthBytesPerCycle();
                bytesAt[hierarchy.levelIndex(op, j)] += words * bits / 8.0;
            }
        }
        return cycles;
    }

    /**
     * Step 3c: latency = the larger of the throughput bound (the slowest of compute and memories) and compute plus
     * the per-period stalls ({@link StallModel}), plus on- and off-loading.
     */
    static double calcLatency(long computeCycles, double[] levelCycles, double stall, double onload, double offload) {
        double steady = computeCycles + stall;
        for (double c : levelCycles) {
            steady = Math.max(steady, c);
        }
        return steady + onload + offload;
    }

    private static List<Double> boxed(double[] a) {
        List<Double> l = new ArrayList<>(a.length);
        for (double d : a) {
            l.add(d);
        }
        return l;
    }
}
