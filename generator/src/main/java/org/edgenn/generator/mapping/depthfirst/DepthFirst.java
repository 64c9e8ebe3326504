package org.edgenn.generator.mapping.depthfirst;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import org.edgenn.generator.mapping.schedule.FusedStack;
import org.edgenn.generator.mapping.schedule.Fusion;
import org.edgenn.generator.mapping.schedule.NetworkSchedule;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.runtime.cost.MemoryHierarchy;

/**
 * Depth-first fusion on top of a network schedule: the candidate stacks (consecutive passes that can run tile by tile,
 * {@link StackShape}; what the schedule keeps on chip around them stays, their intermediates it kept whole are now
 * kept as tiles), each evaluated under the
 * candidate tile sizes and overlap modes ({@link #configs}) with its weights per tile or resident, and the network
 * objective choosing among them and the passes as they are ({@link StackChoice}).
 */
public final class DepthFirst {
    /** Longest stack considered (passes). */
    public static final int MAX_DEPTH = 4;

    private DepthFirst() {
    }

    /** The schedule without stacks, pass by pass: what a stack replaces and what it must beat. */
    public record Baseline(double[] energy, double[] latency, double[] dramBytes, long[] macs,
                           double fixedEnergy, double fixedLatency) {
    }

    /** The stacks chosen, the candidate stack shapes' count and every (stack, configuration) that fits. */
    public record Result(List<FusedStack> chosen, int candidates, List<FusedStack> evaluated) {
    }

    public static Result plan(List<Fusion.Group> groups, MemoryHierarchy h, StackCost.Context ctx, Baseline base,
                              StackCost.TileSearch search, DoubleBinaryOperator objective) {
        List<FusedStack> evaluated = new ArrayList<>();
        int shapes = 0;
        for (StackShape s : StackShape.candidates(groups, ctx.graph(), h, MAX_DEPTH)) {
            shapes++;
            NetworkSchedule.Totals unfused = unfused(base, s.first(), s.last());
            List<FusedStack> mine = new ArrayList<>();
            for (StackCost.Config c : configs(s)) {
                double[] bound = StackCost.lowerBound(s, c, ctx);
                if (dominated(bound, unfused, mine)) {
                    continue; // sound: the passes unfused, or a configuration already costed, are at least as good
                }
                FusedStack f = StackCost.evaluate(s, c, ctx, search, unfused, macs(base, s.first(), s.last()));
                if (f != null && gains(f, unfused)) {
                    mine.add(f);
                }
            }
            evaluated.addAll(mine);
        }
        List<FusedStack> chosen = StackChoice.choose(base.energy(), base.latency(), evaluated, base.fixedEnergy(),
                base.fixedLatency(), objective);
        return new Result(chosen, shapes, evaluated);
    }

    /**
     * Whether the stack is better than its passes unfused in energy or latency by more than rounding: a stack with the
     * whole plane as one tile can cost exactly what the passes with their intermediates resident cost, and a sum taken
     * in another order must not make it win.
     */
    private static boolean gains(FusedStack f, NetworkSchedule.Totals unfused) {
        return f.energyPj() < unfused.energyPj() * (1 - 1e-9) || f.latencyCycles() < unfused.latencyCycles() * (1 - 1e-9);
    }

    /** Whether a cost of at least {@code bound} is no better, in energy and latency, than the unfused passes or a costed stack. */
    private static boolean dominated(double[] bound, NetworkSchedule.Totals unfused, List<FusedStack> costed) {
        if (bound[0] >= unfused.energyPj() && bound[1] >= unfused.latencyCycles()) {
            return true;
        }
        for (FusedStack f : costed) {
            if (bound[0] >= f.energyPj() && bound[1] >= f.latencyCycles()) {
                return true;
            }
        }
        return false;
    }

    static long macs(Baseline base, int first, int last) {
        long m = 0;
        for (int i = first; i <= last; i++) {
            m += base.macs()[i];
        }
        return m;
    }

    static NetworkSchedule.Totals unfused(Baseline base, int first, int last) {
        double e = 0;
        double l = 0;
        double d = 0;
        for (int i = first; i <= last; i++) {
            e += base.energy()[i];
            l += base.latency()[i];
            d += base.dramBytes()[i];
        }
        return new NetworkSchedule.Totals(e, l, d, last - first + 1);
    }

    /**
     * The tile sizes tried on the last output plane ({@code H x W}): full-width row bands of 1, 2, 4, ... rows (up to the
     * whole plane, one tile), square tiles of 2, 4, 8, ... narrower than the plane; every one in fully-recompute mode,
     * the bands also fully cached; each with the stack's weights read per tile and resident.
     */
    public static List<StackCost.Config> configs(StackShape s) {
        int height = s.lastWorkload().bound(LoopDim.OY);
        int width = s.lastWorkload().bound(LoopDim.OX);
        List<StackCost.Config> out = new ArrayList<>();
        for (boolean weights : new boolean[] {false, true}) {
            for (int r = 1; ; r *= 2) {
                int rows = Math.min(r, height);
                out.add(new StackCost.Config(rows, width, OverlapMode.RECOMPUTE, weights));
                if (rows < height) {
                    out.add(new StackCost.Config(rows, width, OverlapMode.CACHED, weights));
                }
                if (rows >= height) {
                    break;
                }
            }
            for (int t = 2; t < width && t < height; t *= 2) {
                out.add(new StackCost.Config(t, t, OverlapMode.RECOMPUTE, weights));
            }
        }
        return out;
    }
}
