package org.edgenn.generator.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.edgenn.generator.mapping.IrWorkloads;
import org.edgenn.generator.mapping.depthfirst.DepthFirst;
import org.edgenn.generator.mapping.depthfirst.OverlapMode;
import org.edgenn.generator.mapping.depthfirst.StackCost;
import org.edgenn.generator.mapping.depthfirst.StackSearches;
import org.edgenn.generator.mapping.depthfirst.StackShape;
import org.edgenn.generator.mapping.schedule.FusedStack;
import org.edgenn.generator.mapping.schedule.Fusion;
import org.edgenn.generator.mapping.schedule.NetworkSchedule;
import org.edgenn.generator.mapping.schedule.WorkloadGraph;
import org.edgenn.generator.training.LoweredExamples;
import org.edgenn.generator.verify.HardwareModels;
import org.edgenn.generator.verify.StackCheck;
import org.edgenn.generator.verify.StackExecution;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.accel.Operand;
import org.edgenn.ir.graph.Network;
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.edgenn.runtime.net.Int8Layer;

/**
 * For {@link MappedExamplesTest}: the depth-first stacks of two examples executed by the hardware model on the generated network's recorded values
 * ({@link StackExecution}): the CSC denoiser's {@code B_k, A_{k+1}, B_{k+1}} on Tiny16 and a ResNet-18 block pair (its
 * two 3x3 convolutions, the residual add and ReLUs fused) on TpuLike, in both overlap modes, each on its first tiles
 * within a budget of MAC slots (CI time): the values every pass computed equal the scalar kernels', the accesses,
 * MACs with recomputed halos and backing-store bytes equal the stack model's for those tiles' nests, the
 * intermediates' on-chip bytes stay within the model's. On the network {@link MappedExamplesTest} ran (its
 * synthetic artifact, its recorded values).
 */
final class StackSamples {
    /** MAC slots executed per stack at most (the first tile always). */
    private static final long LIMIT = 3_200_000;

    private StackSamples() {
    }

    /** Which stack of a network and what to execute of it. */
    record Case(String description, Predicate<List<String>> which, List<StackCost.Config> configs, int tiles) {
        @Override
        public String toString() {
            return description;
        }
    }

    /** B_k (1 -> 64), A_{k+1} (64 -> 1), B_{k+1}: three 7x7 convolutions on 64x64, fully cached 1-row bands. */
    static Case csc() {
        return new Case("stack B, A, B", names -> names.size() == 3 && names.get(0).startsWith("B")
                && names.get(1).startsWith("A") && names.get(2).startsWith("B"),
                List.of(new StackCost.Config(1, 64, OverlapMode.CACHED, false)), 2);
    }

    /**
     * The first residual block's two 3x3 convolutions (64 -> 64 on 56x56; the add and ReLUs fused), fully recomputed
     * 2x2 tiles with weights resident (fully cached bands take 6 M MACs for the first band alone: the random chains and
     * the denoiser cover cached bands).
     */
    static Case resnet() {
        return new Case("stack b1a, b1", names -> names.size() == 2 && names.get(0).startsWith("b1a"),
                List.of(new StackCost.Config(2, 2, OverlapMode.RECOMPUTE, true)), 2);
    }

    /** Executes the case's stack of {@code net} on {@code a}; {@code layers}: the generated layers after a run. */
    static void check(Network net, AcceleratorSpec a, List<Int8Layer> generated, Case c) {
        MemoryHierarchy h = MemoryHierarchy.of(a);
        WorkloadGraph g = IrWorkloads.graph(net, a);
        List<Fusion.Group> groups = Fusion.groups(g, true);
        List<StackShape> candidates = StackShape.candidates(groups, g, h, DepthFirst.MAX_DEPTH);
        StackShape s = candidates.stream().filter(x -> c.which().test(x.passes().stream().map(p -> p.group().name()).toList()))
                .findFirst().orElse(null);
        assertNotNull(s, "no " + c + " in " + net.name() + ": " + candidates.stream().map(StackShape::name).toList());
        StackCost.Context ctx = new StackCost.Context(a, g, a.macEnergyPjOr(0.3), Map.of(), List.of(), StackSearches.none(groups.size()));
        Map<String, Int8Layer> layers = new HashMap<>();
        generated.forEach(l -> layers.putIfAbsent(l.name(), l));
        for (StackCost.Config config : c.configs()) {
            FusedStack f = StackCost.evaluate(s, config, ctx, StackSearches.search(a), new NetworkSchedule.Totals(0, 0, 0, 0), 0);
            assertNotNull(f, s.name() + " " + config + " does not fit " + a.name());
            long start = System.nanoTime();
            StackExecution.Result x = StackExecution.execute(s, f, a, layers, HardwareModels.of(a), Map.of(), StackSearches.none(s.size()),
                    LIMIT, c.tiles());
            long ms = (System.nanoTime() - start) / 1_000_000;
            String where = net.name() + " " + s.name() + " " + config + ", " + x.executed() + " of " + x.tiles() + " tiles";
            assertNull(StackCheck.valuesDifference(x, layers), where);
            assertNull(StackCheck.difference(s, f, x, h), where);
            assertEquals(c.tiles(), x.executed(), where);
            long again = x.values().stream().mapToLong(StackExecution.Values::recomputed).sum();
            if (config.mode() == OverlapMode.CACHED) {
                assertEquals(0, again, where + ": a cached row computed twice");
            } else {
                assertTrue(again > 0, where + ": neighbouring tiles' halos were not recomputed");
            }
            System.out.println(where + ": " + x.macs() + " MACs (" + again + " positions recomputed), " + ms + " ms");
        }
    }


}
