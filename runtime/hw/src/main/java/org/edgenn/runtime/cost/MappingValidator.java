package org.edgenn.runtime.cost;

import java.util.ArrayList;
import java.util.List;
import org.edgenn.ir.accel.ArrayAxis;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.ir.accel.MemoryLevel;
import org.edgenn.ir.accel.Operand;

/**
 * The validity rules of a mapping, all checked and reported together.
 *
 * <ol>
 *   <li>Spatial: one list per array axis; each axis unrolls only dimensions it declares; the product of an
 *       axis' factors is at most its size; a dimension's spatial factor is at most its bound.</li>
 *   <li>Temporal: every factor is at least 2 (a loop of 1 is no loop).</li>
 *   <li>Coverage with padded (imperfect) factorization: for every dimension {@code d} the temporal
 *       factors multiply to exactly {@code ceil(bound(d) / spatial(d))}. Only the spatial factor may leave
 *       a remainder; the padded iterations are executed and counted (see docs/mapping.md).</li>
 *   <li>Cuts: one per level holding the operand; non-decreasing; the backing store's cut is the loop
 *       count; layers without weights have no {@code W} cuts.</li>
 *   <li>Capacity: at every bounded level the tiles of all operands it holds fit into one instance
 *       (per-PE levels hold a per-PE tile, shared levels the tile of the whole array, levels shared along
 *       some axes the tile of the PEs they serve).</li>
 * </ol>
 */
public final class MappingValidator {
    private MappingValidator() {
    }

    /** Every violated rule; empty when the mapping is valid. */
    public static List<String> violations(Workload w, MemoryHierarchy h, Mapping m) {
        List<String> v = new ArrayList<>();
        checkSpatial(w, h, m, v);
        checkCoverage(w, m, v);
        checkCuts(w, h, m, v);
        if (v.isEmpty()) {
            checkCapacity(w, h, m, v);
        }
        return v;
    }

    /** Throws {@link InvalidMappingException} listing all violations, if any. */
    public static void requireValid(Workload w, MemoryHierarchy h, Mapping m) {
        List<String> v = violations(w, h, m);
        if (!v.isEmpty()) {
            throw new InvalidMappingException(w.name(), v);
        }
    }

    private static void checkSpatial(Workload w, MemoryHierarchy h, Mapping m, List<String> v) {
        List<ArrayAxis> axes = h.spec().axes();
        List<List<Loop>> per = m.spatial().perAxis();
        if (per.size() != axes.size()) {
            v.add("spatial mapping has " + per.size() + " axes, the array has " + axes.size());
            return;
        }
        for (int a = 0; a < axes.size(); a++) {
            long product = 1;
            for (Loop l : per.get(a)) {
                product *= l.factor();
                if (!axes.get(a).unrolls().contains(l.dim())) {
                    v.add("axis " + axes.get(a).name() + " cannot unroll " + l.dim());
                }
            }
            if (product > axes.get(a).size()) {
                v.add("axis " + axes.get(a).name() + " unrolls " + product + " > its size " + axes.get(a).size());
            }
        }
        for (LoopDim d : LoopDim.values()) {
            if (m.spatial().factor(d) > w.bound(d)) {
                v.add("spatial factor of " + d + " is " + m.spatial().factor(d) + " > bound " + w.bound(d));
            }
        }
        v.addAll(windowSplits(h, m.spatial()));
    }

    /**
     * An input level shared along some axes only must see each window dimension (OY, OX, FY, FX) either
     * whole or not at all: a dimension unrolled both on axes it is shared along and on others would give
     * its instances strided, non-contiguous input rows, which the closed-form window count does not cover.
     */
    public static List<String> windowSplits(MemoryHierarchy h, SpatialMapping s) {
        List<String> v = new ArrayList<>();
        Sharing sh = Sharing.of(h, s);
        int[] all = s.factors();
        for (int l = 0; l < h.levelCount(); l++) {
            if (!h.holds(l, Operand.I)) {
                continue;
            }
            for (LoopDim d : new LoopDim[] {LoopDim.OY, LoopDim.OX, LoopDim.FY, LoopDim.FX}) {
                int in = sh.inner(l)[d.ordinal()];
                if (in != 1 && in != all[d.ordinal()]) {
                    v.add(d + " is unrolled both along and across the axes " + h.memory(l).name()
                            + " is shared along (" + in + " of " + all[d.ordinal()] + "); its inputs would not be contiguous");
                }
            }
        }
        return v;
    }

    private static void checkCoverage(Workload w, Mapping m, List<String> v) {
        for (Loop l : m.temporal()) {
            if (l.factor() < 2) {
                v.add("temporal loop " + l + " has factor < 2");
            }
        }
        for (LoopDim d : LoopDim.values()) {
            int s = m.spatial().factor(d);
            long need = ceilDiv(w.bound(d), s);
            if (m.temporalFactor(d) != need) {
                v.add(d + ": temporal factors multiply to " + m.temporalFactor(d) + ", need ceil(" + w.bound(d)
                        + "/" + s + ") = " + need);
            }
        }
    }

    private static void checkCuts(Workload w, MemoryHierarchy h, Mapping m, List<String> v) {
        int n = m.temporal().size();
        for (Operand op : Operand.values()) {
            if (!w.has(op)) {
                if (m.hasCuts(op)) {
                    v.add(w.kind() + " layer has no " + op + " operand but the mapping places it");
                }
                continue;
            }
            int[] c = m.cuts(op);
            if (c == null) {
                v.add("no cuts for " + op);
                continue;
            }
            if (c.length != h.chainLength(op)) {
                v.add(op + " has " + c.length + " cuts, " + h.chainLength(op) + " levels hold it");
                continue;
            }
            for (int j = 0; j < c.length; j++) {
                if (c[j] < 0 || c[j] > n || (j > 0 && c[j] < c[j - 1])) {
                    v.add(op + " cuts must be non-decreasing within 0.." + n + ", got " + java.util.Arrays.toString(c));
                    break;
                }
            }
            if (c.length > 0 && c[c.length - 1] != n) {
                v.add(op + " backing-store cut must be " + n + ", got " + c[c.length - 1]);
            }
        }
    }

    private static void checkCapacity(Workload w, MemoryHierarchy h, Mapping m, List<String> v) {
        Tiles t = new Tiles(w, m.spatial().factors(), m.temporal());
        for (int lvl = 0; lvl < h.levelCount() - 1; lvl++) {
            MemoryLevel mem = h.memory(lvl);
            double bytes = tileBytes(w, h, m, t, lvl);
            if (bytes > mem.sizeBytes()) {
                v.add("tiles need " + fmt(bytes) + " B in " + mem.name() + " (capacity " + mem.sizeText()
                        + (mem.perPe() ? " per PE" : mem.sharedAlong().isEmpty() ? "" : " per instance") + ")");
            }
        }
    }

    /** Bytes one instance of memory {@code lvl} must hold under mapping {@code m}. */
    public static double tileBytes(Workload w, MemoryHierarchy h, Mapping m, Tiles t, int lvl) {
        double bytes = 0;
        for (Operand op : w.operands()) {
            int[] chain = h.chain(op);
            for (int j = 0; j < chain.length; j++) {
                if (chain[j] == lvl) {
                    int[] inner = m.sharing(h).inner(lvl);
                    bytes += t.size(op, m.cut(op, j), inner) * (double) storedBits(w, m, op, m.cut(op, j), inner)
                            / 8.0;
                }
            }
        }
        return bytes;
    }

    /**
     * Bits per stored element of {@code op} under cut {@code c} at a level seeing the spatial factors {@code inner}:
     * outputs are partial sums while a loop irrelevant to O remains to be iterated (temporal, at or above the cut,
     * or spatial, reduced only above this level), final outputs at output precision afterwards (as ZigZag sizes them).
     */
    public static int storedBits(Workload w, Mapping m, Operand op, int c, int[] inner) {
        if (op != Operand.O) {
            return w.bits(op);
        }
        int[] spatial = m.spatial().factors();
        for (int d = 0; d < spatial.length; d++) {
            if (inner[d] < spatial[d] && !Relevance.relevant(Operand.O, LoopDim.values()[d])) {
                return w.bits(op);
            }
        }
        List<Loop> loops = m.temporal();
        for (int i = c; i < loops.size(); i++) {
            if (loops.get(i).factor() > 1 && !Relevance.relevant(Operand.O, loops.get(i).dim())) {
                return w.bits(op);
            }
        }
        return w.outputBits();
    }

    static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : String.format(java.util.Locale.ROOT, "%.1f", d);
    }
}
