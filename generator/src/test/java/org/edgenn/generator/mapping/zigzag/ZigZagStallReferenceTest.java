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
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.edgenn.runtime.cost.StallModel;
import org.edgenn.runtime.cost.Workload;
import org.junit.jupiter.api.Test;

/**
 * EdgeNN's allocation of an exchanged mapping and its per-period stall model against ZigZag's own cost model, on
 * ZigZag's shipped hardware files: 40 (hardware, layer, mapping) cases, both EdgeNN's and LOMA's chosen mappings
 * of five ResNet-18 layers on tpu_like, eyeriss_like, edge_tpu_like and tesla_npu_like. The reference values
 * ({@code zigzag/stall_reference.json}) are ZigZag's output, written by
 * {@code generator/src/test/python/zigzag_stall_fixtures.py /tmp/zz OUT.json (WORKLOAD HW MAPPING)...} (ZigZag
 * 3.8 at commit 3d12a96e on Debian's python3; the exact arguments are in docs/mapping.md).
 */
class ZigZagStallReferenceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void allocationAndStallsAgreeWithZigZagsOnItsOwnHardwareFiles() throws IOException {
        JsonNode cases = JSON.readTree(ZigZagFixtures.resource("stall_reference.json")).path("cases");
        assertEquals(40, cases.size());
        Map<String, AcceleratorSpec> specs = new HashMap<>();
        List<String> allocationDiffs = new ArrayList<>();
        List<String> stallDiffs = new ArrayList<>();
        int stalling = 0;
        int allocationCases = 0;
        int compared = 0;
        for (JsonNode c : cases) {
            String hw = c.path("hardware").asText();
            AcceleratorSpec spec = specs.computeIfAbsent(hw, ZigZagFixtures::importHardware);
            String layerYaml = YAML.writeValueAsString(List.of(c.path("layer")));
            Workload layer = ZigZagWorkload.parse(layerYaml).layers().get(0);
            String mappingYaml = YAML.writeValueAsString(List.of(c.path("mapping")));
            ZigZagMappings.Entry entry = ZigZagMappings.parse(mappingYaml, spec).get(layer.name());
            CostModel model = new CostModel(spec);
            LayerMapping lm = ZigZagMappings.cost(layer, entry, model, Objective.LATENCY);
            Mapping m = lm.cost().mapping();
            String id = hw + "/" + layer.name() + "/" + c.path("mapping").path("temporal_ordering").toString();
            int before = allocationDiffs.size();
            for (Operand op : layer.operands()) {
                JsonNode levels = c.path("allocation").path(op.name());
                int[] cuts = m.cuts(op);
                int cumulative = 0;
                for (int j = 0; j < levels.size() - 1; j++) {
                    cumulative += levels.get(j).asInt();
                    if (cuts[j] != cumulative) {
                        allocationDiffs.add(id + " " + op + " level " + j + ": EdgeNN cut " + cuts[j] + ", ZigZag "
                                + cumulative);
                    }
                }
            }
            if (allocationDiffs.size() > before) {
                allocationCases++;
                continue; // the stall of another allocation is not comparable
            }
            compared++;
            double zigzag = c.path("stall").asDouble();
            double edgenn = StallModel.stallCycles(layer, model.hierarchy(), m);
            stalling += zigzag > 0 ? 1 : 0;
            if (Math.abs(edgenn - zigzag) > 0.5) {
                stallDiffs.add(id + ": EdgeNN " + edgenn + ", ZigZag " + zigzag);
            }
        }
        // Measured agreement (docs/mapping.md, "Against ZigZag's cost model, mapping by mapping", explains the
        // differences): the allocation equals ZigZag's in 35 of 40 cases (the others: ZigZag's fractional spatial
        // factors, 7 over 4 PEs as 3.5, and three eyeriss_like output buffers), the stall in 33 of those 35.
        System.out.println("allocation differences: " + allocationDiffs);
        System.out.println("stall differences: " + stallDiffs);
        assertTrue(stalling >= 10, "the cases exercise stalls: " + stalling);
        assertTrue(allocationCases <= 5, "allocation differs from ZigZag's in " + allocationCases + " cases: "
                + allocationDiffs);
        assertTrue(compared >= 35 && stallDiffs.size() <= 2, "stall differs from ZigZag's in " + stallDiffs.size()
                + " of " + compared + " cases: " + stallDiffs);
    }

    /**
     * ZigZag's loading rule ({@link CostModel#withStreamedSingleTransfers}): a tile crossing a link once per layer
     * streams during computation, only the innermost tile is charged before the first MAC / after the last. Against
     * ZigZag's on- plus offloading cycles of all 40 cases, it must be closer than EdgeNN's serial
     * rule (the whole tile loaded first), which rated LOMA's {@code conv1} on meta_prototype 100 k cycles slower than
     * ZigZag does (its outputs, drained once, charged in full after the last MAC).
     */
    @Test
    void streamedSingleTransfersFollowZigZagsLoadingRule() throws IOException {
        JsonNode cases = JSON.readTree(ZigZagFixtures.resource("stall_reference.json")).path("cases");
        Map<String, AcceleratorSpec> specs = new HashMap<>();
        double serialError = 0;
        double streamedError = 0;
        int compared = 0;
        List<String> report = new ArrayList<>();
        for (JsonNode c : cases) {
            String hw = c.path("hardware").asText();
            AcceleratorSpec spec = specs.computeIfAbsent(hw, ZigZagFixtures::importHardware);
            Workload layer = ZigZagWorkload.parse(YAML.writeValueAsString(List.of(c.path("layer")))).layers().get(0);
            ZigZagMappings.Entry entry = ZigZagMappings.parse(YAML.writeValueAsString(List.of(c.path("mapping"))), spec)
                    .get(layer.name());
            CostModel serial = new CostModel(spec);
            LayerMapping s = ZigZagMappings.cost(layer, entry, serial, Objective.LATENCY);
            LayerMapping t = ZigZagMappings.cost(layer, entry, serial.withStreamedSingleTransfers(true),
                    Objective.LATENCY);
            assertEquals(s.cost().mapping().toString(), t.cost().mapping().toString(), "same allocation");
            double zigzag = c.path("onload").asDouble() + c.path("offload").asDouble();
            double a = s.cost().onloadCycles() + s.cost().offloadCycles();
            double b = t.cost().onloadCycles() + t.cost().offloadCycles();
            assertTrue(b <= a + 1e-9, "streaming never loads more than the serial rule");
            serialError += Math.abs(a - zigzag);
            streamedError += Math.abs(b - zigzag);
            compared++;
            report.add(String.format("%s/%s: ZigZag %.0f, serial %.0f, streamed %.0f", hw, layer.name(), zigzag, a, b));
        }
        System.out.println("on+offloading: " + String.join("; ", report));
        System.out.printf("on+offloading error vs ZigZag: serial %.0f, streamed %.0f cycles%n", serialError,
                streamedError);
        // measured: serial 1,823,756 cycles of error, streamed 394,260 (4.6x closer); what remains is ZigZag taking
        // the minimum at the innermost memory's own write port while the parent's side goes negative (tpu_like
        // Layer2: the whole input into the buffer in 841 cycles at its 256 B/cycle write port, although it crosses
        // the 8 B/cycle DRAM port), which EdgeNN does not copy (docs/mapping.md)
        assertEquals(40, compared);
        assertTrue(streamedError * 3 < serialError, "streamed " + streamedError + " vs serial " + serialError);
    }
}
