package org.edgenn.generator.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.edgenn.runtime.cost.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappingTablesTest {
    @TempDir
    Path dir;

    private NetworkMapping mapping() {
        List<Workload> layers = new ArrayList<>(NetworkMapperTest.smallNet());
        layers.add(Workload.dense("head, \"quoted\"", 1, 10, 72, NetworkMapperTest.P));
        return NetworkMapper.map(layers, NetworkMapperTest.tiny(), Objective.EDP, SearchOptions.defaults(),
                ProgressListener.NONE);
    }

    @Test
    void jsonIsSelfConsistent() throws Exception {
        NetworkMapping nm = mapping();
        MappingTables.write(nm, dir, "Small");
        JsonNode root = new ObjectMapper().readTree(dir.resolve("Small.mapping.json").toFile());
        assertEquals("edgenn.mapping/1", root.get("schema").asText());
        assertEquals(7, root.get("layers").size());
        double sum = 0;
        for (JsonNode l : root.get("layers")) {
            double perMemory = l.get("energyPj").get("mac").asDouble();
            for (JsonNode e : l.get("energyPj").get("perMemory")) {
                perMemory += e.asDouble();
            }
            double perAccess = l.get("energyPj").get("mac").asDouble();
            for (JsonNode a : l.get("memories")) {
                perAccess += a.get("energyPj").asDouble();
            }
            double total = l.get("energyPj").get("total").asDouble();
            assertEquals(total, perMemory, 1e-9 * total, "per-memory energies add up");
            assertEquals(total, perAccess, 1e-9 * total, "per-(memory, operand) energies add up");
            assertTrue(l.get("loopNest").size() >= 2);
            sum += total;
        }
        assertEquals(root.get("totals").get("energyPj").asDouble(), sum, 1e-9 * sum);
        assertEquals(0, root.get("budgetViolations").size());
    }

    @Test
    void csvQuotesAndHasATotalRow() throws Exception {
        MappingTables.write(mapping(), dir, "Small");
        List<String> lines = Files.readAllLines(dir.resolve("Small.mapping.csv"));
        assertEquals(1 + 7 + 1, lines.size());
        assertTrue(lines.get(7).startsWith("\"head, \"\"quoted\"\"\","), lines.get(7));
        assertTrue(lines.get(8).startsWith("TOTAL,"));
    }

    @Test
    void budgetViolationsAreReportedWithTheNumbers() throws Exception {
        NetworkMapping nm = mapping();
        MappingBudget budget = new MappingBudget(nm.totalLatencySeconds() / 2, null, null);
        MappingTables.write(nm, dir, "Small", budget);
        JsonNode v = new ObjectMapper().readTree(dir.resolve("Small.mapping.json").toFile()).get("budgetViolations");
        assertEquals(1, v.size());
        assertEquals("latency", v.get(0).get("quantity").asText());
        assertEquals(nm.totalLatencySeconds(), v.get(0).get("actual").asDouble(), 1e-15);
        String md = Files.readString(dir.resolve("Small.mapping.md"));
        assertTrue(md.contains("latency budget exceeded"), md);
        assertTrue(md.contains("100.0% over"), md);
    }

    @Test
    void emptyNetworkGivesValidTables() throws Exception {
        NetworkMapping nm = NetworkMapper.map(List.of(), NetworkMapperTest.tiny(), Objective.EDP,
                SearchOptions.defaults(), ProgressListener.NONE);
        MappingTables.write(nm, dir, "Empty");
        JsonNode root = new ObjectMapper().readTree(dir.resolve("Empty.mapping.json").toFile());
        assertEquals(0, root.get("layers").size());
        assertEquals(0.0, root.get("totals").get("utilization").asDouble());
    }

    @Test
    void rewritingReplacesFilesAndLeavesNoTemporaries() throws Exception {
        Files.writeString(dir.resolve("Small.mapping.csv"), "stale");
        MappingTables.write(mapping(), dir, "Small");
        MappingTables.write(mapping(), dir, "Small");
        try (var files = Files.list(dir)) {
            assertEquals(List.of("Small.mapping.csv", "Small.mapping.json", "Small.mapping.md"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertTrue(Files.readString(dir.resolve("Small.mapping.csv")).startsWith("layer,"));
    }
}
