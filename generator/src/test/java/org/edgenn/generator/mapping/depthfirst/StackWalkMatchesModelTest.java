package org.edgenn.generator.mapping.depthfirst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.edgenn.generator.mapping.schedule.FusedStack;
import org.edgenn.generator.mapping.schedule.Fusion;
import org.edgenn.generator.mapping.schedule.NetworkSchedule;
import org.edgenn.generator.mapping.schedule.WorkloadGraph;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.accel.Operand;
import org.edgenn.runtime.cost.AccessCounts;
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.edgenn.runtime.cost.Workload;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The depth-first model ({@link StackCost}) against the walk ({@link StackWalk}): on random stacks of convolutions and
 * pooling (fused ReLUs, residual adds from outside and inside the stack), random small accelerators and every tile
 * size and overlap mode {@link DepthFirst#configs} offers, the walk (every tile, every pass's region found by
 * enumerating positions and taps, each tile nest walked by the loop-nest simulator with its intermediates' backing-store
 * links idle) counts the model's accesses at every level for every pass, its MACs with the recomputed halos, its
 * backing-store bytes per operand, its fused ops and their reads; the intermediates it holds fit the reservation.
 */
public class StackWalkMatchesModelTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void walkEqualsModel(long seed) {
        Random r = new Random(seed);
        int checked = 0;
        int recomputed = 0;
        int cached = 0;
        int columns = 0;
        // MACs of the recomputing configuration of the same stack, tile and weights, for its h-cached twin
        Map<String, Long> recomputing = new java.util.HashMap<>();
        // at least 5 draws, more until every mode was checked with recomputed halos, cached rows and cached columns
        for (int trial = 0; trial < 5 || trial < 30 && (recomputed < 3 || cached < 3 || columns < 2); trial++) {
            AcceleratorSpec a = RandomStacks.accelerator(r, trial);
            MemoryHierarchy h = MemoryHierarchy.of(a);
            WorkloadGraph g = RandomStacks.chain(r, 2 + r.nextInt(2));
            List<Fusion.Group> groups = Fusion.groups(g, true);
            List<StackShape> shapes = StackShape.candidates(groups, g, h, DepthFirst.MAX_DEPTH);
            StackCost.Context ctx = new StackCost.Context(a, g, 0.3, Map.of(), List.of(), StackSearches.none(groups.size()));
            StackCost.TileSearch search = StackSearches.search(a);
            for (StackShape s : shapes) {
                for (StackCost.Config c : DepthFirst.configs(s)) {
                    FusedStack f = StackCost.evaluate(s, c, ctx, search, new NetworkSchedule.Totals(0, 0, 0, 0), 0);
                    if (f == null) {
                        continue;
                    }
                    String where = "seed " + seed + " trial " + trial + " " + s.name() + " " + c + " on " + a.name();
                    StackWalk.Counts walked = StackWalk.walk(s, f, a, Map.of(), StackSearches.none(s.size()));
                    compare(s, f, walked, h, where);
                    checked++;
                    String twin = s.name() + " " + c.rows() + "x" + c.cols() + " " + c.weightsResident() + " " + trial;
                    if (c.mode() == OverlapMode.CACHED) {
                        cached++;
                    } else if (c.mode() == OverlapMode.RECOMPUTE) {
                        recomputing.put(twin, walked.macs());
                        if (walked.macs() > full(s)) {
                            recomputed++;
                        }
                    } else if (recomputing.containsKey(twin)) {
                        // h-cached computes no more than recomputing the same tiles, less where columns overlap
                        assertTrue(walked.macs() <= recomputing.get(twin), where + ": " + walked.macs() + " MACs, recomputing "
                                + recomputing.get(twin));
                        if (walked.macs() < recomputing.get(twin)) {
                            columns++;
                        }
                    }
                }
            }
        }
        assertTrue(checked >= 20, "too few stacks checked: " + checked);
        assertTrue(recomputed >= 3 && cached >= 3 && columns >= 2, "recomputing " + recomputed + ", cached " + cached
                + ", h-cached saving columns " + columns);
    }

    /** The walk's counts equal the model's (also used on whole network schedules by {@code NetworkScheduleTest}). */
    public static void compare(StackShape s, FusedStack f, StackWalk.Counts walked, MemoryHierarchy h, String where) {
        int top = h.levelCount() - 1;
        assertEquals(f.tiles(), walked.tiles(), where);
        long macs = 0;
        long fusedOps = 0;
        double readDram = 0;
        double readOnChip = 0;
        java.util.EnumMap<Operand, Double> dram = new java.util.EnumMap<>(Operand.class);
        for (int p = 0; p < s.size(); p++) {
            FusedStack.Layer l = f.perLayer().get(p);
            AccessCounts.Builder b = new AccessCounts.Builder(h.levelCount()).skipping(s.passes().get(p).workload(), h);
            for (FusedStack.TileMapping t : l.mappings()) {
                for (int lvl = 0; lvl < h.levelCount(); lvl++) {
                    for (Operand op : Operand.values()) {
                        for (AccessCounts.Kind k : AccessCounts.Kind.values()) {
                            b.add(lvl, op, k, t.count() * t.cost().counts().get(lvl, op, k));
                        }
                    }
                }
                Workload w = t.workload();
                for (Operand op : w.operands()) {
                    dram.merge(op, t.count() * (t.cost().counts().readBytes(top, op, w) + t.cost().counts().writeBytes(top, op, w)),
                            Double::sum);
                }
            }
            AccessCounts model = b.build();
            int pos = p;
            assertEquals(walked.accesses().get(p), model, () -> where + " pass " + pos + "\nwalked:\n"
                    + walked.accesses().get(pos) + "model:\n" + model);
            macs += l.macs();
            fusedOps += l.fusedOps();
            readDram += l.readDramBytes();
            readOnChip += l.readOnChipBytes();
            // what the walk holds of the intermediates is what the model took for them from the on-chip level, at
            // stored width only when every tile nest of the pass sends final values alone to that level
            long taken = l.intermediateBytes();
            assertTrue(l.reservedBytes().get(s.level()) >= taken, where);
            boolean finals = l.mappings().stream().allMatch(m -> StackCost.finalsOnly(m, s.level(), h));
            if (!(p < s.size() - 1 && finals && taken == walked.heldFinalBytes()[p])) {
                assertEquals(walked.heldBytes()[p], taken, where + " pass " + p + " holds");
            }
        }
        assertEquals(macs, walked.macs(), where + " MACs");
        assertEquals(fusedOps, walked.fusedOps(), where + " fused ops");
        assertEquals(readDram, walked.readDramBytes(), 1e-9, where + " fused reads from DRAM");
        assertEquals(readOnChip, walked.readOnChipBytes(), 1e-9, where + " fused reads on chip");
        for (Operand op : Operand.values()) {
            assertEquals(dram.getOrDefault(op, 0.0), walked.dramBytes().getOrDefault(op, 0.0),
                    1e-9 * Math.max(1, dram.getOrDefault(op, 0.0)), where + " DRAM bytes of " + op);
        }
        // only the first pass reads its input, only the last writes its output, at the backing store
        for (int p = 0; p < s.size(); p++) {
            for (FusedStack.TileMapping t : f.perLayer().get(p).mappings()) {
                if (p > 0) {
                    assertEquals(0, t.cost().counts().reads(top, Operand.I), where);
                }
                if (p < s.size() - 1) {
                    assertEquals(0, t.cost().counts().writes(top, Operand.O), where);
                }
            }
        }
    }

    /** MACs of the stack's passes as whole layers (what a stack computes without recomputation). */
    static long full(StackShape s) {
        return s.passes().stream().mapToLong(p -> p.workload().macs()).sum();
    }


}
