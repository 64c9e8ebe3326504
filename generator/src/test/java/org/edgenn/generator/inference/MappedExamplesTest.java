package org.edgenn.generator.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.edgenn.generator.mapping.IrWorkloads;
import org.edgenn.generator.mapping.ScheduleMode;
import org.edgenn.generator.mapping.table.JsonTable;
import org.edgenn.generator.mapping.table.JsonTableReader;
import org.edgenn.generator.pipeline.MapStage;
import org.edgenn.generator.training.LoweredExamples;
import org.edgenn.generator.verify.AccessCountCheck;
import org.edgenn.generator.verify.HardwareModels;
import org.edgenn.generator.verify.MappedCheck;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.graph.Network;
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.edgenn.runtime.kernels.Backend;
import org.edgenn.runtime.net.Int8Network;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example network on a reference target: the mapper's chosen mapping of every layer, executed by the hardware
 * model ({@code MappedCheck}, as {@code edgenn verify} runs it), gives the scalar kernels' bytes and the mapping
 * table's access counts. Synthetic artifacts (as {@link ExamplesInferenceTest}), one example. Layers whose schedule
 * exceeds the test's execution budget are executed on a sample of their outputs (and say so), or reported as too
 * large, never passed. On the CSC denoiser and ResNet-18 a depth-first stack is executed too ({@link StackSamples}).
 */
class MappedExamplesTest {
    /** MAC slots executed per layer at most in this test (the build's default is higher). */
    private static final long LIMIT = 4_000_000;
    /** ResNet-18's 1.8 G MACs: every layer executed on a sample of its outputs, a smaller one to keep CI short. */
    private static final long RESNET_LIMIT = 400_000;

    static Stream<Arguments> networks() {
        ScheduleMode net = ScheduleMode.NETWORK, layers = ScheduleMode.LAYER_BY_LAYER;
        // the network schedule (the default) keeps tied weights and states resident and fuses element-wise layers into
        // their producers; layer by layer every element-wise layer and pooling is a mapped pass of its own
        return Stream.of(Arguments.of("lista/lista.edgenn", "Lista", "targets/tiny16.edgenn", "Tiny16", layers, LIMIT, null),
                Arguments.of("denoise/unrolled_gradient.edgenn", "UnrolledGradient", "targets/tiny16.edgenn", "Tiny16", layers, LIMIT, null),
                Arguments.of("fmnist/fashion_cnn.edgenn", "FashionCnn", "targets/tiny16.edgenn", "Tiny16", net, LIMIT, null),
                Arguments.of("fmnist/fashion_cnn.edgenn", "FashionTiny", "targets/eyeriss.edgenn", "EyerissLike", layers, LIMIT, null),
                Arguments.of("alista/alista.edgenn", "Alista", "targets/tpu.edgenn", "TpuLike", net, LIMIT, null),
                Arguments.of("lista/lista_mixed.edgenn", "ListaMixed", "targets/tiny16.edgenn", "Tiny16", net, LIMIT, null),
                Arguments.of("lista/lista_mixed.edgenn", "ListaMixed16", "targets/tiny16.edgenn", "Tiny16x16", layers, LIMIT, null),
                // 218 M MACs, 41 layers: larger layers are executed on a sample of their outputs
                Arguments.of("denoise/csc_denoiser.edgenn", "CscDenoiser", "targets/tiny16.edgenn", "Tiny16", net, LIMIT, StackSamples.csc()),
                Arguments.of("sr/espcn.edgenn", "Espcn", "targets/tpu.edgenn", "TpuLike", layers, LIMIT, null),
                // adds and ReLUs fused into the convolutions, late feature maps resident
                Arguments.of("resnet/resnet18.edgenn", "ResNet18", "targets/tpu.edgenn", "TpuLike", net, RESNET_LIMIT, StackSamples.resnet()));
    }

    @ParameterizedTest(name = "{1} on {3}, {4}")
    @MethodSource("networks")
    void mappedScheduleGivesTheKernelsBytesAndTheTablesCounts(String file, String name, String targetFile, String target,
                                                             ScheduleMode schedule, long limit, StackSamples.Case stack,
                                                             @TempDir Path dir) throws Exception {
        Network net = LoweredExamples.network(file, name);
        AcceleratorSpec accel = LoweredExamples.program(targetFile).accelerator(target).orElseThrow();
        MapStage.Result mapped = new MapStage(MapStage.Options.quick().withSchedule(schedule, false)).run(MapStage.Input.on(net, accel));
        assertTrue(mapped.ok(), () -> mapped.failure());
        MemoryHierarchy h = MemoryHierarchy.of(accel);
        JsonTableReader.Table table = JsonTableReader.read(JsonTable.render(mapped.mappings().get(0), name, List.of()), h);
        Compiled c = Compiled.of(InferenceGenerator.generate(net));
        Path artifact = dir.resolve(name + ".safetensors");
        SyntheticArtifact.write(net, artifact, 42);
        Int8Network scalar = c.load(artifact, 1, Backend.SCALAR);
        byte[] in = new byte[scalar.inputBytes()];
        new Random(5).nextBytes(in);
        scalar.run(in, new byte[scalar.outputBytes()]);
        long start = System.nanoTime();
        List<AccessCountCheck.LayerResult> results = MappedCheck.check(scalar.layers(), IrWorkloads.of(net, accel), h, table,
                HardwareModels.of(accel), limit, (i, n, r) -> { });
        long nanos = System.nanoTime() - start;
        List<AccessCountCheck.LayerResult> failed = results.stream().filter(AccessCountCheck.LayerResult::failed).toList();
        assertEquals(List.of(), failed, name);
        long executed = results.stream().filter(r -> r.status() == AccessCountCheck.Status.MATCH
                && (r.detail().isEmpty() || r.detail().startsWith(MappedCheck.SAMPLED))).count();
        long sampledLayers = results.stream().filter(r -> r.detail().startsWith(MappedCheck.SAMPLED)).count();
        long macLayers = scalar.layers().stream().filter(l -> l instanceof org.edgenn.runtime.net.Int8Layer.Mac).count();
        String summary = results.stream().map(r -> r.layer() + " " + r.status() + " " + r.detail()).collect(Collectors.joining("\n"));
        // every generated MAC layer is executed (whole or sampled), or said to be too large
        long skipped = results.stream().filter(r -> r.status() == AccessCountCheck.Status.SKIPPED).count();
        assertTrue(executed + skipped >= macLayers, summary);
        assertTrue(executed > 0, summary);
        results.stream().filter(r -> r.status() == AccessCountCheck.Status.SKIPPED)
                .forEach(r -> assertTrue(r.detail().contains("> limit " + limit), r.detail()));
        if (schedule == ScheduleMode.LAYER_BY_LAYER) {
            // every generated layer with a loop nest of its own is executed: element-wise passes and pooling too
            long own = results.stream().filter(r -> scalar.layers().stream().anyMatch(l -> l.name().equals(r.layer()))).count();
            assertEquals(own, executed + skipped, summary);
        }
        if (stack != null) {
            // a depth-first stack of the same network executed tile by tile on the same recorded values
            StackSamples.check(net, accel, scalar.layers(), stack);
        }
        System.out.println(name + " on " + target + ", " + schedule + ": " + executed + " executed (" + sampledLayers + " sampled), " + skipped + " too large, "
                + (results.size() - executed - skipped) + " counts only, " + nanos / 1_000_000 + " ms");
    }
}
