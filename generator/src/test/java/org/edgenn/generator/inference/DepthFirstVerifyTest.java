package org.edgenn.generator.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.edgenn.generator.mapping.DslAccelerators;
import org.edgenn.generator.mapping.IrWorkloads;
import org.edgenn.generator.mapping.NetworkMapping;
import org.edgenn.generator.mapping.ScheduleMode;
import org.edgenn.generator.mapping.schedule.FusedStack;
import org.edgenn.generator.mapping.schedule.NetworkSchedule;
import org.edgenn.generator.mapping.table.JsonTable;
import org.edgenn.generator.mapping.table.JsonTableReader;
import org.edgenn.generator.pipeline.MapStage;
import org.edgenn.generator.training.LoweredExamples;
import org.edgenn.generator.verify.AccessCountCheck;
import org.edgenn.generator.verify.HardwareModels;
import org.edgenn.generator.verify.MappedCheck;
import org.edgenn.generator.verify.StackCheck;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.graph.Network;
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.edgenn.runtime.hw.FunctionalModel;
import org.edgenn.runtime.kernels.Backend;
import org.edgenn.runtime.net.Int8Network;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Check (b) of {@code edgenn build --schedule depth-first} as {@code Verification} runs it: a chain of convolutions
 * whose feature maps do not fit the buffer is mapped depth-first (the schedule chooses stacks), the passes outside
 * stacks are executed on their table mappings ({@link MappedCheck}) and every stack tile by tile
 * ({@link StackCheck}) on the generated network's recorded values, in the schedule's context (its residents); all
 * equal. A schedule whose stack claims another tile size than its nests were mapped for is a broken schedule.
 */
class DepthFirstVerifyTest {
    private static final String SOURCE = """
            package chain

            network Chain {
              input image: f32[4, 20, 20]
              label target: f32[4, 20, 20]
              let a = relu(conv2d(image, 4 -> 8, kernel=3, padding=1))
              let b = conv2d(a, 8 -> 4, kernel=3, padding=1) + image
              output b
              loss mse(b, target)
              compress {
                weights int8 per-channel
                activations int8
              }
            }
            """;

    private static final String TARGET = """
            accelerator Tight {
              mac int8 accumulator int32
              clock 400 MHz
              axis rows 4 unrolls K
              axis cols 4 unrolls C
              memory rf size 64 B per pe holds W, I, O read 0.03 pJ/B write 0.03 pJ/B
              memory gbuf size 2 KiB bandwidth 16 B/cycle holds W, I, O read 1.5 pJ/B write 1.8 pJ/B
              memory dram bandwidth 4 B/cycle holds W, I, O read 80 pJ/B write 80 pJ/B
            }
            """;

    @Test
    void stacksOfADepthFirstScheduleAreExecutedTileByTileAndEqualKernelsAndModel(@TempDir Path dir) throws Exception {
        Network net = LoweredExamples.text(dir, "chain.edgenn", SOURCE, "Chain");
        AcceleratorSpec a = DslAccelerators.parse(TARGET);
        MemoryHierarchy h = MemoryHierarchy.of(a);
        long t0 = System.nanoTime();
        MapStage.Result mapped = new MapStage(MapStage.Options.quick().withSchedule(ScheduleMode.DEPTH_FIRST, false))
                .run(MapStage.Input.on(net, a));
        assertTrue(mapped.ok(), () -> mapped.failure());
        NetworkMapping nm = mapped.mappings().get(0);
        System.out.println("mapped in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        assertFalse(nm.schedule().stacks().isEmpty(), "no stack chosen: the test would check nothing");

        Compiled c = Compiled.of(InferenceGenerator.generate(net));
        Path artifact = dir.resolve("Chain.safetensors");
        SyntheticArtifact.write(net, artifact, 7);
        Int8Network scalar = c.load(artifact, 1, Backend.SCALAR);
        byte[] in = new byte[scalar.inputBytes()];
        new Random(3).nextBytes(in);
        scalar.run(in, new byte[scalar.outputBytes()]);
        FunctionalModel model = HardwareModels.of(a);
        JsonTableReader.Table table = JsonTableReader.read(JsonTable.render(nm, "Chain", List.of()), h);

        List<AccessCountCheck.LayerResult> stacks = StackCheck.check(nm, IrWorkloads.graph(net, a), scalar.layers(), model,
                Long.MAX_VALUE);
        List<AccessCountCheck.LayerResult> results = StackCheck.merge(MappedCheck.check(scalar.layers(), IrWorkloads.of(net, a),
                h, table, model, Long.MAX_VALUE, (i, n, r) -> { }, StackCheck.stacked(nm)), stacks);
        String summary = results.stream().map(r -> r.layer() + " " + r.status() + " " + r.detail()).collect(Collectors.joining("\n"));
        assertEquals(List.of(), stacks.stream().filter(AccessCountCheck.LayerResult::failed).toList(), summary);
        assertEquals(List.of(), results.stream().filter(AccessCountCheck.LayerResult::failed).toList(), summary);
        assertEquals(nm.schedule().stacks().size(), stacks.size(), summary);
        long stacked = nm.schedule().stacks().stream().mapToLong(f -> f.layers().size()).sum();
        // every stacked pass's row carries its stack's outcome
        assertEquals(stacked, results.stream().filter(r -> r.detail().startsWith(StackCheck.IN_STACK)
                && r.detail().contains("tiles executed")).count(), summary);
        stacks.forEach(r -> assertTrue(r.detail().contains("all ") && r.detail().contains("tiles executed"), r.detail()));
        System.out.println(summary);

        // the same schedule with stacks claiming another tile height than their nests were mapped for
        List<FusedStack> wrong = new ArrayList<>();
        for (FusedStack f : nm.schedule().stacks()) {
            wrong.add(new FusedStack(f.layers(), f.first(), f.last(), f.tileRows() > 1 ? f.tileRows() - 1 : 2, f.tileCols(), f.mode(),
                    f.weightsResident(), f.tiles(), f.perLayer(), f.weightLoadBytes(), f.weightLoadEnergyPj(),
                    f.weightLoadCycles(), f.unfused(), f.unfusedMacs()));
        }
        NetworkSchedule s = nm.schedule();
        NetworkMapping broken = new NetworkMapping(nm.accelerator(), nm.objective(), nm.options(), nm.layers(), 0,
                new NetworkSchedule(s.budgetFraction(), s.passes(), s.residents(), s.layerByLayer(), wrong, true));
        List<AccessCountCheck.LayerResult> bad = StackCheck.check(broken, IrWorkloads.graph(net, a), scalar.layers(), model,
                Long.MAX_VALUE);
        assertTrue(bad.stream().anyMatch(AccessCountCheck.LayerResult::failed), bad.toString());
    }
}
