package org.edgenn.generator.mapping.search;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.edgenn.generator.mapping.Objective;
import org.edgenn.ir.accel.Operand;
import org.edgenn.runtime.cost.CostModel;
import org.edgenn.runtime.cost.CostResult;
import org.edgenn.runtime.cost.Mapping;
import org.edgenn.runtime.cost.MappingValidator;
import org.edgenn.runtime.cost.Tiles;
import org.edgenn.runtime.cost.Workload;

/**
 * Final stage of the layer search: lowers the winner's cuts to smaller tiles that move the same traffic.
 *
 * <p>Why: the allocator is greedy (largest tiles that fit, or ZigZag's least-traffic cut with ties to the larger), so
 * a bigger buffer can make it take a bigger tile for no saving in traffic, and a bigger tile has a longer onload
 * before the first MAC: untied LISTA-16's {@code S_k} on an 8x16 array loads all its weights up front once they fit
 * whole (71,157 cycles) where a stream of smaller tiles moving the same DRAM bytes overlaps compute (63,281). The
 * mapper then gets worse with more capacity (docs/mapping.md, "Capacity"). Here, for each operand and each level
 * below its backing store, every lower cut (never below the cut of the operand's level beneath) that leaves the
 * DRAM bytes and the costed energy unchanged is an option (the traffic on a level's link to its parent depends on
 * that level's cut alone: its refills and its tile); every combination of options is re-costed and the best one kept
 * when it improves the objective and validates (a resident operand's level below the backing store is left alone: its
 * link is idle, so equal traffic proves nothing there). Smaller tiles always fit where larger ones did, so what changes is
 * only the on/offload and stall time; the result is never worse than the search's. Not applied under ZigZag's
 * allocation rules (the referee's mapping must be cut ZigZag's way).
 */
final class CutTrim {
    /** Combinations costed at most; beyond it each coordinate keeps its original and its smallest equal-traffic cut. */
    static final int COMBINATIONS = 4096;
    private static final double EQUAL = 1e-9;

    private CutTrim() {
    }

    /** The best of {@code best} and its equal-traffic trims. */
    static Candidate refine(Workload w, CostModel model, Objective objective, Candidate best) {
        CostResult base = best.result();
        Mapping m = base.mapping();
        List<Operand> ops = new ArrayList<>();
        List<int[]> coords = new ArrayList<>(); // {operand index in ops, chain position}
        List<int[]> options = new ArrayList<>(); // per coordinate: the cuts to try, the original first
        Map<Operand, int[]> cuts = new EnumMap<>(Operand.class);
        for (Operand op : Operand.values()) {
            int[] c = m.cuts(op);
            if (c != null) {
                cuts.put(op, c);
                ops.add(op);
            }
        }
        for (int o = 0; o < ops.size(); o++) {
            int[] c = cuts.get(ops.get(o));
            // a resident operand's link to the backing store is idle: "the same traffic" says nothing about the cut of
            // the level it stays in, and a lower cut there makes its tile revisited (partial sums where a depth-first
            // stack needs finals only, StackCost.finalsOnly), so that level keeps the search's cut
            int last = c.length - (model.resident().contains(ops.get(o)) ? 2 : 1);
            for (int j = 0; j < last; j++) {
                List<Integer> opt = new ArrayList<>(List.of(c[j]));
                int floor = j == 0 ? 0 : c[j - 1];
                for (int x = c[j] - 1; x >= floor; x--) {
                    Map<Operand, int[]> trial = copy(cuts);
                    trial.get(ops.get(o))[j] = x;
                    CostResult r = cost(w, model, m, trial);
                    if (r != null && sameTraffic(base, r)) {
                        opt.add(x);
                    }
                }
                if (opt.size() > 1) {
                    coords.add(new int[] {o, j});
                    options.add(opt.stream().mapToInt(Integer::intValue).toArray());
                }
            }
        }
        if (coords.isEmpty()) {
            return best;
        }
        long combos = 1;
        for (int[] opt : options) {
            combos = Math.min(Long.MAX_VALUE / 64, combos * opt.length);
        }
        if (combos > COMBINATIONS) { // keep the original and the smallest only
            for (int i = 0; i < options.size(); i++) {
                int[] opt = options.get(i);
                options.set(i, new int[] {opt[0], opt[opt.length - 1]});
            }
        }
        Candidate winner = best;
        int[] pick = new int[coords.size()];
        while (advance(pick, options)) {
            Map<Operand, int[]> trial = copy(cuts);
            for (int i = 0; i < pick.length; i++) {
                trial.get(ops.get(coords.get(i)[0]))[coords.get(i)[1]] = options.get(i)[pick[i]];
            }
            CostResult r = cost(w, model, m, trial);
            if (r == null) {
                continue;
            }
            Candidate c = new Candidate(r, objective.value(r));
            if (c.objective() < best.objective() && Candidate.ORDER.compare(c, winner) < 0) {
                winner = c;
            }
        }
        return winner;
    }

    /** Same DRAM bytes and energy (to rounding): the trimmed cut moves what the original moved. */
    static boolean sameTraffic(CostResult a, CostResult b) {
        return close(a.dramReadBytes() + a.dramWriteBytes(), b.dramReadBytes() + b.dramWriteBytes())
                && close(a.energyPj(), b.energyPj());
    }

    private static boolean close(double a, double b) {
        return Math.abs(a - b) <= EQUAL * Math.max(1.0, Math.max(Math.abs(a), Math.abs(b)));
    }

    /** The mapping with {@code cuts} costed, or null when it does not validate. */
    static CostResult cost(Workload w, CostModel model, Mapping m, Map<Operand, int[]> cuts) {
        Mapping t = new Mapping(m.spatial(), m.temporal(), cuts);
        if (!MappingValidator.violations(w, model.hierarchy(), t).isEmpty()) {
            return null;
        }
        return model.evaluateValid(w, t, new Tiles(w, t.spatial().factors(), t.temporal()));
    }

    /** Next combination (odometer); false after the last. Skips the all-original one (already costed). */
    private static boolean advance(int[] pick, List<int[]> options) {
        for (int i = 0; i < pick.length; i++) {
            if (++pick[i] < options.get(i).length) {
                return true;
            }
            pick[i] = 0;
        }
        return false;
    }

    private static Map<Operand, int[]> copy(Map<Operand, int[]> cuts) {
        Map<Operand, int[]> c = new EnumMap<>(Operand.class);
        cuts.forEach((op, a) -> c.put(op, a.clone()));
        return c;
    }
}
