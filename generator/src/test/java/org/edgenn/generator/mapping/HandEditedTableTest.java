package org.edgenn.generator.mapping;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.edgenn.generator.mapping.table.JsonTable;
import org.edgenn.generator.mapping.table.JsonTableReader;
import org.edgenn.generator.verify.AccessCountCheck;
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A mapping table truncated or edited by hand (what {@code edgenn verify --mapping} reads): each edit is refused when
 * the table is read ({@link JsonTableReader.TableException} naming the layer and field), or fails the check
 * (a layer INVALID or MISMATCH); never an unchecked exception, never every layer passing.
 */
class HandEditedTableTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final NetworkMapping MAPPING = NetworkMapper.map(NetworkMapperTest.smallNet(), NetworkMapperTest.tiny(),
            Objective.EDP, SearchOptions.defaults(), ProgressListener.NONE);

    private static ObjectNode layer(ObjectNode root, String name) {
        for (var l : root.get("layers")) {
            if (l.get("name").asText().equals(name)) {
                return (ObjectNode) l;
            }
        }
        throw new IllegalArgumentException(name);
    }

    private static ObjectNode row(ObjectNode root, String layer, int i) {
        return (ObjectNode) layer(root, layer).get("memories").get(i);
    }

    static Stream<Arguments> edits() {
        return Stream.<Arguments>of(
                Arguments.of("a cut past the temporal loops", (Consumer<ObjectNode>) r -> row(r, "c2", 0).put("cut", 99)),
                Arguments.of("a negative cut", (Consumer<ObjectNode>) r -> row(r, "c2", 0).put("cut", -1)),
                Arguments.of("a cut as text", (Consumer<ObjectNode>) r -> row(r, "c2", 0).put("cut", "x")),
                Arguments.of("a cut removed", (Consumer<ObjectNode>) r -> row(r, "c2", 0).remove("cut")),
                Arguments.of("reads removed", (Consumer<ObjectNode>) r -> row(r, "c2", 1).remove("reads")),
                Arguments.of("reads as text", (Consumer<ObjectNode>) r -> row(r, "c2", 1).put("reads", "many")),
                Arguments.of("a loop factor past an int", (Consumer<ObjectNode>) r ->
                        ((ObjectNode) layer(r, "c2").get("temporal").get(0)).put("factor", 1L << 40)),
                Arguments.of("a fractional loop factor", (Consumer<ObjectNode>) r ->
                        ((ObjectNode) layer(r, "c2").get("temporal").get(0)).put("factor", 1.5)),
                Arguments.of("a convolution declared fused into another pass", (Consumer<ObjectNode>) r ->
                        ((ArrayNode) layer(r, "c1").withArray("fused")).add("c2")),
                Arguments.of("a layer's name changed", (Consumer<ObjectNode>) r -> layer(r, "c3").put("name", "c9")),
                Arguments.of("the layers removed", (Consumer<ObjectNode>) r -> r.remove("layers")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("edits")
    void anEditedTableIsRefusedOrFailsTheCheck(String what, Consumer<ObjectNode> edit) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(JsonTable.render(MAPPING, "Small", List.of()));
        edit.accept(root);
        check(what, JSON.writeValueAsString(root));
    }

    @ParameterizedTest(name = "truncated at {0} %")
    @MethodSource("fractions")
    void aTruncatedTableIsRefused(int percent) throws Exception {
        String json = JsonTable.render(MAPPING, "Small", List.of());
        check("truncated", json.substring(0, json.length() * percent / 100));
    }

    static Stream<Integer> fractions() {
        return Stream.of(0, 10, 50, 99);
    }

    private static void check(String what, String json) {
        MemoryHierarchy h = MemoryHierarchy.of(NetworkMapperTest.tiny());
        JsonTableReader.Table t;
        try {
            t = JsonTableReader.read(json, h);
        } catch (JsonTableReader.TableException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), what);
            return;
        }
        List<AccessCountCheck.LayerResult> results;
        try {
            results = AccessCountCheck.check(NetworkMapperTest.smallNet(), h, t, Long.MAX_VALUE, (i, n, r) -> { });
        } catch (RuntimeException e) {
            fail(what + ": the check crashed instead of failing the layer: " + e, e);
            return;
        }
        assertTrue(results.stream().anyMatch(AccessCountCheck.LayerResult::failed), what + ": passed: " + results);
    }
}
