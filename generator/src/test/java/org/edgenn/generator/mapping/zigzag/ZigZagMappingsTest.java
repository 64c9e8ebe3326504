package org.edgenn.generator.mapping.zigzag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.edgenn.generator.mapping.DslAccelerators;
import org.edgenn.generator.mapping.LayerMapping;
import org.edgenn.generator.mapping.NetworkMapper;
import org.edgenn.generator.mapping.NetworkMapping;
import org.edgenn.generator.mapping.Objective;
import org.edgenn.generator.mapping.SearchOptions;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.runtime.cost.Workload;
import org.junit.jupiter.api.Test;

/** ZigZag workload files in, mappings out in ZigZag's format and back. */
class ZigZagMappingsTest {
    /* Two layers in ZigZag's workload format (written for this test, like its resnet18.yaml): a strided 3x3
     * convolution named by id, a named 1x1 one, and a pooling layer that has no weights. */
    static final String WORKLOAD = """
            - id: 3
              operator_type: Conv
              equation: O[b][k][oy][ox]+=W[k][c][fy][fx]*I[b][c][iy][ix]
              dimension_relations: [ix=2*ox+1*fx, iy=2*oy+1*fy]
              loop_dims: [B, K, C, OY, OX, FY, FX]
              loop_sizes: [1, 32, 16, 14, 14, 3, 3]
              operand_precision: {W: 8, I: 8, O: 16, O_final: 8}
              operand_source: {I: 3, W: 3}
            - id: 4
              name: proj
              operator_type: Conv_downsample
              equation: O[b][k][oy][ox]+=W[k][c][fy][fx]*I[b][c][iy][ix]
              dimension_relations: [ix=1*ox+1*fx, iy=1*oy+1*fy]
              loop_dims: [B, K, C, OY, OX, FY, FX]
              loop_sizes: [1, 64, 32, 7, 7, 1, 1]
              operand_precision: {W: 4, I: 8, O: 12, O_final: 8}
              operand_source: {I: 3, W: 4}
            - id: 5
              operator_type: Pooling
              equation: O[b][g][oy][ox]+=W[fx][fy]*I[b][g][iy][ix]
              dimension_relations: [ix=2*ox+1*fx, iy=2*oy+1*fy]
              loop_dims: [B, G, OY, OX, FX, FY]
              loop_sizes: [1, 64, 4, 4, 3, 3]
              operand_precision: {I: 8, W: 0, O: 16, O_final: 8}
              operand_source: {I: 4, W: 5}
            """;

    @Test
    void readsTheLayersWithWeightsWithTheirShapesStridesAndPrecisions() {
        ZigZagWorkload.Result r = ZigZagWorkload.parse(WORKLOAD);
        assertEquals(List.of("Layer3", "proj"), r.layers().stream().map(Workload::name).toList());
        Workload c = r.layers().get(0);
        assertEquals(32, c.bound(LoopDim.K));
        assertEquals(16, c.bound(LoopDim.C));
        assertEquals(14, c.bound(LoopDim.OY));
        assertEquals(3, c.bound(LoopDim.FX));
        assertEquals(2, c.strideY());
        assertEquals(2, c.strideX());
        assertEquals(32L * 16 * 14 * 14 * 9, c.macs());
        Workload p = r.layers().get(1);
        assertEquals(4, p.weightBits());
        assertEquals(12, p.partialSumBits());
        assertEquals(8, p.outputBits());
        assertEquals(1, r.skipped().size());
        assertTrue(r.skipped().get(0).startsWith("Layer5"), r.skipped().toString());
        assertThrows(ZigZagImportException.class, () -> ZigZagWorkload.parse(WORKLOAD.replace("iy=2*oy", "iy=oy")));
    }

    /* Two layers as ZigZag's ONNX parser builds them from mobilenetv2.onnx (docs/zigzag/onnx_workload.py writes its
     * user-format dictionaries unchanged): a depthwise 3x3 (G = channels, K = C = 1) and the classifier Gemm, whose
     * row dimension is D. */
    static final String ONNX_PARSED = """
            - id: 4
              name: /features/features.1/conv/conv.0/conv.0.0/Conv
              operator_type: Conv
              equation: O[b][g][k][oy][ox]+=W[g][k][c][fy][fx]*I[b][g][c][iy][ix]
              loop_dims: [B, K, G, OX, OY, C, FX, FY]
              loop_sizes: [1, 1, 32, 112, 112, 1, 3, 3]
              dimension_relations: [ix=1*ox+1*fx, iy=1*oy+1*fy]
              operand_precision: {W: 8, I: 8, O_final: 8, O: 16}
              operand_source: {I: 4, W: 4}
            - id: 169
              name: /classifier/classifier.1/Gemm
              operator_type: Gemm
              dimension_relations: []
              operand_source: {I: 169, W: 169}
              operand_precision: {W: 8, I: 8, O_final: 8, O: 16}
              loop_dims: [C, D, K]
              loop_sizes: [1280, 1, 1000]
              equation: O[d][k]+=I[d][c]*W[c][k]
            """;

    @Test
    void readsZigZagsOnnxParsedDepthwiseAndGemmLayers() {
        List<Workload> layers = ZigZagWorkload.parse(ONNX_PARSED).layers();
        Workload dw = layers.get(0);
        assertEquals(32, dw.bound(LoopDim.G));
        assertEquals(1, dw.bound(LoopDim.K));
        assertEquals(1, dw.bound(LoopDim.C));
        assertEquals(32L * 112 * 112 * 9, dw.macs());
        Workload fc = layers.get(1);
        assertEquals(1, fc.bound(LoopDim.N));
        assertEquals(1000, fc.bound(LoopDim.K));
        assertEquals(1280, fc.bound(LoopDim.C));
        assertEquals(1280L * 1000, fc.macs());
    }

    @Test
    void gemmMappingsGoBackToZigZagInTheLayersOwnDimensionNames() {
        String gemm = """
                - id: 0
                  operator_type: Gemm
                  equation: O[d0][d1]+=I[d0][d2]*W[d2][d1]
                  dimension_relations: []
                  loop_dims: [D0, D1, D2]
                  loop_sizes: [16, 64, 32]
                  operand_precision: {W: 8, I: 8, O: 16, O_final: 8}
                  operand_source: {I: 0, W: 0}
                """;
        AcceleratorSpec a = DslAccelerators.parse(ZigZagImport.toEdgenn(ZigZagImportTest.HW4, ZigZagImportTest.MAPPING4));
        ZigZagWorkload.Result r = ZigZagWorkload.parse(gemm);
        assertEquals(Map.of(LoopDim.N, "D0", LoopDim.K, "D1", LoopDim.C, "D2"), r.dimensionNames().get("Layer0"));
        NetworkMapping nm = NetworkMapper.map(r.layers(), a, Objective.LATENCY, SearchOptions.defaults(), p -> { });
        String yaml = ZigZagMappings.toYaml(nm, r.dimensionNames());
        String layer = yaml.substring(0, yaml.indexOf("name: \"default\""));
        assertTrue(layer.contains("\"D1\"") || layer.contains("D1, "), yaml);
        assertTrue(!layer.contains("\"K\"") && !layer.contains("\"C\"") && !layer.contains("\"B\""), yaml);
        ZigZagMappings.Entry back = ZigZagMappings.parse(yaml, a).get("Layer0");
        assertEquals(nm.layers().get(0).cost().mapping().temporal(), back.temporal());
        assertEquals(nm.layers().get(0).cost().mapping().spatial(), back.spatial());
    }

    @Test
    void exportedMappingsReadBackAndCostTheSame() {
        AcceleratorSpec a = DslAccelerators.parse(ZigZagImport.toEdgenn(ZigZagImportTest.HW4, ZigZagImportTest.MAPPING4));
        List<Workload> layers = ZigZagWorkload.parse(WORKLOAD).layers();
        NetworkMapping nm = NetworkMapper.map(layers, a, Objective.LATENCY, SearchOptions.defaults(), p -> { });
        String yaml = ZigZagMappings.toYaml(nm);
        assertTrue(yaml.contains("name: \"default\""), "ZigZag's validator requires a default entry:\n" + yaml);
        Map<String, ZigZagMappings.Entry> back = ZigZagMappings.parse(yaml, a);
        assertEquals(List.of("Layer3", "proj"), List.copyOf(back.keySet()));
        for (LayerMapping lm : nm.layers()) {
            ZigZagMappings.Entry e = back.get(lm.workload().name());
            assertEquals(lm.cost().mapping().spatial(), e.spatial());
            assertEquals(lm.cost().mapping().temporal(), e.temporal());
        }
        NetworkMapping again = ZigZagMappings.costAll(layers, a, Objective.LATENCY, SearchOptions.defaults(), yaml);
        for (int i = 0; i < layers.size(); i++) {
            // the same order allocated by the same allocator: the same mapping, except the search's final equal-traffic
            // trim (CutTrim), which a ZigZag file cannot carry: the same energy, a latency at most the re-allocated one
            assertTrue(nm.layers().get(i).cost().latencyCycles() <= again.layers().get(i).cost().latencyCycles() + 1e-9);
            assertEquals(nm.layers().get(i).cost().energyPj(), again.layers().get(i).cost().energyPj(), 1e-6);
        }
        assertThrows(ZigZagImportException.class, () -> ZigZagMappings.costAll(layers, a, Objective.LATENCY,
                SearchOptions.defaults(), yaml.replace("\"proj\"", "\"other\"")));
    }
}
