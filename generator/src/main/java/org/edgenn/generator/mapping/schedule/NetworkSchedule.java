package org.edgenn.generator.mapping.schedule;

import java.util.List;
import java.util.Set;
import org.edgenn.ir.accel.Operand;

/**
 * What the network-level schedule adds to the per-pass mappings of a {@code NetworkMapping}: which element-wise ops
 * each pass applies on its way out, which operands of it stay resident, the tensors kept on chip with their
 * lifetimes, the one-time loads of resident weights and inputs, and (when computed) the layer-by-layer totals of the
 * same network for comparison. Energies in pJ, times in cycles, traffic in bytes.
 *
 * @param budgetFraction the share of each on-chip level resident tensors could take (the rule's chosen setting)
 * @param passes         one per pass, in the order of the mapping's layers
 * @param residents      the tensors kept on chip
 * @param layerByLayer   the same network mapped layer by layer (no fusion, no residency), or null
 * @param stacks         the passes run depth-first, tile by tile ({@link FusedStack})
 * @param depthFirst     whether stacks were searched (the {@code depth-first} schedule), even if none was chosen
 */
public record NetworkSchedule(double budgetFraction, List<Pass> passes, List<Resident> residents, Totals layerByLayer,
                              List<FusedStack> stacks, boolean depthFirst) {
    public NetworkSchedule {
        passes = List.copyOf(passes);
        residents = List.copyOf(residents);
        stacks = List.copyOf(stacks);
    }

    /** A schedule without depth-first stacks. */
    public NetworkSchedule(double budgetFraction, List<Pass> passes, List<Resident> residents, Totals layerByLayer) {
        this(budgetFraction, passes, residents, layerByLayer, List.of(), false);
    }

    /** Whether pass {@code index} runs tile by tile in a stack (its mapping in the layers is then the unfused one). */
    public FusedStack stackOf(int index) {
        for (FusedStack s : stacks) {
            if (s.first() <= index && index <= s.last()) {
                return s;
            }
        }
        return null;
    }

    /**
     * The same network without its stacks (every pass as its layer mapping says), from the same run: what depth-first
     * fusion is compared with.
     */
    public Totals withoutStacks(double energyPj, double latencyCycles, double dramBytes) {
        double e = energyPj;
        double l = latencyCycles;
        double d = dramBytes;
        for (FusedStack s : stacks) {
            e -= s.energyPj() - s.unfused().energyPj();
            l -= s.latencyCycles() - s.unfused().latencyCycles();
            d -= s.dramBytes() - s.unfused().dramBytes();
        }
        return new Totals(e, l, d, passes.size());
    }

    /**
     * One pass: the layer mapped (its mapping is the network mapping's layer of the same index), the element-wise
     * layers fused into its output stage, its operands whose backing-store link is idle, the bytes resident tensors
     * took from each memory while it ran (its tiles had the rest), and the cost of the fused ops.
     *
     * @param fusedOps    element-wise operations applied on the way out (one per output element per fused layer)
     * @param extraReads  tensors the fused ops read, each in full once, from the memory where it lives
     */
    public record Pass(String layer, List<String> fused, Set<Operand> resident, List<Long> reservedBytes,
                       long fusedOps, double fusedEnergyPj, double fusedCycles, List<Read> extraReads) {
        public Pass {
            fused = List.copyOf(fused);
            resident = Set.copyOf(resident);
            reservedBytes = List.copyOf(reservedBytes);
            extraReads = List.copyOf(extraReads);
        }
    }

    /** A tensor read by fused ops: {@code bytes} read at memory {@code level}. */
    public record Read(String tensor, int level, double bytes) {
    }

    /**
     * A tensor kept on chip in memory {@code level} from pass {@code first} to pass {@code last} (indices into
     * {@link #passes}), {@code bytes} at its stored width. {@code loadBytes}: read once from the backing store before its
     * first use (weights and inputs; 0 for values computed on chip); {@code loadEnergyPj}, {@code loadCycles} that load.
     */
    public record Resident(String tensor, int level, long bytes, int first, int last, double loadBytes,
                           double loadEnergyPj, double loadCycles, List<String> users) {
        public Resident {
            users = List.copyOf(users);
        }
    }

    /** Network totals of a schedule. */
    public record Totals(double energyPj, double latencyCycles, double dramBytes, int passes) {
    }

    /**
     * Energy beyond the passes' mappings: fused ops and one-time loads, and for every stack what running its passes tile
     * by tile costs more (or less) than running them as their mappings say.
     */
    public double extraEnergyPj() {
        return passes.stream().mapToDouble(Pass::fusedEnergyPj).sum()
                + residents.stream().mapToDouble(Resident::loadEnergyPj).sum()
                + stacks.stream().mapToDouble(s -> s.energyPj() - s.unfused().energyPj()).sum();
    }

    /** Cycles beyond the passes' mappings (fused ops and loads run serially with the passes), stacks as for energy. */
    public double extraCycles() {
        return passes.stream().mapToDouble(Pass::fusedCycles).sum()
                + residents.stream().mapToDouble(Resident::loadCycles).sum()
                + stacks.stream().mapToDouble(s -> s.latencyCycles() - s.unfused().latencyCycles()).sum();
    }

    /** MACs and ops beyond the passes' mappings: fused ops, and the stacks' recomputed halos. */
    public long extraMacs() {
        return passes.stream().mapToLong(Pass::fusedOps).sum()
                + stacks.stream().mapToLong(s -> s.macs() - s.unfusedMacs()).sum();
    }

    /** Backing-store bytes beyond the passes' mappings: fused ops' reads there and the one-time loads. */
    public double extraDramBytes(int backingStore) {
        return passes.stream().flatMap(p -> p.extraReads().stream()).filter(r -> r.level() == backingStore)
                .mapToDouble(Read::bytes).sum()
                + residents.stream().mapToDouble(Resident::loadBytes).sum()
                + stacks.stream().mapToDouble(s -> s.dramBytes() - s.unfused().dramBytes()).sum();
    }
}
