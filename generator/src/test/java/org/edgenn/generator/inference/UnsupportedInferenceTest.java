package org.edgenn.generator.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.edgenn.generator.training.LoweredExamples;
import org.edgenn.ir.graph.Network;
import org.junit.jupiter.api.Test;

/** What int8 inference cannot lower is a typed error naming the node, its op and its file:line. */
class UnsupportedInferenceTest {
    @Test
    void bilinearUpSamplingOfTheSuperResolutionExampleIsNamed() {
        Network espcn = LoweredExamples.network("sr/espcn.edgenn", "Espcn");
        UnsupportedInferenceException e = assertThrows(UnsupportedInferenceException.class, () -> InferenceGenerator.generate(espcn));
        assertEquals("coarse", e.node());
        assertEquals("upsample", e.op());
        assertEquals("espcn.edgenn:" + espcn.node("coarse").source().line(), e.source());
        assertTrue(e.getMessage().startsWith(e.source() + ": int8 inference does not support node coarse (upsample): bilinear"), e.getMessage());
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
