package org.edgenn.generator.mapping.depthfirst;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.edgenn.generator.mapping.schedule.FusedStack;
import org.edgenn.generator.mapping.schedule.Residency;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.ir.accel.Operand;
import org.edgenn.runtime.cost.AccessCounts;
import org.edgenn.runtime.cost.LoopNestSimulator;
import org.edgenn.runtime.cost.Mapping;
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.edgenn.runtime.cost.Workload;

/**
 * The independent check of a depth-first stack ({@link StackCost}): walks the tiles one by one and, for each, every
 * pass from the last back to the first, finding the rows and columns each pass must compute by enumerating every
 * output position and kernel tap of its consumers ({@code iy = oy*s + fy*d - pad}, kept when on the plane), as sets,
 * without the interval formulas of {@link Regions}; in fully-cached mode it removes the rows earlier tiles computed,
 * in h-cached mode the columns earlier tiles of the same tile row computed. Every
 * pass's tile is then walked by {@link LoopNestSimulator} under the mapping the stack chose for a nest of that size
 * (there must be one), on the accelerator with the stack's reservations, with its intermediates' backing-store links
 * idle; the bytes of intermediates held while it runs are counted from the sets and must fit the reservation.
 */
public final class StackWalk {
    private StackWalk() {
    }

    /**
     * What the walk counted: per stack position the accesses summed over tiles, MACs (recomputation included), backing-
     * store bytes per operand of the tile nests, fused ops and their reads (backing store, on chip), the largest bytes
     * of intermediates held per position (a value being produced at partial-sum width, and at its stored width).
     */
    public record Counts(List<AccessCounts> accesses, long macs, Map<Operand, Double> dramBytes, long fusedOps,
                         double readDramBytes, double readOnChipBytes, long[] heldBytes, long[] heldFinalBytes, int tiles) {
    }

    /**
     * {@code residentLevel}: where the schedule keeps tensors on chip (fused reads of outside tensors come from there);
     * {@code outside}: per stack position, the operands the schedule keeps resident besides the stack's intermediates.
     */
    public static Counts walk(StackShape s, FusedStack stack, AcceleratorSpec a, Map<String, Integer> residentLevel,
                              List<Set<Operand>> outside) {
        MemoryHierarchy h = MemoryHierarchy.of(a);
        int top = h.levelCount() - 1;
        Workload last = s.lastWorkload();
        int height = last.bound(LoopDim.OY);
        int width = last.bound(LoopDim.OX);
        OverlapMode mode = OverlapMode.parse(stack.mode());
        boolean cached = mode == OverlapMode.CACHED;
        boolean columns = mode == OverlapMode.H_CACHED;
        int n = s.size();
        List<AccessCounts.Builder> acc = new ArrayList<>();
        for (int p = 0; p < n; p++) {
            acc.add(new AccessCounts.Builder(h.levelCount()).skipping(s.passes().get(p).workload(), h));
        }
        List<TreeSet<Integer>> doneRows = new ArrayList<>();
        for (int p = 0; p < n; p++) {
            doneRows.add(new TreeSet<>());
        }
        Map<Operand, Double> dram = new EnumMap<>(Operand.class);
        long macs = 0;
        long fusedOps = 0;
        double readDram = 0;
        double readOnChip = 0;
        long[] held = new long[n];
        long[] heldFinal = new long[n];
        int tiles = 0;
        List<TreeSet<Integer>> doneCols = new ArrayList<>();
        for (int ty = 0; ty < height; ty += stack.tileRows()) {
            doneCols.clear(); // h-cached: a tile row starts with empty column buffers
            for (int p = 0; p < n; p++) {
                doneCols.add(new TreeSet<>());
            }
            for (int tx = 0; tx < width; tx += stack.tileCols()) {
                tiles++;
                Map<String, TreeSet<Integer>> needRows = new HashMap<>();
                Map<String, TreeSet<Integer>> needCols = new HashMap<>();
                List<TreeSet<Integer>> rows = new ArrayList<>();
                List<TreeSet<Integer>> cols = new ArrayList<>();
                for (int p = 0; p < n; p++) {
                    rows.add(null);
                    cols.add(null);
                }
                for (int p = n - 1; p >= 0; p--) {
                    StackShape.Pass pass = s.passes().get(p);
                    Workload w = pass.workload();
                    TreeSet<Integer> r = new TreeSet<>();
                    TreeSet<Integer> c = new TreeSet<>();
                    if (p == n - 1) {
                        for (int y = ty; y < Math.min(height, ty + stack.tileRows()); y++) {
                            r.add(y);
                        }
                        for (int x = tx; x < Math.min(width, tx + stack.tileCols()); x++) {
                            c.add(x);
                        }
                    } else {
                        r.addAll(needRows.getOrDefault(pass.group().output(), new TreeSet<>()));
                        c.addAll(needCols.getOrDefault(pass.group().output(), new TreeSet<>()));
                    }
                    if (cached) {
                        TreeSet<Integer> need = new TreeSet<>(r);
                        r.removeAll(doneRows.get(p));
                        doneRows.get(p).addAll(need);
                    } else if (columns) {
                        TreeSet<Integer> need = new TreeSet<>(c);
                        c.removeAll(doneCols.get(p));
                        doneCols.get(p).addAll(need);
                    }
                    rows.set(p, r);
                    cols.set(p, c);
                    if (r.isEmpty() || c.isEmpty()) {
                        continue;
                    }
                    if (pass.inputProducer() >= 0) {
                        Workload from = s.passes().get(pass.inputProducer()).workload();
                        needRows.computeIfAbsent(pass.input(), k -> new TreeSet<>()).addAll(taps(r, w.strideY(),
                                w.bound(LoopDim.FY), w.dilationY(), w.padY(), from.bound(LoopDim.OY)));
                        needCols.computeIfAbsent(pass.input(), k -> new TreeSet<>()).addAll(taps(c, w.strideX(),
                                w.bound(LoopDim.FX), w.dilationX(), w.padX(), from.bound(LoopDim.OX)));
                    }
                    for (String x : pass.group().extraReads()) {
                        if (s.producer(x) != null) {
                            needRows.computeIfAbsent(x, k -> new TreeSet<>()).addAll(r);
                            needCols.computeIfAbsent(x, k -> new TreeSet<>()).addAll(c);
                        }
                    }
                }
                for (int p = 0; p < n; p++) {
                    TreeSet<Integer> r = rows.get(p);
                    TreeSet<Integer> c = cols.get(p);
                    held[p] = Math.max(held[p], held(s, p, needRows, needCols, mode.keepsBuffers(), false));
                    heldFinal[p] = Math.max(heldFinal[p], held(s, p, needRows, needCols, mode.keepsBuffers(), true));
                    if (r.isEmpty() || c.isEmpty()) {
                        continue;
                    }
                    contiguous(r, s, p);
                    contiguous(c, s, p);
                    StackShape.Pass pass = s.passes().get(p);
                    Workload w = pass.workload();
                    FusedStack.Layer layer = stack.perLayer().get(p);
                    FusedStack.TileMapping tm = layer.mappings().stream()
                            .filter(m -> m.rows() == r.size() && m.cols() == c.size()).findFirst()
                            .orElseThrow(() -> new IllegalStateException(pass.group().name() + ": the stack has no mapping for a "
                                    + r.size() + "x" + c.size() + " tile, which tile " + r + " x " + c + " computes"));
                    Workload tile = nest(w, r.size(), c.size());
                    long[] reserved = layer.reservedBytes().stream().mapToLong(Long::longValue).toArray();
                    MemoryHierarchy shrunk = MemoryHierarchy.of(org.edgenn.generator.mapping.NetworkScheduler.shrunk(a, reserved));
                    Mapping m = tm.cost().mapping();
                    Set<Operand> resident = resident(p, n, stack.weightsResident(), w);
                    resident.addAll(outside.get(p));
                    AccessCounts walked = LoopNestSimulator.simulate(tile, shrunk, m, resident);
                    for (int l = 0; l < h.levelCount(); l++) {
                        for (Operand op : Operand.values()) {
                            for (AccessCounts.Kind k : AccessCounts.Kind.values()) {
                                acc.get(p).add(l, op, k, walked.get(l, op, k));
                            }
                        }
                    }
                    for (Operand op : tile.operands()) {
                        dram.merge(op, walked.readBytes(top, op, tile) + walked.writeBytes(top, op, tile), Double::sum);
                    }
                    macs += tile.macs();
                    long elements = (long) r.size() * c.size() * w.bound(LoopDim.N) * w.bound(LoopDim.G) * w.bound(LoopDim.K);
                    fusedOps += elements * pass.group().fused().size();
                    for (String x : pass.group().extraReads()) {
                        var t = s.tensor(x);
                        long read = t.elements() == w.bound(LoopDim.N) * (long) w.bound(LoopDim.G) * w.bound(LoopDim.K)
                                * w.bound(LoopDim.OY) * w.bound(LoopDim.OX) ? elements : t.elements();
                        double bytes = Math.ceil(read * (double) t.bits() / 8.0);
                        if (s.producer(x) == null && residentLevel.getOrDefault(x, top) == top) {
                            readDram += bytes;
                        } else {
                            readOnChip += bytes;
                        }
                    }
                }
            }
        }
        List<AccessCounts> out = new ArrayList<>();
        acc.forEach(b -> out.add(b.build()));
        return new Counts(out, macs, dram, fusedOps, readDram, readOnChip, held, heldFinal, tiles);
    }

    /** The padded input positions a consumer's output positions read, kept when on the producer's plane. */
    private static TreeSet<Integer> taps(Set<Integer> out, int stride, int kernel, int dilation, int pad, int size) {
        TreeSet<Integer> in = new TreeSet<>();
        for (int o : out) {
            for (int f = 0; f < kernel; f++) {
                int i = o * stride + f * dilation - pad;
                if (i >= 0 && i < size) {
                    in.add(i);
                }
            }
        }
        return in;
    }

    /** Bytes of intermediates held while position {@code p} runs, from the needed sets of this tile. */
    private static long held(StackShape s, int p, Map<String, TreeSet<Integer>> rows, Map<String, TreeSet<Integer>> cols,
                             boolean buffers, boolean finalWidth) {
        long bytes = 0;
        for (String t : s.intermediates()) {
            int from = s.producer(t);
            int to = s.lastConsumer(t);
            if (!buffers && (p < from || p > to)) {
                continue;
            }
            Workload w = s.passes().get(from).workload();
            long elements = (long) rows.getOrDefault(t, new TreeSet<>()).size() * cols.getOrDefault(t, new TreeSet<>()).size()
                    * w.bound(LoopDim.N) * w.bound(LoopDim.G) * w.bound(LoopDim.K);
            int bits = s.tensor(t).bits();
            bytes += Residency.bytes(elements, p == from && !finalWidth ? Math.max(bits, w.partialSumBits()) : bits);
        }
        return bytes;
    }

    private static void contiguous(TreeSet<Integer> set, StackShape s, int p) {
        if (set.last() - set.first() + 1 != set.size()) {
            throw new IllegalStateException(s.passes().get(p).group().name() + " computes a region with a gap: " + set);
        }
    }

    private static Set<Operand> resident(int p, int n, boolean weights, Workload w) {
        Set<Operand> r = new java.util.HashSet<>();
        if (p > 0) {
            r.add(Operand.I);
        }
        if (p < n - 1) {
            r.add(Operand.O);
        }
        if (weights && w.has(Operand.W)) {
            r.add(Operand.W);
        }
        return r;
    }

    private static Workload nest(Workload w, int rows, int cols) {
        int[] b = w.bounds();
        b[LoopDim.OY.ordinal()] = rows;
        b[LoopDim.OX.ordinal()] = cols;
        Workload t = Workload.of(w.name(), w.kind(), b, w.strideY(), w.strideX(), w.dilationY(), w.dilationX(), w.padY(),
                w.padX(), new Workload.Precision(w.weightBits(), w.inputBits(), w.outputBits(), w.partialSumBits()));
        return w.weightDensity() < 1 ? t.withWeightSparsity(w.weightDensity(), w.storedBits(Operand.W)) : t;
    }
}
