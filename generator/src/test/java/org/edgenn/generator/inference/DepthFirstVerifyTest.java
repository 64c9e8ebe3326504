package org.edgenn.generator.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import org.edgenn.generator.verify.StackSchedule;
import org.edgenn.generator.verify.TableStacks;
import org.edgenn.generator.mapping.schedule.WorkloadGraph;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.runtime.net.Int8Layer;
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

    /** The fixture every test shares (mapping the chain and compiling its generated class are the slow part). */
    @TempDir
    static Path shared;
    private static Fixture fixture;

    private static synchronized Fixture fixture() throws Exception {
        if (fixture == null) {
            fixture = Fixture.of(shared);
        }
        return fixture;
    }

    @Test
    void stacksOfADepthFirstScheduleAreExecutedTileByTileAndEqualKernelsAndModel() throws Exception {
        Fixture fx = fixture();
        Network net = fx.net;
        AcceleratorSpec a = fx.a;
        MemoryHierarchy h = fx.h;
        NetworkMapping nm = fx.nm;
        FunctionalModel model = fx.model;
        JsonTableReader.Table table = JsonTableReader.read(JsonTable.render(nm, "Chain", List.of()), h);

        List<AccessCountCheck.LayerResult> stacks = StackCheck.check(nm, IrWorkloads.graph(net, a), fx.layers, model,
                Long.MAX_VALUE);
        List<AccessCountCheck.LayerResult> results = StackCheck.merge(MappedCheck.check(fx.layers, IrWorkloads.of(net, a),
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
        List<AccessCountCheck.LayerResult> bad = StackCheck.check(broken, IrWorkloads.graph(net, a), fx.layers, model,
                Long.MAX_VALUE);
        assertTrue(bad.stream().anyMatch(AccessCountCheck.LayerResult::failed), bad.toString());
    }

    /**
     * {@code edgenn verify --mapping}: the table written by {@code map} read back without the search's schedule, its
     * stacks rebuilt against the network ({@link TableStacks}) and executed: the same verdicts, word for word, as the
     * in-memory schedule's; a count changed by hand in a tile nest is a mismatch of the execution against the table.
     */
    @Test
    void stacksReadBackFromTheTableExecuteWithTheSameVerdicts() throws Exception {
        Fixture f = fixture();
        WorkloadGraph g = IrWorkloads.graph(f.net, f.a);
        String json = JsonTable.render(f.nm, "Chain", List.of());
        JsonTableReader.Table table = JsonTableReader.read(json, f.h);
        StackSchedule fromTable = TableStacks.of(table, g, f.a);
        assertEquals(f.nm.schedule().stacks().size(), fromTable.stacks().size());
        assertEquals(StackCheck.stacked(f.nm), fromTable.stacked());
        List<AccessCountCheck.LayerResult> built = StackCheck.check(f.nm, g, f.layers, f.model, Long.MAX_VALUE);
        List<AccessCountCheck.LayerResult> read = StackCheck.check(fromTable, f.a, g, f.layers, f.model, Long.MAX_VALUE);
        assertEquals(verdicts(built), verdicts(read));
        read.forEach(r -> assertEquals(AccessCountCheck.Status.MATCH, r.status(), r.detail()));
        // the same with the execution budget of a sampled run: the first tiles only, same verdicts
        assertEquals(verdicts(StackCheck.check(f.nm, g, f.layers, f.model, 1)),
                verdicts(StackCheck.check(fromTable, f.a, g, f.layers, f.model, 1)));

        // a tile nest's count edited by hand: the execution observes the mapping's, not the table's
        ObjectNode edited = (ObjectNode) JSON.readTree(json);
        ObjectNode row = (ObjectNode) nest(edited, 0, 0, 0).get("memories").get(0);
        row.put("reads", row.get("reads").asLong() + 1);
        List<AccessCountCheck.LayerResult> bad = StackCheck.check(TableStacks.of(JsonTableReader.read(edited.toString(), f.h), g,
                f.a), f.a, g, f.layers, f.model, Long.MAX_VALUE);
        assertEquals(AccessCountCheck.Status.MISMATCH, bad.get(0).status(), bad.get(0).detail());
        assertTrue(bad.get(0).detail().contains(row.get("memory").asText() + " " + row.get("operand").asText() + " reads"),
                bad.get(0).detail());
    }

    /** Tables whose stacks are not the network's: a typed error naming the stack, the pass and what is wrong. */
    @Test
    void handEditedStacksAreTypedErrorsSayingWhatIsWrong() throws Exception {
        Fixture f = fixture();
        WorkloadGraph g = IrWorkloads.graph(f.net, f.a);
        JsonNode json = JSON.readTree(JsonTable.render(f.nm, "Chain", List.of()));
        ObjectNode stack = (ObjectNode) json.get("schedule").get("depthFirst").get("stacks").get(0);
        int rows = stack.get("tileRows").asInt();
        int cols = stack.get("tileCols").asInt();
        List<String> passes = new ArrayList<>();
        stack.get("passes").forEach(p -> passes.add(p.asText()));

        assertRefused(f, g, json, s -> s.put("tileRows", rows == 1 ? 2 : rows - 1), "tiles in the table");
        assertRefused(f, g, json, s -> {
            int other = rows == 1 ? 2 : rows - 1;
            int height = f.nm.layers().get(f.nm.schedule().stacks().get(0).last()).workload().bound(LoopDim.OY);
            int width = f.nm.layers().get(f.nm.schedule().stacks().get(0).last()).workload().bound(LoopDim.OX);
            s.put("tileRows", other);
            s.put("tiles", ((height + other - 1) / other) * ((width + cols - 1) / cols));
        }, "no tile nest for the");
        assertRefused(f, g, json, s -> ((ArrayNode) s.get("layers").get(0).get("tileNests")).remove(0), "no tile nest for the");
        assertRefused(f, g, json, s -> ((ObjectNode) s.get("layers").get(0).get("tileNests").get(0)).put("count", 1_000_000),
                "times in the table");
        assertRefused(f, g, json, s -> s.putArray("passes").add(passes.get(0)), "at least 2 passes");
        assertRefused(f, g, json, s -> s.putArray("passes").add(passes.get(1)).add(passes.get(0)), "not consecutive");
        assertRefused(f, g, json, s -> s.putArray("passes").add(passes.get(0)).add("nonesuch"), "nonesuch is not a pass");
        assertRefused(f, g, json, s -> s.put("overlap", "half-cached"), "unknown overlap 'half-cached'");
        assertRefused(f, g, json, s -> s.put("tileCols", cols + 1), "no " + rows + "x" + (cols + 1));
        assertRefused(f, g, json, s -> ((ArrayNode) s.get("layers").get(1).get("resident")).removeAll(), "resident [] in the table");
        // the nest's buffer taken by the reservation: the mapping's tiles no longer fit, or nothing is left at all
        long gbuf = (long) f.a.memories().get(1).sizeBytes();
        assertRefused(f, g, json, s -> ((ObjectNode) s.get("layers").get(0).get("reservedBytes")).put("gbuf", gbuf - 1),
                "does not fit the memories the stack leaves it");
        assertRefused(f, g, json, s -> ((ObjectNode) s.get("layers").get(0).get("reservedBytes")).put("gbuf", gbuf),
                "leave a memory nothing");
        assertRefused(f, g, json, s -> ((ObjectNode) s.get("layers").get(0).get("tileNests").get(0)).remove("temporal"),
                "map the network again");
    }

    private static void assertRefused(Fixture f, WorkloadGraph g, JsonNode json, java.util.function.Consumer<ObjectNode> edit,
                                      String message) throws Exception {
        ObjectNode copy = json.deepCopy();
        edit.accept((ObjectNode) copy.get("schedule").get("depthFirst").get("stacks").get(0));
        JsonTableReader.TableException e = assertThrows(JsonTableReader.TableException.class,
                () -> TableStacks.of(JsonTableReader.read(copy.toString(), f.h), g, f.a));
        assertTrue(e.getMessage().contains(message), () -> "expected '" + message + "' in: " + e.getMessage());
        assertTrue(e.getMessage().startsWith("stack "), e.getMessage());
    }

    private static JsonNode nest(JsonNode table, int stack, int pass, int nest) {
        return table.get("schedule").get("depthFirst").get("stacks").get(stack).get("layers").get(pass).get("tileNests").get(nest);
    }

    private static List<String> verdicts(List<AccessCountCheck.LayerResult> rs) {
        return rs.stream().map(r -> r.layer() + " " + r.status() + " " + r.detail()).toList();
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The chain mapped depth-first on the tight buffer, its generated network run once on random bytes. */
    private record Fixture(Network net, AcceleratorSpec a, MemoryHierarchy h, NetworkMapping nm, List<Int8Layer> layers,
                           FunctionalModel model) {
        static Fixture of(Path dir) throws Exception {
            Network net = LoweredExamples.text(dir, "chain.edgenn", SOURCE, "Chain");
            AcceleratorSpec a = DslAccelerators.parse(TARGET);
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
            return new Fixture(net, a, MemoryHierarchy.of(a), nm, scalar.layers(), HardwareModels.of(a));
        }
    }
}
