package org.edgenn.generator.training;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.edgenn.ir.graph.Program;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every example network's generated trainer compiles with ECJ in memory, without errors. */
class ExamplesCompileTest {

    @ParameterizedTest
    @CsvSource({"lista/lista.edgenn, Lista", "denoise/csc_denoiser.edgenn, CscDenoiser",
            "denoise/unrolled_gradient.edgenn, UnrolledGradient", "fmnist/fashion_cnn.edgenn, FashionCnn",
            "fmnist/fashion_cnn.edgenn, FashionTiny", "sr/espcn.edgenn, Espcn", "resnet/resnet18.edgenn, ResNet18", "alista/alista.edgenn, Alista"})
    void compiles(String file, String network) throws Exception {
        Program p = Lowered.example(file);
        GeneratedTrainer g = Generated.trainer(p, network);
        Class<?> c = Generated.compile(g).load(g.qualifiedName());
        assertNotNull(c.getMethod("build", org.nd4j.autodiff.samediff.SameDiff.class));
    }
}
