package org.edgenn.generator.mapping.depthfirst;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.edgenn.generator.mapping.schedule.FusedStack;
import org.edgenn.generator.mapping.schedule.NetworkSchedule;
import org.edgenn.generator.mapping.schedule.Residency;
import org.edgenn.generator.mapping.schedule.WorkloadGraph;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.ir.accel.MemoryLevel;
import org.edgenn.ir.accel.Operand;
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.edgenn.runtime.cost.Relevance;
import org.edgenn.runtime.cost.Workload;

/**
 * The cost of a stack under one tile size and overlap mode: the tiles' regions ({@link Regions}), each pass's distinct
 * tile nests mapped by the layer search on the accelerator with the on-chip level smaller by the most any tile holds
 * there while that pass runs (intermediates, resident weights, the schedule's other residents), with the intermediates'
 * links to the backing store idle ({@code I} of every pass but the first, {@code O} of every pass but the last, and
 * {@code W} when the stack's weights stay resident), and the fused ops and their reads per tile. Totals add up over
 * the tiles: tiles run one after another.
 */
public final class StackCost {
    private StackCost() {
    }

    /** A tile size, overlap mode and weight residency to evaluate. */
    public record Config(int rows, int cols, OverlapMode mode, boolean weightsResident) {
        @Override
        public String toString() {
            return rows + "x" + cols + " " + mode.spelling() + (weightsResident ? " W resident" : "");
        }
    }

    /** Maps one tile nest; null when nothing fits. */
    @FunctionalInterface
    public interface TileSearch {
        FusedStack.TileMapping search(Workload tile, AcceleratorSpec spec, Set<Operand> resident, int passIndex);
    }

    /**
     * What the rest of the schedule leaves around a stack: the tensors it keeps on chip ({@code held}), where
     * ({@code residentLevel}), and per pass the operands it keeps resident ({@code residentByPass}).
     */
    public record Context(AcceleratorSpec accelerator, WorkloadGraph graph, double macPj,
                          Map<String, Integer> residentLevel, List<Held> held, List<Set<Operand>> residentByPass) {
        /** The schedule's resident operands of the pass at {@code position} that the stack keeps: weights, its input and output. */
        Set<Operand> outside(StackShape s, int position) {
            Set<Operand> plan = residentByPass.get(s.passes().get(position).group().index());
            Set<Operand> r = EnumSet.noneOf(Operand.class);
            if (plan.contains(Operand.W)) {
                r.add(Operand.W);
            }
            if (position == 0 && plan.contains(Operand.I)) {
                r.add(Operand.I);
            }
            if (position == s.size() - 1 && plan.contains(Operand.O)) {
                r.add(Operand.O);
            }
            return r;
        }

        /** Bytes the schedule's residents take from each memory while pass {@code index} runs, the stack's intermediates aside. */
        long[] reserved(StackShape s, int index, int levels) {
            long[] r = new long[levels];
            for (Held x : held) {
                if (x.first() <= index && index <= x.last() && !s.intermediates().contains(x.tensor())) {
                    r[x.level()] += index == x.first() ? x.passBytes() : x.bytes();
                }
            }
            return r;
        }
    }

    /**
     * A tensor the schedule keeps in memory {@code level} from pass {@code first} to {@code last}; {@code passBytes} what
     * it takes while its first pass runs (a value being produced at partial-sum width).
     */
    public record Held(String tensor, int level, int first, int last, long bytes, long passBytes) {
    }

    /**
     * Lower bounds of a tile nest's {energy, latency} over every mapping the {@link TileSearch} may return for it with
     * {@code resident} operands, on the accelerator or on the same with smaller memories.
     */
    @FunctionalInterface
    public interface TileBound {
        double[] bound(Workload tile, Set<Operand> resident);
    }

    /** No bound beyond zero: every configuration is costed in full. */
    public static final TileBound NO_BOUND = (tile, resident) -> new double[] {0, 0};

    /**
     * Told, as an evaluation proceeds, what the stack is now known to cost at least (the nests searched so far at
     * their cost, the others at their bound, the rest exact); true stops the evaluation (its result is then null).
     */
    @FunctionalInterface
    public interface Cutoff {
        boolean hopeless(double energyAtLeast, double latencyAtLeast);
    }

    /** Never stops an evaluation. */
    public static final Cutoff NEVER = (energy, latency) -> false;

    /**
     * The stack under {@code c}, or null when it does not fit (an intermediate or the weights leave a memory nothing,
     * or some tile nest has no mapping).
     */
    public static FusedStack evaluate(StackShape s, Config c, Context ctx, TileSearch search, NetworkSchedule.Totals unfused,
                                      long unfusedMacs) {
        StackLayout layout = StackLayout.of(s, c, ctx);
        return layout == null ? null : evaluate(layout, search, NO_BOUND, NEVER, unfused, unfusedMacs);
    }

    /**
     * The same for a laid-out configuration, stopped (null) as soon as {@code cutoff} finds it hopeless; {@code bound}
     * gives the nests' bounds the running bound starts from.
     */
    static FusedStack evaluate(StackLayout layout, TileSearch search, TileBound bound, Cutoff cutoff,
                               NetworkSchedule.Totals unfused, long unfusedMacs) {
        StackShape s = layout.shape();
        Config c = layout.config();
        double[][][] nestBounds = layout.nestBounds(bound);
        double[] running = layout.bound(nestBounds);
        if (cutoff.hopeless(running[0], running[1])) {
            return null;
        }
        List<FusedStack.Layer> layers = new ArrayList<>();
        for (int p = 0; p < s.size(); p++) {
            StackLayout.Pass pass = layout.passes().get(p);
            // a pass producing an intermediate: first with the intermediate at its stored width, kept only if every tile
            // nest's mapping sends final values alone to the on-chip level; else at partial-sum width
            Width chosen;
            if (p == s.size() - 1) {
                chosen = width(layout, p, false, search, nestBounds[p], running, cutoff);
            } else {
                chosen = width(layout, p, true, search, nestBounds[p], running, cutoff);
                if (chosen.mappings() == null || chosen.mappings() == HOPELESS) {
                    boolean stopped = chosen.mappings() == HOPELESS;
                    chosen = width(layout, p, false, search, nestBounds[p], running, cutoff);
                    if (stopped && chosen.mappings() != null && chosen.mappings() != HOPELESS
                            && width(layout, p, true, search, nestBounds[p], running.clone(), NEVER).mappings() != null) {
                        // the stored width, stopped by the cutoff, does map with finals only: it is the pass's, and hopeless
                        return null;
                    }
                }
            }
            if (chosen.mappings() == null || chosen.mappings() == HOPELESS) {
                return null;
            }
            layers.add(pass.fused().layer(pass.pass().group().name(), chosen.mappings(), chosen.reserved(), chosen.held(),
                    pass.resident()));
        }
        List<String> names = s.passes().stream().map(x -> x.group().name()).toList();
        return new FusedStack(names, s.first(), s.last(), c.rows(), c.cols(), c.mode().spelling(), c.weightsResident(),
                layout.tiles().size(), layers, layout.loadBytes(), layout.loadEnergy(), layout.loadCycles(), unfused,
                unfusedMacs);
    }

    /** A pass's tile nests at one width of its intermediate: the mappings (null: none, or not finals only), the reservation. */
    private record Width(List<FusedStack.TileMapping> mappings, long[] reserved, long held) {
    }

    /**
     * The pass at {@code p} with the intermediate it produces reserved at its stored width ({@code finalWidth}: then
     * every nest's mapping must send finals only to the on-chip level, else null as soon as one does not) or at
     * partial-sum width; {@code running} takes the nests' costs in place of their bounds, and is left as it was when
     * the result is null or {@link #HOPELESS} (the cutoff stopped it).
     */
    private static Width width(StackLayout layout, int p, boolean finalWidth, TileSearch search, double[][] bounds,
                               double[] running, Cutoff cutoff) {
        StackShape s = layout.shape();
        MemoryHierarchy h = layout.hierarchy();
        long held = intermediates(layout.tiles(), p, finalWidth);
        long[] reserved = reservation(s, layout.config(), layout.context(), h, held, p, layout.weightLevel(),
                layout.weightBytes());
        if (reserved == null) {
            return new Width(null, null, held);
        }
        double[] before = running.clone();
        java.util.function.Predicate<FusedStack.TileMapping> accepted = finalWidth ? m -> finalsOnly(m, s.level(), h)
                : m -> true;
        List<FusedStack.TileMapping> mappings = search(layout.passes().get(p), layout.context().accelerator(), reserved,
                search, bounds, running, cutoff, accepted);
        if (mappings == null || mappings == HOPELESS) {
            System.arraycopy(before, 0, running, 0, running.length); // that width's nests are not the pass's
        }
        return new Width(mappings, reserved, held);
    }

    /** Bytes taken from each memory while the pass at {@code p} runs; null when some memory has nothing left. */
    private static long[] reservation(StackShape s, Config c, Context ctx, MemoryHierarchy h, long intermediates,
                                      int p, int wLevel, long weightBytes) {
        long[] reserved = ctx.reserved(s, s.passes().get(p).group().index(), h.levelCount());
        reserved[s.level()] += intermediates;
        if (c.weightsResident()) {
            reserved[wLevel] += weightBytes;
        }
        return org.edgenn.generator.mapping.NetworkScheduler.shrunk(ctx.accelerator(), reserved) == null ? null : reserved;
    }

    /** The most bytes of intermediates any tile holds while the pass at {@code p} runs. */
    private static long intermediates(List<Regions.Tile> tiles, int p, boolean finalWidth) {
        long most = 0;
        for (Regions.Tile t : tiles) {
            most = Math.max(most, (finalWidth ? t.reservedFinalBytes() : t.reservedBytes())[p]);
        }
        return most;
    }

    /** What {@link #search} returns when the cutoff stopped it (a list of its own, compared by identity). */
    private static final List<FusedStack.TileMapping> HOPELESS = java.util.Collections.unmodifiableList(new ArrayList<>());

    /**
     * Every distinct tile nest of the pass mapped on the accelerator less {@code reserved}; null when one has no mapping,
     * {@link #HOPELESS} when, its cost replacing its bound in {@code running}, the cutoff finds the stack hopeless.
     */
    private static List<FusedStack.TileMapping> search(StackLayout.Pass pass, AcceleratorSpec a, long[] reserved,
                                                       TileSearch search, double[][] bounds, double[] running,
                                                       Cutoff cutoff, java.util.function.Predicate<FusedStack.TileMapping> accepted) {
        AcceleratorSpec spec = org.edgenn.generator.mapping.NetworkScheduler.shrunk(a, reserved);
        List<FusedStack.TileMapping> mappings = new ArrayList<>();
        int k = 0;
        for (Map.Entry<List<Integer>, Long> e : pass.shapes().entrySet()) {
            Workload tw = tile(pass.pass().workload(), e.getKey().get(0), e.getKey().get(1));
            FusedStack.TileMapping m = search.search(tw, spec, pass.resident(), pass.pass().group().index());
            if (m == null) {
                return null;
            }
            running[0] += e.getValue() * (m.cost().energyPj() - bounds[k][0]);
            running[1] += e.getValue() * (m.cost().latencyCycles() - bounds[k][1]);
            k++;
            if (cutoff.hopeless(running[0], running[1])) {
                return HOPELESS;
            }
            FusedStack.TileMapping found = new FusedStack.TileMapping(e.getKey().get(0), e.getKey().get(1), e.getValue(), tw,
                    m.cost(), m.objectiveValue());
            if (!accepted.test(found)) {
                return null;
            }
            mappings.add(found);
        }
        return mappings;
    }

    /** Whether the nest's output tile in {@code level} is visited once: only final values reach the resident copy. */
    public static boolean finalsOnly(FusedStack.TileMapping m, int level, MemoryHierarchy h) {
        org.edgenn.runtime.cost.Mapping mapping = m.cost().mapping();
        int chain = -1;
        for (int j = 0; j < h.chainLength(Operand.O); j++) {
            if (h.levelIndex(Operand.O, j) == level) {
                chain = j;
            }
        }
        int cut = mapping.cuts(Operand.O)[chain];
        org.edgenn.runtime.cost.Tiles t = new org.edgenn.runtime.cost.Tiles(m.workload(), mapping.spatial().factors(),
                mapping.temporal());
        return t.fills(Operand.O, cut) == t.distinct(Operand.O, cut);
    }

    /** The operands of the pass at {@code position} whose backing-store link is idle. */
    public static Set<Operand> resident(Workload w, int position, int size, boolean weightsResident) {
        Set<Operand> r = EnumSet.noneOf(Operand.class);
        if (position > 0) {
            r.add(Operand.I);
        }
        if (position < size - 1) {
            r.add(Operand.O);
        }
        if (weightsResident && w.has(Operand.W)) {
            r.add(Operand.W);
        }
        return r;
    }

    /**
     * The pass's fused ops over its computed elements (one op each per fused layer, {@code ceil(elements / PEs)} cycles
     * per tile and fused layer) and their reads: an intermediate from the on-chip level, a tensor from outside from
     * where it lives (its region when it is read position for position, else whole, per tile). None of it depends on
     * the tile nests' mappings.
     */
    static Fused fused(StackShape s, StackShape.Pass pass, int p, List<Regions.Tile> tiles, long area, Context ctx,
                       MemoryHierarchy h) {
        Workload w = pass.workload();
        long perPosition = w.bound(LoopDim.N) * StackShape.channelsOut(w);
        int fusedLayers = pass.group().fused().size();
        long ops = area * perPosition * fusedLayers;
        int pes = ctx.accelerator().peCount();
        double cycles = 0;
        double readEnergy = 0;
        double readCycles = 0;
        double dramBytes = 0;
        double onChipBytes = 0;
        int top = h.levelCount() - 1;
        for (Regions.Tile t : tiles) {
            Rect r = t.computed().get(p);
            if (r.isEmpty()) {
                continue;
            }
            long elements = r.area() * perPosition;
            cycles += fusedLayers * Math.ceil(elements / (double) pes);
            for (String x : pass.group().extraReads()) {
                WorkloadGraph.Tensor tensor = ctx.graph().tensors().get(x);
                boolean inside = s.producer(x) != null;
                int level = inside ? s.level() : ctx.residentLevel().getOrDefault(x, top);
                long read = tensor.elements() == StackShape.outputs(w) ? elements : tensor.elements();
                double bytes = Math.ceil(read * (double) tensor.bits() / 8.0);
                MemoryLevel m = h.memory(level);
                readEnergy += bytes * m.readPjPerByte();
                readCycles += Double.isInfinite(m.bandwidthBytesPerCycle()) ? 0 : bytes / m.bandwidthBytesPerCycle();
                if (level == top) {
                    dramBytes += bytes;
                } else {
                    onChipBytes += bytes;
                }
            }
        }
        return new Fused(ops, ops * ctx.macPj(), cycles, readEnergy, readCycles, dramBytes, onChipBytes);
    }

    /** A pass's fused ops and their reads over all tiles. */
    record Fused(long ops, double energyPj, double cycles, double readEnergyPj, double readCycles, double dramBytes,
                 double onChipBytes) {
        FusedStack.Layer layer(String name, List<FusedStack.TileMapping> mappings, long[] reserved, long held,
                               Set<Operand> resident) {
            List<Long> res = new ArrayList<>();
            for (long x : reserved) {
                res.add(x);
            }
            return new FusedStack.Layer(name, mappings, res, held, resident, ops, energyPj, cycles, readEnergyPj,
                    readCycles, dramBytes, onChipBytes);
        }
    }

    /** The pass's nest over a {@code rows x cols} region of its output (same channels, kernel, strides, widths). */
    public static Workload tile(Workload w, int rows, int cols) {
        int[] b = w.bounds();
        b[LoopDim.OY.ordinal()] = rows;
        b[LoopDim.OX.ordinal()] = cols;
        Workload t = Workload.of(w.name(), w.kind(), b, w.strideY(), w.strideX(), w.dilationY(), w.dilationX(),
                w.padY(), w.padX(), new Workload.Precision(w.weightBits(), w.inputBits(), w.outputBits(), w.partialSumBits()));
        boolean sparse = w.kind().hasWeights() && (w.weightDensity() < 1 || w.storedBits(Operand.W) != w.weightBits());
        return sparse ? t.withWeightSparsity(w.weightDensity(), w.storedBits(Operand.W)) : t;
    }

    /** Bytes of the pass's {@code W} operand at its stored width (0 without weights). */
    static long weightBytes(Workload w) {
        if (!w.has(Operand.W)) {
            return 0;
        }
        long e = 1;
        for (LoopDim d : LoopDim.values()) {
            if (Relevance.relevant(Operand.W, d)) {
                e *= w.bound(d);
            }
        }
        return Residency.bytes(e, w.storedBits(Operand.W));
    }
}
