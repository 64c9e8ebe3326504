package org.edgenn.generator.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.edgenn.generator.training.LoweredExamples;
import org.edgenn.ir.graph.Network;
import org.edgenn.runtime.hw.AcceleratorArithmetic;
import org.edgenn.runtime.hw.FunctionalModel;
import org.edgenn.runtime.kernels.Backend;
import org.edgenn.runtime.kernels.KernelBackend;
import org.edgenn.runtime.net.Int8Network;
import org.edgenn.runtime.hw.LayerCheck;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example network: the generated class compiles with runtime-core alone on its imports, and with a synthetic
 * artifact the Vector API kernels give the scalar reference's bytes in every layer, and every layer and the whole
 * chain equal the hardware functional model.
 */
class ExamplesInferenceTest {
    private static final FunctionalModel MODEL = new FunctionalModel(AcceleratorArithmetic.int32("int32"));
    private static final FunctionalModel MODEL16 = new FunctionalModel(new AcceleratorArithmetic("int16x32", 16, 32,
            org.edgenn.runtime.quant.RequantMode.DOUBLE_ROUNDING));

    static Stream<Arguments> networks() {
        return Stream.of(Arguments.of("lista/lista.edgenn", "Lista", true),
                Arguments.of("denoise/csc_denoiser.edgenn", "CscDenoiser", true),
                Arguments.of("denoise/unrolled_gradient.edgenn", "UnrolledGradient", true),
                Arguments.of("fmnist/fashion_cnn.edgenn", "FashionCnn", true),
                Arguments.of("fmnist/fashion_cnn.edgenn", "FashionTiny", true),
                Arguments.of("sr/espcn.edgenn", "Espcn", true),
                Arguments.of("resnet/resnet18.edgenn", "ResNet18", false),
                Arguments.of("alista/alista.edgenn", "Alista", true),
                // int4 S_k unpacked from the packed artifact into the int8 paths
                Arguments.of("lista/lista_mixed.edgenn", "ListaMixed", true),
                // int4 S_k, 2:4 pruned, and a 16-bit state: int16 x int4 dense layers, 16-bit adds and soft thresholds
                Arguments.of("lista/lista_mixed.edgenn", "ListaMixed16", true),
                // ALISTA with a 16-bit state, A x and residual: 16-bit support selection, int16 x int8 dense layers
                Arguments.of("alista/alista16.edgenn", "Alista16", true));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("networks")
    void generatedClassCompilesAndEqualsTheHardwareModel(String file, String name, boolean run, @TempDir Path dir) throws Exception {
        Network net = LoweredExamples.network(file, name);
        GeneratedInference g = InferenceGenerator.generate(net);
        Path copy = Path.of("target/generated-inference-sources").resolve(g.relativePath());
        Files.createDirectories(copy.getParent());
        Files.writeString(copy, g.source());
        for (String line : g.source().lines().filter(l -> l.startsWith("import ")).toList()) {
            assertTrue(line.startsWith("import java.") || line.startsWith("import org.edgenn.runtime."), name + ": " + line);
        }
        assertFalse(g.source().contains("org.eclipse") || g.source().contains("org.nd4j"), name + " mentions Xtext/EMF/ND4J");
        Compiled c = Compiled.of(g);
        assertEquals(Int8Network.class, c.type().getInterfaces()[0]);
        if (!run) {
            return;
        }
        Path artifact = dir.resolve(name + ".safetensors");
        SyntheticArtifact.write(net, artifact, 42);
        int batch = name.equals("CscDenoiser") ? 1 : 2;   // two samples exercise the batch layout; the denoiser is 218 M MACs each
        Int8Network scalar = c.load(artifact, batch, Backend.SCALAR);
        byte[] in = new byte[scalar.batch() * scalar.inputBytes()];
        new Random(5).nextBytes(in);
        byte[] out = new byte[scalar.batch() * scalar.outputBytes()];
        scalar.run(in, out);
        Int8Network checked = scalar;
        if (KernelBackend.isAvailable(Backend.VECTOR)) {
            // the vector kernels give the scalar reference's bytes in every layer, so checking one against the model checks both
            Int8Network vector = c.load(artifact, batch, Backend.VECTOR);
            byte[] vout = new byte[out.length];
            vector.run(in, vout);
            for (int i = 0; i < scalar.layers().size(); i++) {
                assertArrayEquals(scalar.layers().get(i).output(), vector.layers().get(i).output(),
                        name + ": layer " + scalar.layers().get(i).name() + " differs between SCALAR and VECTOR");
            }
            assertArrayEquals(out, vout, name + ": SCALAR and VECTOR outputs differ");
            checked = vector;
        }
        if (KernelBackend.isAvailable(Backend.NATIVE)) {
            // the native family (oneDNN accumulators, Java requantization) on the same artifact, layer by layer
            Int8Network nat = c.load(artifact, batch, Backend.NATIVE);
            byte[] nout = new byte[out.length];
            nat.run(in, nout);
            for (int i = 0; i < scalar.layers().size(); i++) {
                assertArrayEquals(scalar.layers().get(i).output(), nat.layers().get(i).output(),
                        name + ": layer " + scalar.layers().get(i).name() + " differs between SCALAR and NATIVE");
            }
            assertArrayEquals(out, nout, name + ": SCALAR and NATIVE outputs differ");
        }
        // a network with 16-bit activations runs on an accelerator whose MACs take 16-bit operands (Tiny16x16's int16)
        boolean wide = checked.layers().stream().anyMatch(l -> l.outputBits() > 8);
        LayerCheck.Report report = LayerCheck.check(checked, wide ? MODEL16 : MODEL);
        assertTrue(report.ok(), name + ": " + (report.ok() ? "" : report.firstFailure().message()));
        assertEquals(checked.layers().size(), report.layers().size());
    }

    static Stream<Arguments> warmNetworks() {
        // CscDenoiser and Espcn take too long to warm for a unit test.
        List<Arguments> cases = new ArrayList<>();
        for (Backend backend : Backend.values()) {
            if (!KernelBackend.isAvailable(backend)) continue;
            cases.add(Arguments.of("lista/lista.edgenn", "Lista", backend));
            cases.add(Arguments.of("denoise/unrolled_gradient.edgenn", "UnrolledGradient", backend));
            cases.add(Arguments.of("fmnist/fashion_cnn.edgenn", "FashionCnn", backend));
            cases.add(Arguments.of("fmnist/fashion_cnn.edgenn", "FashionTiny", backend));
        }
        return cases.stream();
    }

    /**
     * Once warm, an inference allocates nothing, on every backend. The Vector API's Java fallbacks allocate until C2 has
     * compiled the vector leaves (docs/runtime-core.md, "Warm-up"), so the vector networks are run until a round of 5
     * inferences allocates 0 bytes; the test fails if that never happens within the budget, i.e. if some kernel keeps
     * allocating in steady state (as the Vector API average pool did: its lane-wise integer division is never
     * intrinsified).
     */
    @ParameterizedTest(name = "{1} {2}")
    @MethodSource("warmNetworks")
    void inferenceAllocatesNothingOnceWarm(String file, String name, Backend backend, @TempDir Path dir) throws Exception {
        Network net = LoweredExamples.network(file, name);
        Compiled c = Compiled.of(InferenceGenerator.generate(net));
        Path artifact = dir.resolve(name + ".safetensors");
        SyntheticArtifact.write(net, artifact, 42);
        Int8Network n = c.load(artifact, 1, backend);
        byte[] in = new byte[n.inputSize()];
        new Random(6).nextBytes(in);
        byte[] out = new byte[n.outputSize()];
        SteadyAllocation.Result r = SteadyAllocation.measure(() -> n.run(in, out), 5, 240);
        System.out.printf("%s %s: %d bytes allocated by 5 inferences after %d rounds%n", name, backend, r.bytes(), r.rounds());
        assertEquals(0, r.bytes(), name + " " + backend + ": bytes allocated by 5 inferences after " + r.rounds() + " rounds");
    }
}
