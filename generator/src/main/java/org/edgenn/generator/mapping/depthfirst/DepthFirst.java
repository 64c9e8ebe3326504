package org.edgenn.generator.mapping.depthfirst;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleBinaryOperator;
import org.edgenn.generator.mapping.schedule.FusedStack;
import org.edgenn.generator.mapping.schedule.Fusion;
import org.edgenn.generator.mapping.schedule.NetworkSchedule;
import org.edgenn.generator.mapping.search.NestBound;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.runtime.cost.CostModel;
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

    /**
     * The stacks chosen, the candidate stack shapes' count, every (stack, configuration) costed that gains on its
     * passes unfused, and how many configurations could gain by their bound ({@code bounded}) and were searched
     * ({@code costed}, some stopped early).
     */
    public record Result(List<FusedStack> chosen, int candidates, List<FusedStack> evaluated, int bounded, int costed) {
    }

    /**
     * The stacks to run, with the tile nests bounded by their MACs alone (no bound of their memory traffic: every
     * configuration that might help is searched).
     */
    public static Result plan(List<Fusion.Group> groups, MemoryHierarchy h, StackCost.Context ctx, Baseline base,
                              StackCost.TileSearch search, DoubleBinaryOperator objective) {
        return plan(groups, h, ctx, base, search, macBound(ctx), objective);
    }

    /**
     * The stacks to run, by branch and bound over every (stack, configuration): each is first bounded without a search
     * ({@link StackLayout#bound}: its tile nests at {@code bound}, the rest exact), and so is the network it could be
     * part of (the passes outside it at the least any cover of them can cost: each pass as it is, or any configuration
     * still in the running at its bound, or at its cost once costed; the objective grows with energy and latency). The
     * configuration of least network bound is costed next, the bounds taken again after each (costs replace bounds,
     * configurations that cannot be in a better network leave the covers); once the least exceeds the best network found
     * so far (the dynamic program over the stacks costed), every one left is skipped; a search stops as soon as the
     * nests searched so far, at their cost, push its network's bound over it. The result is the optimum of
     * {@link StackChoice} over every configuration, as costing them all would give (up to equal-valued choices): only
     * configurations that cannot reach it are left out.
     */
    public static Result plan(List<Fusion.Group> groups, MemoryHierarchy h, StackCost.Context ctx, Baseline base,
                              StackCost.TileSearch search, StackCost.TileBound bound, DoubleBinaryOperator objective) {
        List<Option> options = new ArrayList<>();
        int shapes = 0;
        for (StackShape s : StackShape.candidates(groups, ctx.graph(), h, MAX_DEPTH)) {
            shapes++;
            NetworkSchedule.Totals unfused = unfused(base, s.first(), s.last());
            for (StackCost.Config c : configs(s)) {
                StackLayout layout = StackLayout.of(s, c, ctx);
                if (layout == null) {
                    continue;
                }
                double[] least = layout.bound(layout.nestBounds(bound));
                if (cannotGain(unfused).hopeless(least[0], least[1])) {
                    continue; // it could not gain (below) on the passes unfused
                }
                options.add(new Option(layout, least, unfused, options.size()));
            }
        }
        List<FusedStack> evaluated = new ArrayList<>();
        double best = StackChoice.value(List.of(), base.energy(), base.latency(), base.fixedEnergy(), base.fixedLatency(),
                objective);
        int costed = 0;
        while (true) {
            double limit = best * (1 + 1e-9); // a bound above it by more than rounding: strictly worse
            Covers covers = new Covers(base, options);
            Option next = null;
            for (Option o : options) {
                if (o.state == State.PENDING) {
                    o.network = covers.network(o.first(), o.last(), o.cover[0], o.cover[1], objective);
                    if (next == null || o.network < next.network || o.network == next.network && o.rank < next.rank) {
                        next = o;
                    }
                }
            }
            if (next == null || next.network > limit) {
                break; // every configuration left is in no network better than the best found
            }
            Option o = next;
            costed++;
            StackCost.Cutoff gain = cannotGain(o.unfused);
            StackCost.Cutoff cutoff = (e, l) -> gain.hopeless(e, l) || covers.network(o.first(), o.last(), e, l, objective) > limit;
            FusedStack f = StackCost.evaluate(o.layout, search, bound, cutoff, o.unfused, macs(base, o.first(), o.last()));
            if (f != null && gains(f, o.unfused)) {
                evaluated.add(f);
                o.state = State.COSTED;
                o.cover = new double[] {f.energyPj(), f.latencyCycles()};
                best = Math.min(best, StackChoice.value(StackChoice.choose(base.energy(), base.latency(), evaluated,
                        base.fixedEnergy(), base.fixedLatency(), objective), base.energy(), base.latency(),
                        base.fixedEnergy(), base.fixedLatency(), objective));
            } else {
                // it does not fit, gains nothing on its passes unfused, or was stopped: every network running it is no
                // better than the best found (stopped: worse than the limit then, which only went down since), so the
                // bounds of the others need not count it
                o.state = State.OUT;
            }
        }
        List<FusedStack> chosen = StackChoice.choose(base.energy(), base.latency(), evaluated, base.fixedEnergy(),
                base.fixedLatency(), objective);
        return new Result(chosen, shapes, evaluated, options.size(), costed);
    }

    /** Where a configuration stands: to cost, costed (and gaining), or in no network better than the best found. */
    private enum State { PENDING, COSTED, OUT }

    /**
     * A configuration of a stack that might gain: what it costs at least ({@code cover}: its bound, its cost once
     * costed) and its network's bound.
     */
    private static final class Option {
        final StackLayout layout;
        final NetworkSchedule.Totals unfused;
        final int rank;
        double[] cover;
        State state = State.PENDING;
        double network;

        Option(StackLayout layout, double[] least, NetworkSchedule.Totals unfused, int rank) {
            this.layout = layout;
            this.cover = least;
            this.unfused = unfused;
            this.rank = rank;
        }

        int first() {
            return layout.shape().first();
        }

        int last() {
            return layout.shape().last();
        }
    }

    /**
     * The least energy and the least latency (each on its own) of covering the passes before and after an interval:
     * every pass as it is, or any stack's configuration still in the running at its bound, or its cost once costed.
     */
    private static final class Covers {
        private final double[][] before; // [0]: energy, [1]: latency of passes 0..i-1
        private final double[][] after;  // of passes i..n-1
        private final double fixedEnergy;
        private final double fixedLatency;

        Covers(Baseline base, List<Option> options) {
            int n = base.energy().length;
            double[][] cost = {base.energy(), base.latency()};
            before = new double[2][n + 1];
            after = new double[2][n + 1];
            for (int k = 0; k < 2; k++) {
                // stacks by last pass (for the prefix) and by first pass (for the suffix); intervals are short
                for (int i = 1; i <= n; i++) {
                    before[k][i] = before[k][i - 1] + cost[k][i - 1];
                    for (Option o : options) {
                        if (o.last() == i - 1 && o.state != State.OUT) {
                            before[k][i] = Math.min(before[k][i], before[k][o.first()] + o.cover[k]);
                        }
                    }
                }
                for (int i = n - 1; i >= 0; i--) {
                    after[k][i] = after[k][i + 1] + cost[k][i];
                    for (Option o : options) {
                        if (o.first() == i && o.state != State.OUT) {
                            after[k][i] = Math.min(after[k][i], after[k][o.last() + 1] + o.cover[k]);
                        }
                    }
                }
            }
            fixedEnergy = base.fixedEnergy();
            fixedLatency = base.fixedLatency();
        }

        /** The least objective of a network running passes {@code first..last} at {@code energy}/{@code latency}. */
        double network(int first, int last, double energy, double latency, DoubleBinaryOperator objective) {
            return objective.applyAsDouble(before[0][first] + energy + after[0][last + 1] + fixedEnergy,
                    before[1][first] + latency + after[1][last + 1] + fixedLatency);
        }
    }

    /**
     * Tile nests bounded under the layer search's cost model ({@link NestBound}: its MAC energy, ZigZag's energy rules
     * when it uses them, the nest's resident operands), each (nest, residents) computed once.
     */
    public static StackCost.TileBound tileBound(AcceleratorSpec a, double macPj, boolean zigzagRules) {
        MemoryHierarchy h = MemoryHierarchy.of(a);
        Map<String, double[]> cache = new HashMap<>();
        return (tile, resident) -> cache.computeIfAbsent(tile.shapeKey() + "|" + resident, k -> NestBound.of(tile,
                new CostModel(h, macPj).withZigZagRules(zigzagRules).withResident(resident)));
    }

    /** Tile nests bounded by their MACs alone: one MAC's energy each, every PE doing at most one per cycle. */
    static StackCost.TileBound macBound(StackCost.Context ctx) {
        int pes = ctx.accelerator().peCount();
        return (tile, resident) -> {
            var sparse = ctx.accelerator().sparse().appliesTo(tile.weightDensity());
            double macs = tile.macs();
            return new double[] {macs * ctx.macPj() * sparse.energyFraction(tile.weightDensity()),
                    Math.ceil(macs * sparse.cycleFraction(tile.weightDensity()) / pes)};
        };
    }

    /**
     * Stops a costing once the stack is known to cost at least its passes unfused in both energy and latency (by
     * {@link #gains}' margin): costed in full it would not gain and would be dropped, exactly as a stopped one is, so
     * the plan is the same (TpuLike: a sixth of the stack search went to configurations that ended that way).
     */
    static StackCost.Cutoff cannotGain(NetworkSchedule.Totals unfused) {
        return (e, l) -> e >= unfused.energyPj() * (1 - 1e-9) && l >= unfused.latencyCycles() * (1 - 1e-9);
    }

    /**
     * Whether the stack is better than its passes unfused in energy or latency by more than rounding: a stack with the
     * whole plane as one tile can cost exactly what the passes with their intermediates resident cost, and a sum taken
     * in another order must not make it win.
     */
    static boolean gains(FusedStack f, NetworkSchedule.Totals unfused) {
        return f.energyPj() < unfused.energyPj() * (1 - 1e-9) || f.latencyCycles() < unfused.latencyCycles() * (1 - 1e-9);
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
     * the bands also fully cached, the squares also h-cached-v-recompute; each with the stack's weights read per tile
     * and resident.
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
                out.add(new StackCost.Config(t, t, OverlapMode.H_CACHED, weights));
            }
        }
        return out;
    }
}
