package org.edgenn.generator.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.edgenn.generator.mapping.depthfirst.DepthFirst;
import org.edgenn.generator.mapping.depthfirst.OverlapMode;
import org.edgenn.generator.mapping.depthfirst.StackCost;
import org.edgenn.generator.mapping.depthfirst.StackSearches;
import org.edgenn.generator.mapping.depthfirst.StackShape;
import org.edgenn.generator.mapping.schedule.FusedStack;
import org.edgenn.generator.mapping.schedule.Fusion;
import org.edgenn.generator.mapping.schedule.NetworkSchedule;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.accel.Operand;
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.edgenn.runtime.hw.FunctionalModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hardware model executing depth-first stacks ({@link StackExecution}) against the scalar kernels and the stack
 * model ({@code StackCost}): on random chains of convolutions, depthwise convolutions and pooling (ReLUs, residual adds
 * from outside and inside the stack), random small accelerators and every tile size and overlap mode
 * {@link DepthFirst#configs} offers (every overlap mode), one execution per stack gives every pass's output bytes equal to the scalar
 * kernels' and observes the model's accesses per pass, level, operand and kind, its MACs with the recomputed halos,
 * backing-store bytes per operand, fused ops and reads, intermediate bytes and resident weight loads. A model changed
 * by hand (one tile nest's count, the intermediates' bytes, a tile nest's mapping swapped for another size's) fails.
 */
class StackExecutionTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void executedStacksGiveTheKernelsBytesAndTheModelsCounts(long seed) {
        Random r = new Random(seed);
        int checked = 0;
        int recomputed = 0;
        int cached = 0;
        int columns = 0;
        int mutated = 0;
        // positions computed again by the recomputing configuration of the same stack, tile and weights
        Map<String, Long> recomputing = new java.util.HashMap<>();
        for (int trial = 0; trial < 4 || trial < 24 && (recomputed < 2 || cached < 2 || columns < 2); trial++) {
            AcceleratorSpec a = RandomInt8Chains.accelerator(r, trial);
            MemoryHierarchy h = MemoryHierarchy.of(a);
            RandomInt8Chains.Chain chain = RandomInt8Chains.chain(r, 2 + r.nextInt(2));
            List<Fusion.Group> groups = Fusion.groups(chain.graph(), true);
            FunctionalModel model = HardwareModels.of(a);
            StackCost.Context ctx = new StackCost.Context(a, chain.graph(), 0.3, Map.of(), List.of(), StackSearches.none(groups.size()));
            StackCost.TileSearch search = StackSearches.search(a);
            for (StackShape s : StackShape.candidates(groups, chain.graph(), h, DepthFirst.MAX_DEPTH)) {
                for (StackCost.Config c : DepthFirst.configs(s)) {
                    FusedStack f = StackCost.evaluate(s, c, ctx, search, new NetworkSchedule.Totals(0, 0, 0, 0), 0);
                    if (f == null) {
                        continue;
                    }
                    String where = "seed " + seed + " trial " + trial + " " + s.name() + " " + c + " on " + a.name();
                    StackExecution.Result x = StackExecution.execute(s, f, a, chain.layers(), model, Map.of(),
                            StackSearches.none(s.size()), Long.MAX_VALUE);
                    assertTrue(x.whole(), where);
                    assertNull(StackCheck.valuesDifference(x, chain.layers()), where);
                    assertNull(StackCheck.difference(s, f, x, h), where);
                    // the last pass computed every output of the stack, each once
                    StackExecution.Values last = x.values().get(s.size() - 1);
                    assertEquals(chain.layers().get(last.layer()).output().length / last.channels(), last.positions().cardinality(), where);
                    checked++;
                    long again = x.values().stream().mapToLong(StackExecution.Values::recomputed).sum();
                    String twin = s.name() + " " + c.rows() + "x" + c.cols() + " " + c.weightsResident() + " " + trial;
                    if (c.mode() == OverlapMode.CACHED) {
                        cached++;
                        assertEquals(0, again, where + ": cached rows are never computed twice");
                    } else if (c.mode() == OverlapMode.RECOMPUTE) {
                        recomputing.put(twin, again);
                        if (again > 0) {
                            recomputed++;
                        }
                    } else if (recomputing.containsKey(twin)) {
                        // cached columns are not computed again: fewer repeats than recomputing the same tiles
                        assertTrue(again <= recomputing.get(twin), where + ": " + again + " positions again, recomputing "
                                + recomputing.get(twin));
                        if (again < recomputing.get(twin)) {
                            columns++;
                        }
                    }
                    if (mutated < 6 && mutant(s, f, x, h, where)) {
                        mutated++;
                    }
                }
            }
        }
        assertTrue(checked >= 15, "too few stacks checked: " + checked);
        assertTrue(recomputed >= 2 && cached >= 2 && columns >= 2, "recomputing " + recomputed + ", cached " + cached
                + ", h-cached saving columns " + columns);
        assertTrue(mutated >= 1, "no model mutated");
    }

    /** Models changed by hand must fail the comparison with the same execution; false when none applies. */
    private static boolean mutant(StackShape s, FusedStack f, StackExecution.Result x, MemoryHierarchy h, String where) {
        boolean any = false;
        for (int p = 0; p < s.size(); p++) {
            FusedStack.Layer l = f.perLayer().get(p);
            // the intermediates' bytes one more
            FusedStack.Layer held = new FusedStack.Layer(l.layer(), l.mappings(), l.reservedBytes(), l.intermediateBytes() + 1,
                    l.resident(), l.fusedOps(), l.fusedEnergyPj(), l.fusedCycles(), l.readEnergyPj(), l.readCycles(),
                    l.readDramBytes(), l.readOnChipBytes());
            assertNotNull(StackCheck.difference(s, with(f, p, held), x, h), where + ": intermediate bytes + 1 passed");
            // every tile nest costed with the first nest's mapping counts (a model that ignores the tile's size)
            List<FusedStack.TileMapping> ms = l.mappings();
            if (ms.size() > 1 && !ms.get(0).cost().counts().equals(ms.get(1).cost().counts())) {
                List<FusedStack.TileMapping> swapped = new ArrayList<>();
                for (FusedStack.TileMapping t : ms) {
                    swapped.add(new FusedStack.TileMapping(t.rows(), t.cols(), t.count(), t.workload(), ms.get(0).cost(),
                            t.objectiveValue()));
                }
                FusedStack.Layer sw = new FusedStack.Layer(l.layer(), swapped, l.reservedBytes(), l.intermediateBytes(),
                        l.resident(), l.fusedOps(), l.fusedEnergyPj(), l.fusedCycles(), l.readEnergyPj(), l.readCycles(),
                        l.readDramBytes(), l.readOnChipBytes());
                assertNotNull(StackCheck.difference(s, with(f, p, sw), x, h), where + ": one mapping's counts for every nest passed");
                any = true;
            }
        }
        return any;
    }

    private static FusedStack with(FusedStack f, int p, FusedStack.Layer l) {
        List<FusedStack.Layer> layers = new ArrayList<>(f.perLayer());
        layers.set(p, l);
        return new FusedStack(f.layers(), f.first(), f.last(), f.tileRows(), f.tileCols(), f.mode(), f.weightsResident(),
                f.tiles(), layers, f.weightLoadBytes(), f.weightLoadEnergyPj(), f.weightLoadCycles(), f.unfused(),
                f.unfusedMacs());
    }


}
