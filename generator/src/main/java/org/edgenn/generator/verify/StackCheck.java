package org.edgenn.generator.verify;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.edgenn.generator.mapping.NetworkMapping;
import org.edgenn.generator.mapping.depthfirst.StackShape;
import org.edgenn.generator.mapping.schedule.FusedStack;
import org.edgenn.generator.mapping.schedule.Fusion;
import org.edgenn.generator.mapping.schedule.WorkloadGraph;
import org.edgenn.ir.accel.Operand;
import org.edgenn.runtime.cost.AccessCounts;
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.edgenn.runtime.cost.Workload;
import org.edgenn.runtime.hw.FunctionalModel;
import org.edgenn.runtime.net.Int8Layer;
import org.edgenn.runtime.tensor.ActivationBytes;

/**
 * Check (b) for the depth-first stacks of a network schedule: the hardware model executes each stack tile by tile
 * ({@link StackExecution}) on the inputs the generated network recorded, and in that one execution every pass's output
 * values must equal the generated layer's and what it observed must equal the stack's model ({@code StackCost}, as the
 * schedule's {@link FusedStack} holds it): accesses per pass, level, operand and kind, MACs with the recomputed
 * halos, backing-store bytes per operand, fused ops and their reads, the intermediates' on-chip bytes, the weights
 * loaded once. A stack too large to execute within the budget is executed on its first tiles (a prefix of the last
 * output's tiles; the counts are then the model's for those tiles' nests) and says so.
 */
public final class StackCheck {
    /** The start of the detail of a pass that runs in a stack (its row is the stack's). */
    public static final String IN_STACK = "runs tile by tile in stack ";
    /** The start of the detail of a stack executed in part. */
    public static final String PARTLY = "first ";

    private StackCheck() {
    }

    /** The schedule's stacks by pass: each stacked pass's name to its stack's. */
    public static Map<String, String> stacked(NetworkMapping nm) {
        return StackSchedule.of(nm).stacked();
    }

    /**
     * Executes every stack of {@code nm} (mapped from graph {@code g}) and checks it; one result per stack, named by it.
     *
     * @param layers the generated network's layers after a run (their recorded inputs and outputs)
     */
    public static List<AccessCountCheck.LayerResult> check(NetworkMapping nm, WorkloadGraph g, List<Int8Layer> layers,
                                                           FunctionalModel model, long maxSlots) {
        return check(StackSchedule.of(nm), nm.accelerator(), g, layers, model, maxSlots);
    }

    /**
     * Executes every stack of {@code schedule} on accelerator {@code a} (the network's graph {@code g}) and checks it;
     * one result per stack, named by it.
     */
    public static List<AccessCountCheck.LayerResult> check(StackSchedule schedule, org.edgenn.ir.accel.AcceleratorSpec a,
                                                           WorkloadGraph g, List<Int8Layer> layers, FunctionalModel model,
                                                           long maxSlots) {
        MemoryHierarchy h = MemoryHierarchy.of(a);
        List<Fusion.Group> groups = Fusion.groups(g, true);
        Map<String, Int8Layer> byName = new HashMap<>();
        for (Int8Layer l : layers) {
            byName.putIfAbsent(l.name(), l);
        }
        List<AccessCountCheck.LayerResult> out = new ArrayList<>();
        for (FusedStack f : schedule.stacks()) {
            StackShape s = f.first() >= 0 && f.last() < groups.size() ? StackShape.of(groups, g, h, f.first(), f.last()) : null;
            if (s == null || !s.passes().stream().map(p -> p.group().name()).toList().equals(f.layers())) {
                out.add(new AccessCountCheck.LayerResult(f.name(), AccessCountCheck.Status.INVALID,
                        "not a stack of the network's passes", null));
                continue;
            }
            out.add(check(s, f, a, byName, model, schedule.residentLevel(), schedule.outside(s), maxSlots));
        }
        return out;
    }

    /**
     * The per-layer results of {@link MappedCheck} with each stacked pass's row carrying its stack's outcome ({@code
     * runs tile by tile in stack B@0..B@1: 3 passes, ...}, the stack's status): what a layer table shows.
     */
    public static List<AccessCountCheck.LayerResult> merge(List<AccessCountCheck.LayerResult> passes,
                                                           List<AccessCountCheck.LayerResult> stacks) {
        Map<String, AccessCountCheck.LayerResult> byStack = new HashMap<>();
        stacks.forEach(r -> byStack.put(r.layer(), r));
        List<AccessCountCheck.LayerResult> out = new ArrayList<>();
        for (AccessCountCheck.LayerResult r : passes) {
            AccessCountCheck.LayerResult st = r.detail().startsWith(IN_STACK)
                    ? byStack.get(r.detail().substring(IN_STACK.length())) : null;
            out.add(st == null ? r : new AccessCountCheck.LayerResult(r.layer(), st.status(), r.detail() + ": " + st.detail(),
                    st.difference()));
        }
        return out;
    }

    /** One stack executed and compared. */
    public static AccessCountCheck.LayerResult check(StackShape s, FusedStack f, org.edgenn.ir.accel.AcceleratorSpec a,
                                                     Map<String, Int8Layer> layers, FunctionalModel model,
                                                     Map<String, Integer> residentLevel, List<Set<Operand>> outside,
                                                     long maxSlots) {
        StackExecution.Result x;
        try {
            x = StackExecution.execute(s, f, a, layers, model, residentLevel, outside, maxSlots);
        } catch (StackExecution.Failure e) {
            return new AccessCountCheck.LayerResult(f.name(), AccessCountCheck.Status.MISMATCH, "broken schedule: " + e.getMessage(), null);
        } catch (IllegalArgumentException e) {
            return new AccessCountCheck.LayerResult(f.name(), AccessCountCheck.Status.INVALID, e.getMessage(), null);
        }
        String bad = valuesDifference(x, layers);
        if (bad == null) {
            bad = difference(s, f, x, MemoryHierarchy.of(a));
        }
        String what = String.format(Locale.ROOT, "%d passes, %dx%d tiles %s%s: %s%d tiles executed", s.size(), f.tileRows(),
                f.tileCols(), f.mode(), f.weightsResident() ? ", weights resident" : "",
                x.whole() ? "all " : PARTLY + x.executed() + " of ", x.tiles());
        if (bad != null) {
            return new AccessCountCheck.LayerResult(f.name(), AccessCountCheck.Status.MISMATCH, what + ": " + bad, null);
        }
        return new AccessCountCheck.LayerResult(f.name(), AccessCountCheck.Status.MATCH, what + String.format(Locale.ROOT,
                ", %d MACs%s: values and counts equal", x.macs(), x.whole() ? " (" + (x.macs() - full(s)) + " recomputed)" : ""),
                null);
    }

    /** MACs of the passes as whole layers. */
    static long full(StackShape s) {
        return s.passes().stream().mapToLong(p -> p.workload().macs()).sum();
    }

    /** The first value a pass computed that differs from its generated layer's, or null. */
    public static String valuesDifference(StackExecution.Result x, Map<String, Int8Layer> layers) {
        for (StackExecution.Values v : x.values()) {
            Int8Layer l = layers.get(v.layer());
            int bits = l.outputBits();
            for (int pos = v.positions().nextSetBit(0); pos >= 0; pos = v.positions().nextSetBit(pos + 1)) {
                for (int c = 0; c < v.channels(); c++) {
                    int i = pos * v.channels() + c;
                    int hw = ActivationBytes.get(v.bytes(), i, bits);
                    int net = ActivationBytes.get(l.output(), i, bits);
                    if (hw != net) {
                        return "output [" + i + "] of " + v.layer() + ": stack executed " + hw + ", network " + net
                                + (x.saturations() == 0 ? "" : " (" + x.saturations() + " sums saturated at the declared widths)");
                    }
                }
            }
        }
        return null;
    }

    /**
     * The first difference between what the execution observed and the stack's model (for the tiles executed), or null.
     */
    public static String difference(StackShape s, FusedStack f, StackExecution.Result x, MemoryHierarchy h) {
        int top = h.levelCount() - 1;
        if (x.tiles() != f.tiles()) {
            return "tiles: executed plane has " + x.tiles() + ", model " + f.tiles();
        }
        long macs = 0;
        Map<Operand, Double> dram = new EnumMap<>(Operand.class);
        for (int p = 0; p < s.size(); p++) {
            FusedStack.Layer l = f.perLayer().get(p);
            String pass = l.layer();
            AccessCounts.Builder b = new AccessCounts.Builder(h.levelCount()).skipping(s.passes().get(p).workload(), h);
            for (Map.Entry<List<Integer>, Long> e : x.shapes().get(p).entrySet()) {
                FusedStack.TileMapping t = l.mappings().stream()
                        .filter(m -> m.rows() == e.getKey().get(0) && m.cols() == e.getKey().get(1)).findFirst().orElse(null);
                if (t == null) {
                    return pass + ": executed a " + e.getKey() + " tile nest the model has no mapping for";
                }
                long count = e.getValue();
                if (x.whole() && count != t.count()) {
                    return pass + ": " + count + " tile nests of " + t.rows() + "x" + t.cols() + " executed, model " + t.count();
                }
                for (int lvl = 0; lvl < h.levelCount(); lvl++) {
                    for (Operand op : Operand.values()) {
                        for (AccessCounts.Kind k : AccessCounts.Kind.values()) {
                            b.add(lvl, op, k, count * t.cost().counts().get(lvl, op, k));
                        }
                    }
                }
                macs += count * t.cost().macs();
                Workload w = t.workload();
                for (Operand op : w.operands()) {
                    dram.merge(op, count * (t.cost().counts().readBytes(top, op, w) + t.cost().counts().writeBytes(top, op, w)),
                            Double::sum);
                }
            }
            if (x.whole() && x.shapes().get(p).size() != l.mappings().size()) {
                return pass + ": executed " + x.shapes().get(p).size() + " tile nest sizes, model " + l.mappings().size();
            }
            AccessCountCheck.Difference d = AccessCountCheck.firstDifference(b.build(), x.accesses().get(p), h);
            if (d != null) {
                return pass + ": " + d.toString().replace("table", "model").replace("simulator", "executed");
            }
            long taken = l.intermediateBytes();
            boolean finalsFit = p < s.size() - 1 && !x.partialsOnChip()[p] && taken == x.heldFinalBytes()[p];
            if (x.whole() ? !finalsFit && taken != x.heldBytes()[p] : x.heldFinalBytes()[p] > taken) {
                return pass + ": intermediates on chip " + x.heldBytes()[p] + " B (" + x.heldFinalBytes()[p]
                        + " B at stored width" + (x.partialsOnChip()[p] ? ", partial sums written there" : "") + "), model " + taken + " B";
            }
        }
        if (macs != x.macs()) {
            return "MACs: executed " + x.macs() + ", model " + macs;
        }
        for (Operand op : Operand.values()) {
            double m = dram.getOrDefault(op, 0.0);
            double e = x.dramBytes().getOrDefault(op, 0.0);
            if (Math.abs(m - e) > 1e-9 * Math.max(1, m)) {
                return "backing-store bytes of " + op + ": executed " + e + ", model " + m;
            }
        }
        if (x.whole()) {
            long fusedOps = f.perLayer().stream().mapToLong(FusedStack.Layer::fusedOps).sum();
            double readDram = f.perLayer().stream().mapToDouble(FusedStack.Layer::readDramBytes).sum();
            double readOnChip = f.perLayer().stream().mapToDouble(FusedStack.Layer::readOnChipBytes).sum();
            if (fusedOps != x.fusedOps()) {
                return "fused ops: executed " + x.fusedOps() + ", model " + fusedOps;
            }
            if (Math.abs(readDram - x.readDramBytes()) > 1e-9 * Math.max(1, readDram)
                    || Math.abs(readOnChip - x.readOnChipBytes()) > 1e-9 * Math.max(1, readOnChip)) {
                return "fused reads: executed " + x.readDramBytes() + " B backing store, " + x.readOnChipBytes()
                        + " B on chip; model " + readDram + ", " + readOnChip;
            }
            if (Math.abs(f.weightLoadBytes() - x.weightLoadBytes()) > 1e-9 * Math.max(1, f.weightLoadBytes())) {
                return "resident weights loaded: executed " + x.weightLoadBytes() + " B, model " + f.weightLoadBytes();
            }
        }
        return null;
    }
}
