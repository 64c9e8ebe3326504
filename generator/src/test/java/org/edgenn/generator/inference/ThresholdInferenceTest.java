package org.edgenn.generator.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Random;
import org.edgenn.generator.inference.plan.InferencePlan;
import org.edgenn.generator.training.LoweredExamples;
import org.edgenn.ir.graph.Network;
import org.edgenn.runtime.hw.AcceleratorArithmetic;
import org.edgenn.runtime.hw.FunctionalModel;
import org.edgenn.runtime.hw.LayerCheck;
import org.edgenn.runtime.kernels.Backend;
import org.edgenn.runtime.net.Int8Network;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hard thresholds and support selection in generated int8 code equal the hardware model bit for bit. */
class ThresholdInferenceTest {
    private static final FunctionalModel MODEL = new FunctionalModel(AcceleratorArithmetic.int32("int32"));

    private static final String SOURCE = """
            package t

            network Thresholds {
              input y: f32[32]
              layer D = dense(32 -> 64, bias=false)
              layer C = conv2d(4 -> 4, kernel=3, padding=1, bias=false)
              param t[3]: f32[1] = 0.05
              param tc: f32[4] = 0.05
              state x: f32[64] = 0
              unroll 3 as k {
                x = ss(x + D(y), t[k], p=10, pmax=25)
              }
              let h = hardshrink(x, t[0])
              let img = reshape(h, shape=(4, 4, 4))
              let g = hardshrink(C(img), tc)
              output g
            }
            """;

    @Test
    void generatedSelectStepsEqualTheHardwareModel(@TempDir Path dir) throws Exception {
        Network net = LoweredExamples.text(dir, "thresholds.edgenn", SOURCE, "Thresholds");
        InferencePlan plan = InferencePlanner.plan(net);
        long selects = plan.steps().stream().filter(s -> s instanceof InferencePlan.Select).count();
        assertEquals(5, selects, "three ss steps and two hard thresholds: " + plan.steps());
        InferencePlan.Select ss1 = (InferencePlan.Select) plan.steps().stream().filter(s -> s.node().equals("x[1]")).findFirst().orElseThrow();
        assertEquals(64, ss1.channels());
        assertEquals(12, ss1.count(), "min(10 % * 2, 25 %) of 64");
        InferencePlan.Select hardImage = (InferencePlan.Select) plan.steps().get(plan.steps().size() - 1);
        assertEquals(4, hardImage.channels(), "per-channel hard threshold over the image's channels");
        assertEquals(4, hardImage.count());

        GeneratedInference g = InferenceGenerator.generate(net);
        Compiled c = Compiled.of(g);
        Path artifact = dir.resolve("Thresholds.safetensors");
        SyntheticArtifact.write(net, artifact, 3);
        Int8Network scalar = c.load(artifact, 3, Backend.SCALAR);
        byte[] in = new byte[scalar.batch() * scalar.inputSize()];
        new Random(8).nextBytes(in);
        byte[] out = new byte[scalar.batch() * scalar.outputSize()];
        scalar.run(in, out);
        LayerCheck.Report report = LayerCheck.check(scalar, MODEL);
        assertTrue(report.ok(), report.ok() ? "" : report.firstFailure().message());
        assertEquals(scalar.layers().size(), report.layers().size());
    }
}
