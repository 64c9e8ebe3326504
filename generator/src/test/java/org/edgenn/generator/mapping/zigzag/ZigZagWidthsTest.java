package org.edgenn.generator.mapping.zigzag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.edgenn.generator.mapping.DslAccelerators;
import org.edgenn.generator.mapping.LayerMapping;
import org.edgenn.generator.mapping.Objective;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.runtime.cost.CostModel;
import org.edgenn.runtime.cost.Workload;
import org.junit.jupiter.api.Test;

/**
 * Odd widths against ZigZag: EdgeNN's energy-objective mappings of hand-made variants of ZigZag's shipped hardware files
 * (12-bit MAC operands and registers with 24-bit partial sums on tpu_like and eyeriss_like; 4-bit operands, a 4-bit
 * weight register and 12-bit partial sums on edge_tpu_like; the shipped tpu_like and edge_tpu_like as controls), four
 * ResNet-18 layers each at the variant's precisions, costed by ZigZag 3.8. The reference values
 * ({@code zigzag/widths_reference.json}) are ZigZag's output, written by {@code docs/zigzag/widths_check.py /tmp/zz
 * ./edgenn OUT} (ZigZag at commit 3d12a96e, Debian's python3): ZigZag's energy of each exported mapping, and the same
 * with the {@code int()} ZigZag applies to every (operand, level, direction) access count removed.
 */
class ZigZagWidthsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void oddWidthsCostWhatZigZagCostsOnTheSameMappings() throws IOException {
        JsonNode ref = JSON.readTree(ZigZagFixtures.resource("widths_reference.json"));
        Map<String, AcceleratorSpec> specs = new HashMap<>();
        List<String> report = new ArrayList<>();
        Set<Integer> partialSumWidths = new java.util.TreeSet<>();
        double subByte = Double.POSITIVE_INFINITY;
        for (JsonNode c : ref.path("cases")) {
            String name = c.path("variant").asText();
            JsonNode v = ref.path("variants").path(name);
            AcceleratorSpec spec = specs.computeIfAbsent(name, n -> DslAccelerators.parse(ZigZagImport.toEdgenn(
                    v.path("hardware").asText(), v.path("mapping_file").asText(), v.path("partial_sum_bits").asInt())));
            for (var m : spec.memories()) {
                subByte = Math.min(subByte, m.sizeBytes());
            }
            Workload layer = ZigZagWorkload.parse(YAML.writeValueAsString(List.of(c.path("layer")))).layers().get(0);
            partialSumWidths.add(layer.partialSumBits());
            ZigZagMappings.Entry entry = ZigZagMappings.parse(YAML.writeValueAsString(List.of(c.path("mapping"))), spec)
                    .get(layer.name());
            LayerMapping lm = ZigZagMappings.cost(layer, entry, new CostModel(spec).withZigZagRules(true), Objective.ENERGY);
            double ours = lm.cost().energyPj();
            double exact = c.path("energy_untruncated").asDouble();
            double truncated = c.path("energy").asDouble();
            report.add(String.format("%s/%s: EdgeNN %.10g, ZigZag %.10g (without int() %.10g)", name, layer.name(), ours,
                    truncated, exact));
            // ZigZag's model with its int() removed: the same energy
            assertEquals(1, ours / exact, 1e-9, name + "/" + layer.name());
            // ZigZag truncates each access count to a whole number: it can only be below, by less than one access per
            // (operand, level, direction) term, i.e. far less than 1e-4 of the layer here
            assertTrue(truncated <= ours * (1 + 1e-12) && truncated > ours * (1 - 1e-4), report.get(report.size() - 1));
        }
        System.out.println("odd widths vs ZigZag:\n  " + String.join("\n  ", report));
        assertEquals(20, report.size());
        assertEquals(Set.of(12, 16, 24), partialSumWidths, "12- and 24-bit partial sums, 16 on the controls");
        assertEquals(0.5, subByte, 0, "the 4-bit weight register");
    }
}
