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
 * own energy of the same mapping, on ZigZag's shipped hardware files: 80 cases, EdgeNN's and LOMA's mappings (latency
 * objective: the 40 of {@link ZigZagStallReferenceTest}; energy objective: 40 from a referee run) of five ResNet-18
 * layers on tpu_like, eyeriss_like, edge_tpu_like, tesla_npu_like, meta_prototype, ascend_like. The reference values
 * ({@code zigzag/energy_reference.json}) are ZigZag's output, written by
 * {@code generator/src/test/python/zigzag_energy_fixtures.py /tmp/zz OUT.json stall_reference.json EXTRA.json} (ZigZag
 * 3.8 at commit 3d12a96e on Debian's python3; EXTRA.json: the cases named above from
 * {@code referee.py ... /tmp/ref10 energy ...}'s {@code HW/energy/{edgenn,zigzag}/mapping.yaml}). Cases whose
 * allocation differs from ZigZag's are not comparable (another access pattern) and are skipped.
 */
class ZigZagEnergyReferenceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void energyWithZigZagsRulesEqualsZigZagsOnItsOwnHardwareFiles() throws IOException {
        JsonNode cases = JSON.readTree(ZigZagFixtures.resource("energy_reference.json")).path("cases");
        Map<String, AcceleratorSpec> specs = new HashMap<>();
        List<String> report = new ArrayList<>();
        double worstRules = 0;
        double worstDefault = 0;
        int compared = 0;
        for (JsonNode c : cases) {
            String hw = c.path("hardware").asText();
            AcceleratorSpec spec = specs.computeIfAbsent(hw, ZigZagFixtures::importHardware);
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
        assertTrue(compared >= 70, "compared " + compared);
        // measured: at most 9e-6, EdgeNN above ZigZag; ZigZag truncates each (operand, level, direction) count of
        // bandwidth_max accesses to a whole number (int() in _calc_memory_access), less than one access per term
        assertTrue(worstRules < 2e-5, "worst relative error with ZigZag's rules " + worstRules);
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
}
