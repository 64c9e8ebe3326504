package org.edgenn.generator.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.edgenn.generator.mapping.table.JsonTableReader;
import org.edgenn.ir.accel.Operand;
import org.edgenn.runtime.cost.AccessCounts;
import org.edgenn.runtime.cost.InvalidMappingException;
import org.edgenn.runtime.cost.LoopNestSimulator;
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.edgenn.runtime.cost.Workload;

/**
 * Check (b) of verification: for every layer of a mapping table, the loop-nest simulator walks the table's mapping
 * of the network's workload and counts every access; the counts must equal the ones the table predicts (the
 * analytical cost model's figures). The simulator enumerates every iteration and tile element, so layers whose
 * walk would exceed {@code maxSimulatedMacs} executed MACs are reported as skipped rather than simulated.
 */
public final class AccessCountCheck {

    /** The outcome for one layer. {@code difference} is null unless the status is {@link Status#MISMATCH}. */
    public record LayerResult(String layer, Status status, String detail, Difference difference) {
        public boolean failed() {
            return status == Status.MISMATCH || status == Status.INVALID;
        }
    }

    public enum Status { MATCH, MISMATCH, INVALID, SKIPPED }

    /** The first (memory, operand, kind) whose simulated count differs from the table's. */
    public record Difference(String memory, Operand operand, AccessCounts.Kind kind, long predicted, long simulated) {
        @Override
        public String toString() {
            return memory + " " + operand + " " + kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                    + "s: table " + predicted + ", simulator " + simulated;
        }
    }

    /** Told after each layer, for progress. */
    public interface Listener {
        void onLayer(int index, int count, LayerResult result);
    }

    private AccessCountCheck() {
    }

    /**
     * Checks every layer of {@code table} whose name is one of {@code workloads}; a table layer the network does not
     * have, or a network layer missing from the table, is {@link Status#INVALID}. In a network schedule the layers
     * fused into another's output stage have no mapping of their own (the pass's is checked), and the operands a pass
     * keeps resident are walked with their backing-store link idle, as the model costs them.
     */
    public static List<LayerResult> check(List<Workload> workloads, MemoryHierarchy h, JsonTableReader.Table table,
                                          long maxSimulatedMacs, Listener listener) {
        Map<String, JsonTableReader.Layer> byName = table.layers().stream()
                .collect(Collectors.toMap(JsonTableReader.Layer::name, Function.identity(), (a, b) -> a));
        // layers fused into another's output stage (a network schedule) are checked with that pass
        java.util.Set<String> fused = table.layers().stream().flatMap(l -> l.fused().stream())
                .collect(Collectors.toSet());
        List<Workload> checked = workloads.stream().filter(w -> !fused.contains(w.name())).toList();
        List<LayerResult> out = new ArrayList<>();
        Map<String, Workload> network = workloads.stream()
                .collect(Collectors.toMap(Workload::name, Function.identity(), (a, b) -> a));
        for (Workload w : checked) {
            JsonTableReader.Layer l = byName.get(w.name());
            // only element-wise layers run in a producer's output stage: a table that "fuses" a layer with weights
            // (or one the network lacks) would otherwise have that layer skipped and the check pass
            String badFused = l == null ? null : l.fused().stream()
                    .filter(f -> !network.containsKey(f) || network.get(f).kind().hasWeights()).findFirst().orElse(null);
            LayerResult r = l == null ? new LayerResult(w.name(), Status.INVALID, "not in the mapping table", null)
                    : badFused != null ? new LayerResult(w.name(), Status.INVALID, "the table fuses " + badFused
                            + " into this pass, which is no element-wise layer of the network", null)
                    : check(w, h, l, maxSimulatedMacs);
            out.add(r);
            listener.onLayer(out.size() - 1, checked.size(), r);
        }
        return out;
    }

    static LayerResult check(Workload w, MemoryHierarchy h, JsonTableReader.Layer l, long maxSimulatedMacs) {
        long executed = paddedMacs(w, l);
        if (executed > maxSimulatedMacs) {
            return new LayerResult(w.name(), Status.SKIPPED, executed + " MACs to walk > limit " + maxSimulatedMacs, null);
        }
        AccessCounts simulated;
        try {
            simulated = LoopNestSimulator.simulate(w, h, l.mapping(), l.resident());
        } catch (InvalidMappingException e) {
            return new LayerResult(w.name(), Status.INVALID, "the table's mapping is invalid: " + e.getMessage(), null);
        }
        Difference d = firstDifference(l.predicted(), simulated, h);
        return d == null ? new LayerResult(w.name(), Status.MATCH, "", null)
                : new LayerResult(w.name(), Status.MISMATCH, d.toString(), d);
    }

    /** The first difference in (level, operand, kind) order, or null when the counts are equal. */
    static Difference firstDifference(AccessCounts predicted, AccessCounts simulated, MemoryHierarchy h) {
        for (int level = 0; level < h.levelCount(); level++) {
            for (Operand op : Operand.values()) {
                for (AccessCounts.Kind k : AccessCounts.Kind.values()) {
                    long p = predicted.get(level, op, k);
                    long s = simulated.get(level, op, k);
                    if (p != s) {
                        return new Difference(h.memory(level).name(), op, k, p, s);
                    }
                }
            }
        }
        return null;
    }

    /** MAC slots the simulator walks: temporal iterations times used PEs. */
    private static long paddedMacs(Workload w, JsonTableReader.Layer l) {
        long iterations = 1;
        for (var loop : l.mapping().temporal()) {
            iterations *= loop.factor();
        }
        return iterations * l.mapping().spatial().usedPes();
    }
}
