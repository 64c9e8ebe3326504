package org.edgenn.generator.verify;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.edgenn.generator.mapping.NetworkScheduler;
import org.edgenn.generator.mapping.depthfirst.OverlapMode;
import org.edgenn.generator.mapping.depthfirst.Rect;
import org.edgenn.generator.mapping.depthfirst.Regions;
import org.edgenn.generator.mapping.depthfirst.StackCost;
import org.edgenn.generator.mapping.depthfirst.StackShape;
import org.edgenn.generator.mapping.schedule.FusedStack;
import org.edgenn.generator.mapping.schedule.Fusion;
import org.edgenn.generator.mapping.schedule.NetworkSchedule;
import org.edgenn.generator.mapping.schedule.WorkloadGraph;
import org.edgenn.generator.mapping.table.JsonTableReader;
import org.edgenn.generator.mapping.table.TableStack;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.ir.accel.Operand;
import org.edgenn.runtime.cost.AccessCounts;
import org.edgenn.runtime.cost.CostModel;
import org.edgenn.runtime.cost.CostResult;
import org.edgenn.runtime.cost.MappingValidator;
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.edgenn.runtime.cost.Workload;

/**
 * The depth-first stacks of a mapping table rebuilt against the network they claim to schedule ({@code edgenn verify
 * --mapping}): each must be consecutive passes of the network that can run as a stack ({@link StackShape}), under a
 * tile and overlap mode its last output plane admits, with exactly the tile nests its tiles compute ({@link Regions}:
 * every region size, each run as often as the tiles run it), the operands a stack position leaves idle at the backing
 * store, reservations that leave every memory something, and for each nest a mapping that is valid on the memories the
 * reservation leaves. Anything else is a {@link JsonTableReader.TableException} saying which stack, pass and nest and
 * what is wrong. The result is what {@link StackCheck} executes, as it does for the search's schedule: each nest's
 * mapping and counts are the table's (its other costs are the cost model's for that mapping; only the counts are
 * compared).
 */
public final class TableStacks {
    private TableStacks() {
    }

    /** The table's stacks on accelerator {@code a}, the network's graph {@code g}. */
    public static StackSchedule of(JsonTableReader.Table table, WorkloadGraph g, AcceleratorSpec a)
            throws JsonTableReader.TableException {
        MemoryHierarchy h = MemoryHierarchy.of(a);
        List<Fusion.Group> groups = Fusion.groups(g, true);
        Map<String, Integer> index = new HashMap<>();
        groups.forEach(gr -> index.put(gr.name(), gr.index()));
        Map<String, Set<Operand>> passResident = new HashMap<>();
        table.layers().forEach(l -> passResident.put(l.name(), l.resident()));
        StackSchedule context = new StackSchedule(List.of(), table.residentLevel(), passResident);
        List<FusedStack> stacks = new ArrayList<>();
        for (TableStack t : table.stacks()) {
            stacks.add(stack(t, groups, index, g, h, a, context));
        }
        return new StackSchedule(stacks, table.residentLevel(), passResident);
    }

    private static FusedStack stack(TableStack t, List<Fusion.Group> groups, Map<String, Integer> index, WorkloadGraph g,
                                    MemoryHierarchy h, AcceleratorSpec a, StackSchedule context)
            throws JsonTableReader.TableException {
        String where = "stack " + t.name();
        StackShape s = shape(t, groups, index, g, h, where);
        OverlapMode mode = OverlapMode.parse(t.overlap());
        if (mode == null) {
            throw new JsonTableReader.TableException(where + ": unknown overlap '" + t.overlap() + "' (one of "
                    + OverlapMode.spellings() + ")");
        }
        Workload last = s.lastWorkload();
        int height = last.bound(LoopDim.OY);
        int width = last.bound(LoopDim.OX);
        String tiling = t.tileRows() + "x" + t.tileCols() + " " + mode.spelling() + " tiles of " + s.passes().get(s.size() - 1)
                .group().name() + "'s " + height + "x" + width + " output plane";
        if (t.tileRows() < 1 || t.tileCols() < 1 || t.tileRows() > height || t.tileCols() > width) {
            throw new JsonTableReader.TableException(where + ": no " + tiling);
        }
        if (mode == OverlapMode.CACHED && t.tileCols() != width) {
            throw new JsonTableReader.TableException(where + ": " + tiling + ": " + mode.spelling()
                    + " runs full-width row bands (" + width + " columns)");
        }
        List<Regions.Tile> tiles = Regions.of(s, t.tileRows(), t.tileCols(), mode);
        if (t.tiles() != tiles.size()) {
            throw new JsonTableReader.TableException(where + ": " + t.tiles() + " tiles in the table, " + tiling + " are "
                    + tiles.size());
        }
        if (t.layers().size() != s.size()) {
            throw new JsonTableReader.TableException(where + ": " + t.layers().size() + " pass rows for " + s.size() + " passes");
        }
        List<Set<Operand>> outside = context.outside(s);
        List<FusedStack.Layer> layers = new ArrayList<>();
        for (int p = 0; p < s.size(); p++) {
            StackShape.Pass pass = s.passes().get(p);
            TableStack.Pass row = t.layers().get(p);
            String at = where + ", pass " + pass.group().name();
            if (!row.layer().equals(pass.group().name())) {
                throw new JsonTableReader.TableException(where + ": pass row " + p + " is " + row.layer() + ", not "
                        + pass.group().name());
            }
            Set<Operand> resident = StackCost.resident(pass.workload(), p, s.size(), t.weightsResident());
            resident.addAll(outside.get(p));
            if (!row.resident().equals(resident)) {
                throw new JsonTableReader.TableException(at + ": resident " + sorted(row.resident()) + " in the table; at "
                        + "position " + p + " of " + s.size() + (t.weightsResident() ? " with the stack's weights resident" : "")
                        + " and with the schedule's residents it is " + sorted(resident));
            }
            AcceleratorSpec shrunk = NetworkScheduler.shrunk(a, row.reservedBytes());
            if (shrunk == null) {
                throw new JsonTableReader.TableException(at + ": the reserved bytes leave a memory nothing");
            }
            MemoryHierarchy sh = MemoryHierarchy.of(shrunk);
            Map<List<Integer>, Long> computed = computed(tiles, p);
            Map<List<Integer>, TableStack.Nest> listed = new LinkedHashMap<>();
            for (TableStack.Nest n : row.nests()) {
                if (listed.put(List.of(n.rows(), n.cols()), n) != null) {
                    throw new JsonTableReader.TableException(at + ": two " + n.rows() + "x" + n.cols() + " tile nests");
                }
            }
            for (Map.Entry<List<Integer>, Long> e : computed.entrySet()) {
                if (!listed.containsKey(e.getKey())) {
                    throw new JsonTableReader.TableException(at + ": no tile nest for the " + e.getKey().get(0) + "x"
                            + e.getKey().get(1) + " region its tiles compute " + e.getValue() + " times (" + tiling
                            + "; the table lists " + describe(listed) + ")");
                }
            }
            List<FusedStack.TileMapping> mappings = new ArrayList<>();
            for (TableStack.Nest n : row.nests()) {
                String nest = at + ", tile nest " + n.rows() + "x" + n.cols();
                Long count = computed.get(List.of(n.rows(), n.cols()));
                if (count == null) {
                    throw new JsonTableReader.TableException(nest + ": no tile computes such a region (" + tiling
                            + " compute " + describe(computed) + ")");
                }
                if (count != n.count()) {
                    throw new JsonTableReader.TableException(nest + ": runs " + n.count() + " times in the table, the "
                            + tiling + " run it " + count + " times");
                }
                mappings.add(nest(n, pass.workload(), sh, resident, nest));
            }
            layers.add(new FusedStack.Layer(pass.group().name(), mappings, toList(row.reservedBytes()),
                    row.intermediateBytes(), resident, row.fusedOps(), 0, 0, 0, 0, row.fusedReadDramBytes(),
                    row.fusedReadOnChipBytes()));
        }
        return new FusedStack(t.passes(), s.first(), s.last(), t.tileRows(), t.tileCols(), mode.spelling(),
                t.weightsResident(), t.tiles(), layers, t.weightLoadBytes(), 0, 0, new NetworkSchedule.Totals(0, 0, 0, s.size()),
                0);
    }

    /** The stack the table's passes name, or why they are none. */
    private static StackShape shape(TableStack t, List<Fusion.Group> groups, Map<String, Integer> index, WorkloadGraph g,
                                    MemoryHierarchy h, String where) throws JsonTableReader.TableException {
        if (t.passes().size() < 2) {
            throw new JsonTableReader.TableException(where + ": a stack runs at least 2 passes, the table lists "
                    + t.passes().size());
        }
        List<Integer> at = new ArrayList<>();
        for (String p : t.passes()) {
            Integer i = index.get(p);
            if (i == null) {
                throw new JsonTableReader.TableException(where + ": " + p + " is not a pass of the network");
            }
            at.add(i);
        }
        for (int k = 1; k < at.size(); k++) {
            if (at.get(k) != at.get(k - 1) + 1) {
                throw new JsonTableReader.TableException(where + ": passes " + t.passes() + " are not consecutive passes of "
                        + "the network (" + t.passes().get(k) + " is pass " + at.get(k) + ", after pass " + at.get(k - 1) + ")");
            }
        }
        StackShape s = StackShape.of(groups, g, h, at.get(0), at.get(at.size() - 1));
        if (s == null) {
            throw new JsonTableReader.TableException(where + ": passes " + t.passes() + " cannot run as a depth-first stack "
                    + "(each must be a convolution, depthwise convolution or pooling; the first reads one tensor from "
                    + "outside, every later one a tensor computed in the stack; what the stack computes but its last "
                    + "output is read only inside it, position for position by fused ops, and not pinned)");
        }
        return s;
    }

    /** Per region size, how many of the tiles have pass {@code p} compute it. */
    private static Map<List<Integer>, Long> computed(List<Regions.Tile> tiles, int p) {
        Map<List<Integer>, Long> out = new LinkedHashMap<>();
        for (Regions.Tile t : tiles) {
            Rect r = t.computed().get(p);
            if (!r.isEmpty()) {
                out.merge(List.of(r.rows(), r.cols()), 1L, Long::sum);
            }
        }
        return out;
    }

    /**
     * One tile nest: its mapping must be valid for the nest on the memories the stack leaves it; its counts and MACs
     * are the table's (the cost model's for its other costs).
     */
    private static FusedStack.TileMapping nest(TableStack.Nest n, Workload w, MemoryHierarchy shrunk, Set<Operand> resident,
                                               String where) throws JsonTableReader.TableException {
        Workload tile = StackCost.tile(w, n.rows(), n.cols());
        List<String> bad = MappingValidator.violations(tile, shrunk, n.mapping());
        if (!bad.isEmpty()) {
            throw new JsonTableReader.TableException(where + ": its mapping does not fit the memories the stack leaves it: "
                    + String.join("; ", bad));
        }
        CostResult c = new CostModel(shrunk, 0).withResident(resident).evaluate(tile, n.mapping());
        AccessCounts.Builder counts = new AccessCounts.Builder(shrunk.levelCount()).skipping(tile, shrunk);
        for (int l = 0; l < shrunk.levelCount(); l++) {
            for (Operand op : Operand.values()) {
                for (AccessCounts.Kind k : AccessCounts.Kind.values()) {
                    counts.add(l, op, k, n.predicted().get(l, op, k));
                }
            }
        }
        CostResult table = new CostResult(c.layer(), c.mapping(), counts.build(), c.levelEnergyPj(), c.macEnergyPj(),
                c.energyPj(), n.macs(), c.paddedMacs(), c.computeCycles(), c.levelCycles(), c.onloadCycles(),
                c.offloadCycles(), c.latencyCycles(), c.spatialUtilization(), c.utilization(), c.dramReadBytes(),
                c.dramWriteBytes(), c.effectiveMacs());
        return new FusedStack.TileMapping(n.rows(), n.cols(), n.count(), tile, table, Double.NaN);
    }

    private static String describe(Map<List<Integer>, ?> nests) {
        return nests.isEmpty() ? "none" : nests.entrySet().stream().map(e -> e.getKey().get(0) + "x" + e.getKey().get(1)
                + (e.getValue() instanceof Long c ? " x" + c : " x" + ((TableStack.Nest) e.getValue()).count()))
                .collect(Collectors.joining(", "));
    }

    private static List<String> sorted(Set<Operand> ops) {
        return ops.stream().sorted().map(Operand::name).toList();
    }

    private static List<Long> toList(long[] a) {
        List<Long> out = new ArrayList<>();
        for (long x : a) {
            out.add(x);
        }
        return out;
    }
}
