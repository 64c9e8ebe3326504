package org.edgenn.generator.verify;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.edgenn.generator.mapping.NetworkScheduler;
import org.edgenn.generator.mapping.depthfirst.OverlapMode;
import org.edgenn.generator.mapping.depthfirst.Rect;
import org.edgenn.generator.mapping.depthfirst.StackShape;
import org.edgenn.generator.mapping.schedule.FusedStack;
import org.edgenn.generator.mapping.schedule.Residency;
import org.edgenn.generator.mapping.schedule.WorkloadGraph;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.ir.accel.Operand;
import org.edgenn.runtime.cost.AccessCounts;
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.edgenn.runtime.cost.Workload;
import org.edgenn.runtime.hw.FunctionalModel;
import org.edgenn.runtime.hw.LayerCheck;
import org.edgenn.runtime.hw.MappedExecution;
import org.edgenn.runtime.hw.MappedSample;
import org.edgenn.runtime.hw.TileWindow;
import org.edgenn.runtime.net.Int8Layer;

/**
 * The hardware model executing a depth-first stack ({@link FusedStack}) for real: tile after tile of the last pass's
 * output plane, each tile's receptive field worked back pass by pass (windows clipped to the planes; in fully-cached
 * mode only the rows no earlier band computed, in h-cached-v-recompute mode only the columns no earlier tile of the
 * same tile row computed), and every pass's region computed by {@link MappedExecution} under the
 * tile nest's mapping, on the accelerator less the stack's reservations, with its intermediates' backing-store links
 * idle: the PE array, the loop order and tiles per level, partial sums at their declared widths. The intermediates
 * live only as {@link Plane}s the on-chip level holds: a tile's region allocated when its producer runs and freed after
 * its last consumer (fully recompute), or a line buffer per intermediate allocated for the tile's rows and dropping
 * the rows no later band needs (fully cached), or a column buffer per intermediate for the tile's rows, dropping the
 * columns no later tile of the row needs and emptied when a tile row starts (h-cached-v-recompute). A pass reading a value its memory does not hold stops the execution
 * (a broken schedule). Fused element-wise ops are applied to each computed region by the functional model on the way
 * out, reading intermediates from the on-chip planes and other tensors where the schedule keeps them.
 *
 * <p>What it observes (summed over the executed tiles): accesses per pass, level, operand and kind, MACs (recomputed
 * halos included), backing-store bytes per operand, fused ops and their reads, the intermediates' allocated bytes per
 * pass, the weights loaded once when they stay resident; and the values of every pass's output. {@link StackCheck}
 * compares them with the model and the generated layers.
 */
public final class StackExecution {
    private StackExecution() {
    }

    /**
     * One pass's output values as executed ({@code positions}: those computed), the generated layer they belong to, and
     * how many positions were computed again (each time equal to the first).
     */
    public record Values(String layer, byte[] bytes, java.util.BitSet positions, int channels, long recomputed) {
    }

    /**
     * What the execution computed and observed over {@code executed} of the stack's {@code tiles} tiles (all of them
     * unless a budget stopped it). {@code shapes}: per pass, the tile nests executed ({@code [rows, cols]} to count);
     * {@code partialsOnChip}: per pass, whether its nests wrote unfinished partial sums into the on-chip level;
     * {@code heldBytes}/{@code heldFinalBytes}: per pass the most bytes of intermediates allocated while it ran, the one
     * it produces at partial-sum width / at its stored width.
     */
    public record Result(List<Values> values, List<AccessCounts> accesses, long macs, Map<Operand, Double> dramBytes,
                         long fusedOps, double readDramBytes, double readOnChipBytes, long[] heldBytes,
                         long[] heldFinalBytes, boolean[] partialsOnChip, double weightLoadBytes, long saturations,
                         List<Map<List<Integer>, Long>> shapes, int executed, int tiles) {
        public boolean whole() {
            return executed == tiles;
        }
    }

    /** A stack whose execution failed: the pass and why (a broken schedule, a tile nest without a mapping). */
    public static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message);
        }
    }

    /**
     * Executes {@code f} (stack shape {@code s}) on accelerator {@code a}.
     *
     * @param layers        the generated layers by name, with the inputs and outputs they recorded in the reference run
     *                      (the stack's input and the tensors its fused ops read from outside are taken from there)
     * @param residentLevel where the schedule keeps tensors on chip (fused reads of outside tensors come from there)
     * @param outside       per stack position, the operands the schedule keeps resident besides the intermediates
     * @param maxSlots      MAC slots to execute at most: tiles are executed in order while the next fits (the first
     *                      always); the rest are not executed and the result says so
     */
    public static Result execute(StackShape s, FusedStack f, AcceleratorSpec a, Map<String, Int8Layer> layers,
                                 FunctionalModel model, Map<String, Integer> residentLevel, List<Set<Operand>> outside,
                                 long maxSlots) {
        return execute(s, f, a, layers, model, residentLevel, outside, maxSlots, Integer.MAX_VALUE);
    }

    /** The same, executing at most {@code maxTiles} tiles. */
    public static Result execute(StackShape s, FusedStack f, AcceleratorSpec a, Map<String, Int8Layer> layers,
                                 FunctionalModel model, Map<String, Integer> residentLevel, List<Set<Operand>> outside,
                                 long maxSlots, int maxTiles) {
        return new Run(s, f, a, layers, model, residentLevel, outside).run(maxSlots, maxTiles);
    }

    /** The region of {@code from}'s output plane that computing {@code c} of consumer {@code w} reads (clipped). */
    static Rect window(Workload w, Rect c, Workload from) {
        int y0 = c.y0() * w.strideY() - w.padY();
        int y1 = c.y1() * w.strideY() + (w.bound(LoopDim.FY) - 1) * w.dilationY() - w.padY();
        int x0 = c.x0() * w.strideX() - w.padX();
        int x1 = c.x1() * w.strideX() + (w.bound(LoopDim.FX) - 1) * w.dilationX() - w.padX();
        return new Rect(Math.max(0, y0), Math.min(from.bound(LoopDim.OY) - 1, y1), Math.max(0, x0),
                Math.min(from.bound(LoopDim.OX) - 1, x1));
    }

    /** One execution's state. */
    private static final class Run {
        private final StackShape s;
        private final FusedStack f;
        private final AcceleratorSpec a;
        private final MemoryHierarchy h;
        private final Map<String, Int8Layer> layers;
        private final FunctionalModel model;
        private final Map<String, Integer> residentLevel;
        private final List<Set<Operand>> outside;
        private final boolean cached;
        /** h-cached-v-recompute: along a tile row only new columns are computed; a tile row starts with empty buffers. */
        private final boolean columns;
        private final boolean buffers;
        private final int n;
        private final int top;
        /** Every tensor computed in the stack (group outputs and the values flowing through fused ops), by id. */
        private final Map<String, Plane> planes = new HashMap<>();
        private final List<MemoryHierarchy> shrunk = new ArrayList<>();
        private final List<AccessCounts.Builder> acc = new ArrayList<>();
        private final List<Map<List<Integer>, Long>> shapes = new ArrayList<>();
        private final Map<Operand, Double> dram = new EnumMap<>(Operand.class);
        private final long[] held;
        private final long[] heldFinal;
        private final boolean[] partials;
        private final int[] done;
        private final int[] doneCols;
        private long macs;
        private long fusedOps;
        private double readDram;
        private double readOnChip;
        private long saturations;

        Run(StackShape s, FusedStack f, AcceleratorSpec a, Map<String, Int8Layer> layers, FunctionalModel model,
            Map<String, Integer> residentLevel, List<Set<Operand>> outside) {
            this.s = s;
            this.f = f;
            this.a = a;
            this.h = MemoryHierarchy.of(a);
            this.layers = layers;
            this.model = model;
            this.residentLevel = residentLevel;
            this.outside = outside;
            OverlapMode mode = OverlapMode.parse(f.mode());
            if (mode == null) {
                throw new IllegalArgumentException("stack " + f.name() + ": unknown overlap mode " + f.mode());
            }
            this.cached = mode == OverlapMode.CACHED;
            this.columns = mode == OverlapMode.H_CACHED;
            this.buffers = mode.keepsBuffers();
            this.n = s.size();
            this.top = h.levelCount() - 1;
            held = new long[n];
            heldFinal = new long[n];
            partials = new boolean[n];
            done = new int[n];
            java.util.Arrays.fill(done, -1);
            doneCols = new int[n];
            if (f.perLayer().size() != n || f.first() != s.first() || f.last() != s.last()) {
                throw new IllegalArgumentException("stack " + f.name() + " is not the shape " + s.name());
            }
            for (int p = 0; p < n; p++) {
                StackShape.Pass pass = s.passes().get(p);
                long[] reserved = f.perLayer().get(p).reservedBytes().stream().mapToLong(Long::longValue).toArray();
                AcceleratorSpec spec = NetworkScheduler.shrunk(a, reserved);
                if (spec == null) {
                    throw new Failure(pass.group().name() + ": the stack's reservations leave a memory nothing");
                }
                shrunk.add(MemoryHierarchy.of(spec));
                acc.add(new AccessCounts.Builder(h.levelCount()).skipping(pass.workload(), h));
                shapes.add(new LinkedHashMap<>());
                Int8Layer head = layer(pass.group().name());
                Workload w = pass.workload();
                String out = pass.group().head().output();
                planes.put(out, plane(head, w, out));
                String through = out;
                for (WorkloadGraph.Layer fl : pass.group().fused()) {
                    Int8Layer l = layers.get(fl.workload().name());
                    // an element-wise op the generated code folded into its producer (a ReLU into the requantization)
                    planes.put(fl.output(), l == null ? planes.get(through) : plane(l, w, fl.output()));
                    through = fl.output();
                }
            }
        }

        private Plane plane(Int8Layer l, Workload w, String tensor) {
            int ch = (int) (w.bound(LoopDim.G) * (long) w.bound(LoopDim.K));
            Plane p = new Plane(l.name(), w.bound(LoopDim.N), w.bound(LoopDim.OY), w.bound(LoopDim.OX), ch, l.outputBits());
            if (p.data.length != l.output().length) {
                throw new IllegalArgumentException(l.name() + ": its " + l.output().length + "-byte output is not the "
                        + tensor + " plane of " + w);
            }
            return p;
        }

        private Int8Layer layer(String name) {
            Int8Layer l = layers.get(name);
            if (l == null) {
                throw new IllegalArgumentException("no generated layer " + name + " for stack " + f.name());
            }
            return l;
        }

        Result run(long maxSlots, int maxTiles) {
            Workload last = s.lastWorkload();
            int height = last.bound(LoopDim.OY);
            int width = last.bound(LoopDim.OX);
            int tiles = ((height + f.tileRows() - 1) / f.tileRows()) * ((width + f.tileCols() - 1) / f.tileCols());
            int executed = 0;
            long slots = 0;
            double weightLoad = f.weightsResident() ? weightLoad() : 0;
            tiles:
            for (int ty = 0; ty < height; ty += f.tileRows()) {
                java.util.Arrays.fill(doneCols, -1); // h-cached: nothing of the tile row above is kept
                for (int tx = 0; tx < width; tx += f.tileCols()) {
                    Rect out = new Rect(ty, Math.min(height, ty + f.tileRows()) - 1, tx, Math.min(width, tx + f.tileCols()) - 1);
                    Map<String, Rect> needed = new HashMap<>();
                    Rect[] computed = regions(out, needed);
                    long tileSlots = slots(computed);
                    if (executed > 0 && (slots + tileSlots > maxSlots || executed >= maxTiles)) {
                        break tiles; // over budget: this and every later tile (a cached band needs the bands before it)
                    }
                    slots += tileSlots;
                    executed++;
                    tile(computed, needed, tx == 0);
                }
            }
            List<AccessCounts> counts = new ArrayList<>();
            acc.forEach(b -> counts.add(b.build()));
            List<Values> values = new ArrayList<>();
            for (StackShape.Pass pass : s.passes()) {
                Plane p = planes.get(pass.group().output());
                values.add(new Values(p.layer, p.history, p.computed, p.channels, p.recomputed));
            }
            return new Result(values, counts, macs, dram, fusedOps, readDram, readOnChip, held, heldFinal, partials,
                    weightLoad, saturations, shapes, executed, tiles);
        }

        /**
         * The tile's regions, from the last pass back: what each pass computes ({@code computed[p]}) and what of each
         * intermediate the tile needs ({@code needed}: its consumers' windows and position-for-position reads).
         */
        private Rect[] regions(Rect out, Map<String, Rect> needed) {
            Rect[] computed = new Rect[n];
            int[] doneBefore = done.clone();
            int[] colsBefore = doneCols.clone();
            for (int p = n - 1; p >= 0; p--) {
                StackShape.Pass pass = s.passes().get(p);
                Rect need = p == n - 1 ? out : needed.getOrDefault(pass.group().output(), Rect.EMPTY);
                Rect c = need;
                if (cached && !need.isEmpty()) {
                    c = new Rect(Math.max(need.y0(), doneBefore[p] + 1), need.y1(), need.x0(), need.x1());
                } else if (columns && !need.isEmpty()) {
                    c = new Rect(need.y0(), need.y1(), Math.max(need.x0(), colsBefore[p] + 1), need.x1());
                }
                computed[p] = c;
                if (c.isEmpty()) {
                    continue;
                }
                if (pass.inputProducer() >= 0) {
                    needed.merge(pass.input(), window(pass.workload(), c, s.passes().get(pass.inputProducer()).workload()),
                            Rect::union);
                }
                for (String x : pass.group().extraReads()) {
                    if (s.producer(x) != null) {
                        needed.merge(x, c, Rect::union);
                    }
                }
            }
            return computed;
        }

        /** MAC slots the tile's nests walk (their mappings looked up by size). */
        private long slots(Rect[] computed) {
            long t = 0;
            for (int p = 0; p < n; p++) {
                if (!computed[p].isEmpty()) {
                    t += MappedSample.slots(mapping(p, computed[p]).cost().mapping());
                }
            }
            return t;
        }

        private FusedStack.TileMapping mapping(int p, Rect r) {
            return f.perLayer().get(p).mappings().stream().filter(m -> m.rows() == r.rows() && m.cols() == r.cols())
                    .findFirst().orElseThrow(() -> new Failure(s.passes().get(p).group().name() + ": the stack has no mapping for a "
                            + r.rows() + "x" + r.cols() + " tile nest, which tile region " + r + " needs"));
        }

        private void tile(Rect[] computed, Map<String, Rect> needed, boolean rowStart) {
            for (String t : s.intermediates()) {
                Plane p = planes.get(t);
                if (columns && rowStart) {
                    // a new tile row: the column buffers start empty (the rows shared with the row above are recomputed)
                    p.free();
                    p.allocated = needed.getOrDefault(t, Rect.EMPTY);
                } else if (buffers) {
                    // the line buffer is sized for this band's rows: rows above them are no longer needed
                    Rect need = needed.getOrDefault(t, Rect.EMPTY);
                    p.retain(need);
                    p.allocated = need;
                } else {
                    p.free();
                }
            }
            for (int p = 0; p < n; p++) {
                Rect c = computed[p];
                StackShape.Pass pass = s.passes().get(p);
                Plane produced = planes.get(pass.group().output());
                if (!buffers && p < n - 1) {
                    produced.allocated = needed.getOrDefault(pass.group().output(), Rect.EMPTY);
                }
                if (cached && !c.isEmpty()) {
                    done[p] = Math.max(done[p], c.y1());
                }
                if (columns && !c.isEmpty()) {
                    doneCols[p] = Math.max(doneCols[p], c.x1());
                }
                if (!c.isEmpty()) {
                    pass(p, c);
                }
                observeHeld(p);
                if (!buffers) {
                    for (String t : s.intermediates()) {
                        if (s.lastConsumer(t) == p) {
                            planes.get(t).free(); // its last reader in this tile has run
                        }
                    }
                }
            }
        }

        /** Pass {@code p} computes region {@code c}: its tile nest on the PE array, then its fused ops. */
        private void pass(int p, Rect c) {
            StackShape.Pass pass = s.passes().get(p);
            Workload w = pass.workload();
            Int8Layer head = layer(pass.group().name());
            FusedStack.TileMapping tm = mapping(p, c);
            shapes.get(p).merge(List.of(c.rows(), c.cols()), 1L, Long::sum);
            List<byte[]> inputs = head.inputs();
            java.util.function.IntPredicate holds = null;
            if (pass.inputProducer() >= 0) {
                Plane in = planes.get(pass.input());
                inputs = List.of(in.data);
                holds = in::holds;
            }
            // what never crosses the backing store inside a stack: the intermediates (every input but the first pass's,
            // every output but the last's) and the weights kept resident; plus what the schedule keeps resident
            Set<Operand> resident = java.util.EnumSet.noneOf(Operand.class);
            if (p > 0) {
                resident.add(Operand.I);
            }
            if (p < n - 1) {
                resident.add(Operand.O);
            }
            if (f.weightsResident() && w.has(Operand.W)) {
                resident.add(Operand.W);
            }
            resident.addAll(outside.get(p));
            MappedExecution.Result x;
            try {
                x = MappedExecution.execute(head, inputs, tm.workload(), shrunk.get(p), tm.cost().mapping(), model, resident,
                        new TileWindow(c.y0(), c.x0(), holds));
            } catch (MappedExecution.BrokenScheduleException | IllegalArgumentException e) {
                throw new Failure(pass.group().name() + " tile " + c + ": " + e.getMessage());
            }
            Workload tile = tm.workload();
            for (int l = 0; l < h.levelCount(); l++) {
                for (Operand op : Operand.values()) {
                    for (AccessCounts.Kind k : AccessCounts.Kind.values()) {
                        acc.get(p).add(l, op, k, x.counts().get(l, op, k));
                    }
                }
            }
            for (Operand op : tile.operands()) {
                dram.merge(op, x.counts().readBytes(top, op, tile) + x.counts().writeBytes(top, op, tile), Double::sum);
            }
            partials[p] |= x.counts().get(s.level(), Operand.O, AccessCounts.Kind.WRITE) > 0;
            macs += x.macs();
            saturations += x.saturations();
            String through = pass.group().head().output();
            check(planes.get(through).write(c, x.output()));
            long elements = c.area() * w.bound(LoopDim.N) * w.bound(LoopDim.G) * w.bound(LoopDim.K);
            for (WorkloadGraph.Layer fl : pass.group().fused()) {
                fusedOps += elements;
                Int8Layer l = layers.get(fl.workload().name());
                if (l != null) {
                    fused(l, fl, c, pass);
                }
                through = fl.output();
            }
            for (String t : pass.group().extraReads()) {
                WorkloadGraph.Tensor tensor = s.tensor(t);
                boolean inside = s.producer(t) != null;
                long read = tensor.elements() == elements / c.area() * w.bound(LoopDim.OY) * w.bound(LoopDim.OX)
                        ? elements : tensor.elements();
                double bytes = Math.ceil(read * (double) tensor.bits() / 8.0);
                if (!inside && residentLevel.getOrDefault(t, top) == top) {
                    readDram += bytes;
                } else {
                    readOnChip += bytes;
                }
            }
            if (p < n - 1) {
                Plane out = planes.get(pass.group().output());
                if (!contains(out.allocated, c)) {
                    throw new Failure(pass.group().name() + " computes " + c + " of " + pass.group().output()
                            + " outside the on-chip region allocated for it, " + out.allocated);
                }
            }
        }

        /**
         * Fused op {@code l} over region {@code c}: its inputs from the stack's planes or where they live outside. The
         * generated layer's inputs are the op's position-for-position operands in argument order (constants such as a
         * shrink's thresholds are part of the generated op).
         */
        private void fused(Int8Layer l, WorkloadGraph.Layer fl, Rect c, StackShape.Pass pass) {
            long elements = s.tensor(fl.output()).elements();
            List<String> operands = new ArrayList<>(fl.inputs().stream()
                    .filter(t -> s.tensor(t) != null && s.tensor(t).elements() == elements).toList());
            // a constant operand (an unrolled state's initial zeros) the generated code folded into the op
            for (int i = 0; i < operands.size() && operands.size() > l.inputs().size(); i++) {
                if (s.tensor(operands.get(i)).origin() == WorkloadGraph.Origin.BACKING_STORE && planes.get(operands.get(i)) == null
                        && !pass.input().equals(operands.get(i))) {
                    operands.remove(i--);
                }
            }
            if (operands.size() != l.inputs().size()) {
                throw new IllegalArgumentException(l.name() + ": " + l.inputs().size() + " generated inputs for operands " + operands);
            }
            List<byte[]> ins = new ArrayList<>();
            for (int i = 0; i < operands.size(); i++) {
                Plane in = planes.get(operands.get(i));
                if (in == null) {
                    ins.add(l.inputs().get(i)); // from outside the stack
                    continue;
                }
                if (!in.holds(c)) {
                    throw new Failure(pass.group().name() + ": fused " + l.name() + " reads " + operands.get(i) + " at " + c
                            + ", which the on-chip level does not hold");
                }
                ins.add(in.data);
            }
            byte[] out = new byte[l.output().length];
            LayerCheck.execute(l, ins, out, model);
            saturations += model.lastSaturations();
            check(planes.get(fl.output()).write(c, out));
        }

        private static void check(String differs) {
            if (differs != null) {
                throw new Failure(differs);
            }
        }

        /** The intermediates' allocated bytes while pass {@code p} runs (live ones; in the cached modes all line or column buffers). */
        private void observeHeld(int p) {
            long wide = 0;
            long narrow = 0;
            for (String t : s.intermediates()) {
                int from = s.producer(t);
                if (!buffers && (p < from || p > s.lastConsumer(t))) {
                    continue;
                }
                Plane x = planes.get(t);
                long values = x.values(x.allocated);
                int bits = x.bits;
                narrow += Residency.bytes(values, bits);
                wide += Residency.bytes(values, p == from ? Math.max(bits, s.passes().get(from).workload().partialSumBits()) : bits);
            }
            held[p] = Math.max(held[p], wide);
            heldFinal[p] = Math.max(heldFinal[p], narrow);
        }

        /** Bytes of the weights the stack loads once to keep resident (those the schedule does not keep already). */
        private double weightLoad() {
            double bytes = 0;
            for (int p = 0; p < n; p++) {
                Workload w = s.passes().get(p).workload();
                if (w.has(Operand.W) && !outside.get(p).contains(Operand.W)
                        && layer(s.passes().get(p).group().name()) instanceof Int8Layer.Mac m) {
                    bytes += Residency.bytes(m.op().weights().length, w.storedBits(Operand.W));
                }
            }
            return bytes;
        }

        private static boolean contains(Rect outer, Rect inner) {
            return inner.isEmpty() || !outer.isEmpty() && outer.y0() <= inner.y0() && inner.y1() <= outer.y1()
                    && outer.x0() <= inner.x0() && inner.x1() <= outer.x1();
        }
    }
}
