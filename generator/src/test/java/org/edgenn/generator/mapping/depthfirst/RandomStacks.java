package org.edgenn.generator.mapping.depthfirst;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.edgenn.generator.mapping.DslAccelerators;
import org.edgenn.generator.mapping.schedule.FusedStack;
import org.edgenn.generator.mapping.schedule.Fusion;
import org.edgenn.generator.mapping.schedule.NetworkSchedule;
import org.edgenn.generator.mapping.schedule.WorkloadGraph;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.runtime.cost.CostModel;
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.edgenn.runtime.cost.Workload;

/**
 * Random chains of convolutions and pooling with fused ReLUs, residual adds (of the chain's input, from outside a
 * stack, or of an intermediate, from inside) and random small accelerators, for the depth-first tests.
 */
final class RandomStacks {
    private RandomStacks() {
    }

    /** A random accelerator written in the language (per-PE registers, a shared buffer of random size, DRAM). */
    static AcceleratorSpec accelerator(Random r, int index) {
        String[] dims = {"K", "C", "OX"};
        String rows = dims[r.nextInt(2)];
        String cols = rows.equals("K") ? (r.nextBoolean() ? "C" : "OX") : "K";
        return DslAccelerators.randomSmall(r, index, rows, cols);
    }

    /**
     * A chain {@code x -> c0 -> relu -> c1 -> relu -> ...} of {@code depth} spatial layers on a small plane; a residual add
     * after the last layer reads {@code x} (outside) or an intermediate (inside) when the shapes allow.
     */
    static WorkloadGraph chain(Random r, int depth) {
        int n = 1;
        int channels = 1 + r.nextInt(3);
        int h = 5 + r.nextInt(6);
        int w = 5 + r.nextInt(6);
        List<WorkloadGraph.Layer> layers = new ArrayList<>();
        Map<String, WorkloadGraph.Tensor> tensors = new LinkedHashMap<>();
        tensors.put("x", new WorkloadGraph.Tensor("x", WorkloadGraph.Origin.BACKING_STORE, (long) n * channels * h * w, 8,
                false, false));
        String in = "x";
        List<String> sameShape = new ArrayList<>(List.of("x"));
        int c0 = channels;
        int h0 = h;
        int w0 = w;
        for (int i = 0; i < depth; i++) {
            boolean pool = i > 0 && r.nextInt(4) == 0;
            int f = pool ? 2 : (r.nextBoolean() ? 3 : 1 + 2 * r.nextInt(2));
            int s = pool ? 2 : (r.nextInt(4) == 0 ? 2 : 1);
            int p = pool || r.nextBoolean() ? 0 : (f - 1) / 2;
            int oy = (h + 2 * p - f) / s + 1;
            int ox = (w + 2 * p - f) / s + 1;
            if (oy < 1 || ox < 1) {
                break;
            }
            int k = pool ? channels : 1 + r.nextInt(4);
            String name = "c" + i;
            Workload wl = pool ? Workload.pool(name, n, channels, oy, ox, f, f, s, p, true, 8, 32)
                    : Workload.conv(name, n, k, channels, oy, ox, f, f, s, p, Workload.Precision.int8(32));
            List<String> weights = pool ? List.of() : List.of("weight:" + name);
            if (!pool) {
                tensors.put("weight:" + name, new WorkloadGraph.Tensor("weight:" + name, WorkloadGraph.Origin.BACKING_STORE,
                        (long) k * channels * f * f, 8, true, false));
            }
            String out = "t" + i;
            tensors.put(out, new WorkloadGraph.Tensor(out, WorkloadGraph.Origin.PRODUCED, (long) n * k * oy * ox, 8, false, false));
            layers.add(new WorkloadGraph.Layer(wl, List.of(in), weights, out));
            in = out;
            channels = k;
            h = oy;
            w = ox;
            if (r.nextBoolean()) {
                String relu = "r" + i;
                tensors.put(relu, new WorkloadGraph.Tensor(relu, WorkloadGraph.Origin.PRODUCED, (long) n * k * oy * ox, 8, false, false));
                layers.add(new WorkloadGraph.Layer(Workload.elementwise(relu, n, k, oy, ox, 8), List.of(in), List.of(), relu));
                in = relu;
            }
            if (i < depth - 1 && channels == c0 && h == h0 && w == w0) {
                sameShape.add(in);
            }
        }
        if (r.nextBoolean() && channels == c0 && h == h0 && w == w0) {
            String skip = sameShape.get(r.nextInt(sameShape.size()));
            if (!skip.equals(in)) {
                String add = "add";
                tensors.put(add, new WorkloadGraph.Tensor(add, WorkloadGraph.Origin.PRODUCED, (long) n * channels * h * w, 8, false, false));
                layers.add(new WorkloadGraph.Layer(Workload.elementwise(add, n, channels, h, w, 8), List.of(in, skip), List.of(), add));
                in = add;
            }
        }
        WorkloadGraph.Tensor last = tensors.get(in);
        tensors.put(in, new WorkloadGraph.Tensor(in, last.origin(), last.elements(), last.bits(), false, true));
        return new WorkloadGraph(layers, tensors);
    }

    /** One configuration of one candidate stack, costed in full on a random chain and accelerator. */
    record Costed(int trial, StackShape shape, StackCost.Config config, StackLayout layout, FusedStack full,
            StackCost.TileSearch search, StackCost.TileBound bound) {
        String where(long seed) {
            return "seed " + seed + " trial " + trial + " " + shape.first() + ".." + shape.last() + " " + config;
        }
    }

    /**
     * Every configuration of every candidate stack of {@code trials} random chains on random accelerators (drawn from
     * {@code r} in that order), with its layout and its full costing; configurations that do not fit are skipped.
     */
    static void forEachCosted(Random r, int trials, Consumer<Costed> visit) {
        for (int trial = 0; trial < trials; trial++) {
            AcceleratorSpec a = accelerator(r, trial);
            MemoryHierarchy h = MemoryHierarchy.of(a);
            WorkloadGraph g = chain(r, 2 + r.nextInt(3));
            List<Fusion.Group> groups = Fusion.groups(g, true);
            StackCost.Context ctx = new StackCost.Context(a, g, CostModel.DEFAULT_MAC_PJ, Map.of(), List.of(),
                    StackSearches.none(groups.size()));
            StackCost.TileSearch search = StackSearches.search(a);
            StackCost.TileBound bound = DepthFirst.tileBound(a, CostModel.DEFAULT_MAC_PJ, false);
            for (StackShape s : StackShape.candidates(groups, g, h, DepthFirst.MAX_DEPTH)) {
                for (StackCost.Config c : DepthFirst.configs(s)) {
                    StackLayout layout = StackLayout.of(s, c, ctx);
                    FusedStack full = StackCost.evaluate(s, c, ctx, search, new NetworkSchedule.Totals(0, 0, 0, 0), 0);
                    if (layout != null && full != null) {
                        visit.accept(new Costed(trial, s, c, layout, full, search, bound));
                    }
                }
            }
        }
    }
}
