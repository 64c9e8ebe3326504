package org.edgenn.generator.mapping.schedule;

import java.util.List;
import java.util.Set;
import org.edgenn.ir.accel.Operand;
import org.edgenn.runtime.cost.CostResult;
import org.edgenn.runtime.cost.Workload;

/**
 * Consecutive passes executed depth-first (DeFiNES, Stream): the last pass's output plane is cut into tiles of
 * {@code tileRows x tileCols}; for each tile every pass computes the region its consumers need (halos included), the
 * intermediates stay in the on-chip level, and only the first pass's input (with its halos), the fused ops' reads of
 * tensors from outside, the weights (per tile, unless {@code weightsResident}) and the last pass's output cross the
 * backing store. Each pass's tile is a loop nest of its own, mapped on the capacity the intermediates leave.
 *
 * @param first, last  network pass indices (inclusive) the stack replaces
 * @param mode         the overlap mode ({@code fully-recompute} or {@code fully-cached})
 * @param tiles        tiles of the last output plane
 * @param perLayer     one per pass of the stack, in order
 * @param unfused      what the replaced passes cost in the schedule without the stack (same run)
 * @param unfusedMacs  their MACs and fused ops without the stack
 */
public record FusedStack(List<String> layers, int first, int last, int tileRows, int tileCols, String mode,
                         boolean weightsResident, int tiles, List<Layer> perLayer, double weightLoadBytes,
                         double weightLoadEnergyPj, double weightLoadCycles, NetworkSchedule.Totals unfused,
                         long unfusedMacs) {
    public FusedStack {
        layers = List.copyOf(layers);
        perLayer = List.copyOf(perLayer);
    }

    /**
     * One pass of the stack: the distinct tile nests it runs ({@code count} times each), the bytes taken from each
     * memory while it runs (intermediates' tiles, the stack's resident weights, the schedule's other residents), of
     * which {@code intermediateBytes} are the most the stack's intermediates take (in the on-chip level), its
     * operands with an idle backing-store link, and its fused ops and their reads summed over the tiles.
     */
    public record Layer(String layer, List<TileMapping> mappings, List<Long> reservedBytes, long intermediateBytes,
                        Set<Operand> resident,
                        long fusedOps, double fusedEnergyPj, double fusedCycles, double readEnergyPj,
                        double readCycles, double readDramBytes, double readOnChipBytes) {
        public Layer {
            mappings = List.copyOf(mappings);
            reservedBytes = List.copyOf(reservedBytes);
            resident = Set.copyOf(resident);
        }

        /** MACs of the tiles, recomputed halos included. */
        public long macs() {
            return mappings.stream().mapToLong(t -> t.count() * t.cost().macs()).sum();
        }
    }

    /** A tile nest ({@code rows x cols} of the pass's output) run {@code count} times, with its mapping's cost. */
    public record TileMapping(int rows, int cols, long count, Workload workload, CostResult cost, double objectiveValue) {
    }

    public double energyPj() {
        double e = weightLoadEnergyPj;
        for (Layer l : perLayer) {
            e += l.fusedEnergyPj() + l.readEnergyPj();
            for (TileMapping t : l.mappings()) {
                e += t.count() * t.cost().energyPj();
            }
        }
        return e;
    }

    public double latencyCycles() {
        double c = weightLoadCycles;
        for (Layer l : perLayer) {
            c += l.fusedCycles() + l.readCycles();
            for (TileMapping t : l.mappings()) {
                c += t.count() * t.cost().latencyCycles();
            }
        }
        return c;
    }

    public double dramBytes() {
        double b = weightLoadBytes;
        for (Layer l : perLayer) {
            b += l.readDramBytes();
            for (TileMapping t : l.mappings()) {
                b += t.count() * (t.cost().dramReadBytes() + t.cost().dramWriteBytes());
            }
        }
        return b;
    }

    /** MACs of the stack's nests, recomputation included, and its fused element-wise ops. */
    public long macs() {
        return perLayer.stream().mapToLong(l -> l.macs() + l.fusedOps()).sum();
    }

    /** The passes replaced ({@code first..last}) in text form. */
    public String name() {
        return layers.get(0) + ".." + layers.get(layers.size() - 1);
    }
}
