package org.edgenn.generator.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
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
import org.edgenn.runtime.net.LayerCheck;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example network: the generated class compiles with runtime-core alone on its imports, and with a synthetic
 * artifact every layer and the whole chain equal the hardware functional model, on the scalar reference and the
 * Vector API kernels, which give identical bytes.
 */
class ExamplesInferenceTest {
    private static final FunctionalModel MODEL = new FunctionalModel(AcceleratorArithmetic.int32("int32"));

    static Stream<Arguments> networks() {
        return Stream.of(Arguments.of("lista/lista.edgenn", "Lista", true),
                Arguments.of("denoise/csc_denoiser.edgenn", "CscDenoiser", true),
                Arguments.of("denoise/unrolled_gradient.edgenn", "UnrolledGradient", true),
                Arguments.of("fmnist/fashion_cnn.edgenn", "FashionCnn", true),
                Arguments.of("fmnist/fashion_cnn.edgenn", "FashionTiny", true),
                Arguments.of("resnet/resnet18.edgenn", "ResNet18", false));
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
        byte[] reference = null;
        for (Backend backend : List.of(Backend.SCALAR, Backend.VECTOR)) {
            if (!KernelBackend.isAvailable(backend)) {
                continue;
            }
            Int8Network n = c.load(artifact, name.equals("Lista") ? 2 : 1, backend);
            byte[] in = new byte[n.batch() * n.inputSize()];
            new Random(5).nextBytes(in);
            byte[] out = new byte[n.batch() * n.outputSize()];
            n.run(in, out);
            LayerCheck.Report report = LayerCheck.check(n, MODEL);
            assertTrue(report.ok(), name + " on " + backend + ": " + (report.ok() ? "" : report.firstFailure().message()));
            assertEquals(n.layers().size(), report.layers().size());
            if (reference == null) {
                reference = out;
            } else {
                assertArrayEquals(reference, out, name + ": SCALAR and " + backend + " differ");
            }
        }
    }
}
