package org.edgenn.generator.inference;

import org.edgenn.generator.inference.plan.InferencePlan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.edgenn.generator.training.LoweredExamples;
import org.edgenn.ir.graph.Network;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What int8 inference cannot lower is a typed error naming the node, its op and its file:line. */
class UnsupportedInferenceTest {
    @Test
    void softmaxIsNamedWithItsNodeOpAndLine(@TempDir Path dir) {
        Network net = LoweredExamples.text(dir, "soft.edgenn", "package t\n\nnetwork Soft {\n  input x: f32[4]\n"
                + "  let h = dense(x, 4 -> 4)\n  let p = softmax(h)\n  output p\n}\n", "Soft");
        UnsupportedInferenceException e = assertThrows(UnsupportedInferenceException.class, () -> InferenceGenerator.generate(net));
        assertEquals("p", e.node());
        assertEquals("softmax", e.op());
        assertEquals("soft.edgenn:6", e.source());
        assertTrue(e.getMessage().startsWith("soft.edgenn:6: int8 inference does not support node p (softmax): "), e.getMessage());
    }

    @Test
    void foldsReluIntoTheConvolutionAndKeepsItsQuantizationDownstream() {
        InferencePlan plan = InferencePlanner.plan(LoweredExamples.network("fmnist/fashion_cnn.edgenn", "FashionCnn"));
        InferencePlan.Mac c1 = (InferencePlan.Mac) plan.steps().get(0);
        assertEquals("c1.conv2d", c1.node());
        assertEquals("c1", c1.folded());
        assertEquals(new InferencePlan.Bounds(0, Double.POSITIVE_INFINITY), c1.activation());
        // the pool after the folded ReLU reads the convolution's buffer and keeps its quantization
        InferencePlan.Pool p1 = (InferencePlan.Pool) plan.steps().get(1);
        assertEquals("c1.conv2d", p1.input());
        assertEquals(plan.tensor("c1.conv2d").quant(), plan.tensor("p1").quant());
        assertEquals("act.c1_conv2d", plan.tensor("p1").quant().toString());
    }
}
