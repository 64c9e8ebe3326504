package org.edgenn.generator.mapping.zigzag;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.edgenn.generator.mapping.DslAccelerators;
import org.edgenn.generator.mapping.NetworkMapper;
import org.edgenn.generator.mapping.NetworkMapping;
import org.edgenn.generator.mapping.Objective;
import org.edgenn.generator.mapping.SearchOptions;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.runtime.cost.Workload;
import org.junit.jupiter.api.Test;

/**
 * A search for ZigZag also covers LOMA's loop granularity: on ZigZag's own meta_prototype description, the 3x3
 * 512-channel layer of its ResNet-18 (Layer23), EdgeNN's search must find a mapping at least as good, in EdgeNN's
 * model with ZigZag's allocation, as LOMA's own choice (ZigZag's output, from a referee run: spatial K32 x C2 x OX4 x
 * OY4, order FX3 FY3 OY2 OX2 K16 C256). With only its finer default split (C 16 x 16) the search could not reach it:
 * ZigZag's allocator, taking the larger cut at equal traffic, then fills a larger first weight tile.
 */
class ZigZagGranularityTest {
    static final String LAYER = """
            - id: 23
              operator_type: Conv
              equation: O[b][k][oy][ox]+=W[k][c][fy][fx]*I[b][c][iy][ix]
              dimension_relations: [ix=1*ox+1*fx, iy=1*oy+1*fy]
              loop_dims: [B, K, C, OY, OX, FY, FX]
              loop_sizes: [1, 512, 512, 7, 7, 3, 3]
              operand_precision: {W: 8, I: 8, O: 16, O_final: 8}
              operand_source: {I: 23, W: 23}
            """;
    static final String LOMA = """
            - name: Layer23
              spatial_mapping: {D1: ['K, 32'], D2: ['C, 2'], D3: ['OX, 4'], D4: ['OY, 4']}
              temporal_ordering: [[FX, 3], [FY, 3], [OY, 2], [OX, 2], [K, 16], [C, 256]]
              memory_operand_links: {O: O, W: I2, I: I1}
            """;

    @Test
    void searchForZigZagIsAtLeastAsGoodAsLomasChoice() throws IOException {
        AcceleratorSpec meta = DslAccelerators.parse(ZigZagImport.toEdgenn(resource("hw_meta_prototype.yaml"),
                resource("map_meta_prototype_like.yaml")));
        List<Workload> layers = ZigZagWorkload.parse(LAYER).layers();
        SearchOptions zz = SearchOptions.defaults().withZigZagAllocation(true).withThreads(1);
        double loma = ZigZagMappings.costAll(layers, meta, Objective.LATENCY, zz, LOMA).layers().get(0).cost()
                .latencyCycles();
        NetworkMapping found = NetworkMapper.map(layers, meta, Objective.LATENCY, zz, p -> { });
        double edgenn = found.layers().get(0).cost().latencyCycles();
        assertTrue(edgenn <= loma + 1e-6, "EdgeNN " + edgenn + " vs LOMA's mapping " + loma);
        // the finer granularity alone does not get there (what the coarse pass is for)
        double fineOnly = org.edgenn.generator.mapping.search.LayerSearch.search(layers.get(0),
                new org.edgenn.runtime.cost.CostModel(org.edgenn.runtime.cost.MemoryHierarchy.of(meta),
                        meta.macEnergyPjOr(zz.macEnergyPj())).withStreamedSingleTransfers(true),
                Objective.LATENCY, zz, p -> { }, 0, 1).cost().latencyCycles();
        assertTrue(fineOnly > loma, "fine only " + fineOnly + " vs LOMA's " + loma);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ZigZagGranularityTest.class.getResourceAsStream("/zigzag/hardware/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource /zigzag/hardware/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
