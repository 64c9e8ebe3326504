package org.edgenn.generator.mapping.zigzag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.edgenn.generator.mapping.DslAccelerators;
import org.edgenn.generator.mapping.LayerMapping;
import org.edgenn.generator.mapping.Objective;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.accel.Operand;
import org.edgenn.runtime.cost.CostModel;
import org.edgenn.runtime.cost.Mapping;
import org.edgenn.runtime.cost.Workload;
import org.junit.jupiter.api.Test;

/**
 * EdgeNN's energy with ZigZag's rules ({@link CostModel#withZigZagRules}) and the imported word widths against ZigZag's
 * own energy of the same mapping, on ZigZag's shipped hardware files: the cases of {@code zigzag/stall_reference.json}
 * (EdgeNN's and LOMA's mappings of five ResNet-18 layers on tpu_like, eyeriss_like, edge_tpu_like, tesla_npu_like;
 * ZigZag's output, see {@link ZigZagStallReferenceTest}). Cases whose allocation differs from ZigZag's are not
 * comparable (another access pattern) and are skipped.
 */
class ZigZagEnergyReferenceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Map<String, String> MAPPING_FILE = Map.of("tpu_like", "tpu_like", "eyeriss_like", "default",
            "edge_tpu_like", "edge_tpu_like", "tesla_npu_like", "tesla_npu_like");

    @Test
    void energyWithZigZagsRulesEqualsZigZagsOnItsOwnHardwareFiles() throws IOException {
        JsonNode cases = JSON.readTree(resource("energy_reference.json")).path("cases");
        Map<String, AcceleratorSpec> specs = new HashMap<>();
        List<String> report = new ArrayList<>();
        double worstRules = 0;
        double worstDefault = 0;
        int compared = 0;
        for (JsonNode c : cases) {
            String hw = c.path("hardware").asText();
            AcceleratorSpec spec = specs.computeIfAbsent(hw, ZigZagEnergyReferenceTest::importHardware);
            Workload layer = ZigZagWorkload.parse(YAML.writeValueAsString(List.of(c.path("layer")))).layers().get(0);
            ZigZagMappings.Entry entry = ZigZagMappings.parse(YAML.writeValueAsString(List.of(c.path("mapping"))), spec)
                    .get(layer.name());
            CostModel plain = new CostModel(spec);
            LayerMapping rules = ZigZagMappings.cost(layer, entry, plain.withZigZagRules(true), Objective.ENERGY);
            LayerMapping dflt = ZigZagMappings.cost(layer, entry, plain, Objective.ENERGY);
            if (!sameAllocation(c, layer, rules.cost().mapping())) {
                continue;
            }
            double zigzag = c.path("energy").asDouble();
            double a = rules.cost().energyPj() / zigzag - 1;
            double b = dflt.cost().energyPj() / zigzag - 1;
            worstRules = Math.max(worstRules, Math.abs(a));
            worstDefault = Math.max(worstDefault, Math.abs(b));
            compared++;
            report.add(String.format("%s/%s: ZigZag %.6g, rules %+.4f%%, default %+.4f%%", hw, layer.name(), zigzag,
                    100 * a, 100 * b));
            if (Math.abs(a) > 1e-4) {
                double[][] mine = plain.withZigZagRules(true).operandLevelEnergy(layer, rules.cost().mapping());
                for (Operand op : layer.operands()) {
                    JsonNode theirs = c.path("energy_per_level").path(op.name());
                    for (int j = 0; j < theirs.size(); j++) {
                        int level = plain.hierarchy().levelIndex(op, j);
                        report.add(String.format("    %s %s: ZigZag %.6g EdgeNN %.6g", op,
                                plain.hierarchy().memory(level).name(), theirs.get(j).asDouble(), mine[op.ordinal()][level]));
                    }
                }
            }
        }
        System.out.println("energy vs ZigZag: " + String.join("\n  ", report));
        System.out.printf("worst: rules %.4f%%, default %.4f%%%n", 100 * worstRules, 100 * worstDefault);
        assertTrue(compared >= 35, "compared " + compared);
        assertTrue(worstRules < 1e-5, "worst relative error with ZigZag's rules " + worstRules);
    }

    private static boolean sameAllocation(JsonNode c, Workload layer, Mapping m) {
        for (Operand op : layer.operands()) {
            JsonNode levels = c.path("allocation").path(op.name());
            int[] cuts = m.cuts(op);
            int cumulative = 0;
            for (int j = 0; j < levels.size() - 1; j++) {
                cumulative += levels.get(j).asInt();
                if (cuts[j] != cumulative) {
                    return false;
                }
            }
        }
        return true;
    }

    private static AcceleratorSpec importHardware(String hw) {
        try {
            return DslAccelerators.parse(ZigZagImport.toEdgenn(resource("hardware/hw_" + hw + ".yaml"),
                    resource("hardware/map_" + MAPPING_FILE.get(hw) + ".yaml")));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ZigZagEnergyReferenceTest.class.getResourceAsStream("/zigzag/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource /zigzag/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
