package org.edgenn.generator.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.edgenn.generator.mapping.table.JsonTable;
import org.edgenn.generator.mapping.table.JsonTableReader;
import org.edgenn.generator.verify.AccessCountCheck;
import org.edgenn.ir.accel.Operand;
import org.edgenn.runtime.cost.AccessCounts;
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.junit.jupiter.api.Test;

/** A mapping table read back from its JSON, walked by the loop-nest simulator (verification check b). */
class TableSimulationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final NetworkMapping mapping = NetworkMapper.map(NetworkMapperTest.smallNet(), NetworkMapperTest.tiny(),
            Objective.EDP, SearchOptions.defaults(), ProgressListener.NONE);
    private final MemoryHierarchy h = MemoryHierarchy.of(NetworkMapperTest.tiny());

    @Test
    void readingTheTableGivesBackTheSearchedMappingsAndCounts() throws Exception {
        JsonTableReader.Table t = JsonTableReader.read(JsonTable.render(mapping, "Small", List.of()), h);
        assertEquals(mapping.layers().size(), t.layers().size());
        for (int i = 0; i < t.layers().size(); i++) {
            LayerMapping l = mapping.layers().get(i);
            assertEquals(l.workload().name(), t.layers().get(i).name());
            assertEquals(l.cost().mapping(), t.layers().get(i).mapping());
            assertEquals(l.cost().counts(), t.layers().get(i).predicted());
        }
    }

    @Test
    void everyLayerOfAnUntouchedTableMatchesTheSimulator() throws Exception {
        JsonTableReader.Table t = JsonTableReader.read(JsonTable.render(mapping, "Small", List.of()), h);
        List<AccessCountCheck.LayerResult> results = AccessCountCheck.check(NetworkMapperTest.smallNet(), h, t,
                Long.MAX_VALUE, (i, n, r) -> { });
        assertEquals(6, results.size());
        results.forEach(r -> assertEquals(AccessCountCheck.Status.MATCH, r.status(), r.toString()));
    }

    @Test
    void aWrongTableEntryIsNamedWithBothValues() throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(JsonTable.render(mapping, "Small", List.of()));
        // the gbuf reads of c2's weights, one more than the cost model said
        ObjectNode row = null;
        for (var r : root.get("layers").get(2).get("memories")) {
            if (r.get("memory").asText().equals("gbuf") && r.get("operand").asText().equals("W")) {
                row = (ObjectNode) r;
            }
        }
        long predicted = row.get("reads").asLong();
        row.put("reads", predicted + 1);
        JsonTableReader.Table t = JsonTableReader.read(JSON.writeValueAsString(root), h);
        List<AccessCountCheck.LayerResult> results = AccessCountCheck.check(NetworkMapperTest.smallNet(), h, t,
                Long.MAX_VALUE, (i, n, r) -> { });
        AccessCountCheck.LayerResult c2 = results.get(2);
        assertEquals("c2", c2.layer());
        assertEquals(AccessCountCheck.Status.MISMATCH, c2.status());
        AccessCountCheck.Difference d = c2.difference();
        assertEquals("gbuf", d.memory());
        assertEquals(Operand.W, d.operand());
        assertEquals(AccessCounts.Kind.READ, d.kind());
        assertEquals(predicted + 1, d.predicted());
        assertEquals(predicted, d.simulated());
        assertEquals(1, results.stream().filter(AccessCountCheck.LayerResult::failed).count(), results.toString());
    }

    @Test
    void layersAboveTheLimitAreSkippedNotPassed() throws Exception {
        JsonTableReader.Table t = JsonTableReader.read(JsonTable.render(mapping, "Small", List.of()), h);
        List<AccessCountCheck.LayerResult> results = AccessCountCheck.check(NetworkMapperTest.smallNet(), h, t, 0,
                (i, n, r) -> { });
        results.forEach(r -> assertEquals(AccessCountCheck.Status.SKIPPED, r.status()));
    }

    @Test
    void aTableForAnotherAcceleratorOrNoTableIsAnError() {
        String json = JsonTable.render(mapping, "Small", List.of());
        var other = MemoryHierarchy.of(ReferenceTargets.tpuLike());
        var e = assertThrows(JsonTableReader.TableException.class, () -> JsonTableReader.read(json, other));
        assertTrue(e.getMessage().contains("maps onto Tiny"), e.getMessage());
        assertThrows(JsonTableReader.TableException.class, () -> JsonTableReader.read("{\"schema\": 1}", h));
        assertThrows(JsonTableReader.TableException.class, () -> JsonTableReader.read("{", h));
    }
}
