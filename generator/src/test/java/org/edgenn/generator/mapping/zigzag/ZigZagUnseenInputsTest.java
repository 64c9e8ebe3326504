package org.edgenn.generator.mapping.zigzag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.edgenn.generator.mapping.DslAccelerators;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.accel.MemoryLevel;
import org.edgenn.ir.accel.Operand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hardware and mapping files ZigZag does not ship, as a user writes them: each either imports into an accelerator the
 * language accepts, with the structure the file describes, or is refused with the field's path and what is wrong
 * (never a default for a missing or mistyped value, never a .edgenn text that only {@code edgenn check} rejects).
 * The broken files are ZigZag's shipped {@code tpu_like.yaml} with one change each; ZigZag's own validator
 * ({@code accelerator_validator.py}) refuses every one of them too, except the four marked "EdgeNN's limit".
 */
class ZigZagUnseenInputsTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static ObjectNode tpu() {
        try {
            return (ObjectNode) YAML.readTree(ZigZagFixtures.resource("hardware/hw_tpu_like.yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode mem(ObjectNode hw, String name) {
        return (ObjectNode) hw.path("memories").path(name);
    }

    private static ObjectNode array(ObjectNode hw) {
        return (ObjectNode) hw.path("operational_array");
    }

    private static Arguments broken(String what, String field, Consumer<ObjectNode> change) {
        return Arguments.of(what, field, change);
    }

    static Stream<Arguments> brokenFiles() {
        return Stream.of(
                broken("no memories", "memories: missing", hw -> hw.remove("memories")),
                broken("no operational_array", "operational_array: missing", hw -> hw.remove("operational_array")),
                broken("memories as a list", "memories: a mapping", hw -> hw.set("memories", hw.arrayNode().add(1))),
                broken("misspelled top-level key", "memorys: unknown key", hw -> hw.putObject("memorys")),
                broken("no size", "memories.rf_128B.size: missing", hw -> mem(hw, "rf_128B").remove("size")),
                broken("size as text", "memories.rf_128B.size: a whole number", hw -> mem(hw, "rf_128B").put("size", "big")),
                broken("fractional size", "memories.rf_128B.size: a whole number", hw -> mem(hw, "rf_128B").put("size", 10.5)),
                broken("negative size", "memories.rf_128B.size: must be positive", hw -> mem(hw, "rf_128B").put("size", -1024)),
                broken("negative backing-store size", "memories.dram.size: must be positive", hw -> mem(hw, "dram").put("size", -5)),
                broken("size past a long", "memories.sram_2MB.size: 1000000000000000000000000000000 is too large",
                        hw -> mem(hw, "sram_2MB").put("size", BigInteger.TEN.pow(30))),
                broken("size past 1 PiB (EdgeNN's limit)", "memories.sram_2MB.size: 9223372036854775807 bits is more than",
                        hw -> mem(hw, "sram_2MB").put("size", Long.MAX_VALUE)),
                broken("array size as text", "operational_array.sizes[1]: a whole number",
                        hw -> array(hw).set("sizes", hw.arrayNode().add(32).add("x"))),
                broken("array size zero", "operational_array.sizes[0]: must be positive",
                        hw -> array(hw).set("sizes", hw.arrayNode().add(0).add(32))),
                broken("array size past an int", "operational_array.sizes[0]: 1099511627776 is too large",
                        hw -> array(hw).set("sizes", hw.arrayNode().add(1L << 40).add(32))),
                broken("sizes and dimensions differ", "operational_array.sizes: 2 sizes for 1 dimensions",
                        hw -> array(hw).set("dimensions", hw.arrayNode().add("D1"))),
                broken("dimension twice", "operational_array.dimensions[1]: D1 is listed twice",
                        hw -> array(hw).set("dimensions", hw.arrayNode().add("D1").add("D1"))),
                broken("unknown operand", "memories.rf_2B.operands[0]: a memory operand is I1, I2 or O",
                        hw -> mem(hw, "rf_2B").set("operands", hw.arrayNode().add("Q"))),
                broken("operands as text", "memories.rf_2B.operands: a list", hw -> mem(hw, "rf_2B").put("operands", "O")),
                broken("served dimension of no axis", "memories.sram_2MB.served_dimensions[1]: \"D7\" is not a dimension",
                        hw -> mem(hw, "sram_2MB").set("served_dimensions", hw.arrayNode().add("D1").add("D7"))),
                broken("served_dimensions missing (was: shared by the array)", "memories.sram_2MB.served_dimensions: missing",
                        hw -> mem(hw, "sram_2MB").remove("served_dimensions")),
                broken("misspelled memory key", "memories.rf_2B.colour: unknown key", hw -> mem(hw, "rf_2B").put("colour", "red")),
                broken("unknown port type", "memories.rf_2B.ports[0].type: read, write or read_write, not \"readwrite\"",
                        hw -> ((ObjectNode) mem(hw, "rf_2B").path("ports").get(0)).put("type", "readwrite")),
                broken("bandwidth as text", "memories.rf_2B.ports[0].bandwidth_max: a whole number",
                        hw -> ((ObjectNode) mem(hw, "rf_2B").path("ports").get(0)).put("bandwidth_max", "wide")),
                broken("negative bandwidth", "memories.rf_2B.ports[0].bandwidth_max: must be positive",
                        hw -> ((ObjectNode) mem(hw, "rf_2B").path("ports").get(0)).put("bandwidth_max", -16)),
                broken("bandwidth_min above bandwidth_max", "memories.sram_2MB.ports[0].bandwidth_min: 4096 bits exceeds",
                        hw -> ((ObjectNode) mem(hw, "sram_2MB").path("ports").get(0)).put("bandwidth_min", 4096)),
                broken("read port allocated a write direction", "memories.rf_128B.ports[0].allocation[0]: a read port cannot",
                        hw -> ((ObjectNode) mem(hw, "rf_128B").path("ports").get(0)).set("allocation",
                                hw.arrayNode().add("I2, fh"))),
                broken("no ports", "memories.rf_2B.ports: missing", hw -> mem(hw, "rf_2B").remove("ports")),
                broken("cost as text", "memories.rf_2B.r_cost: a number", hw -> mem(hw, "rf_2B").put("r_cost", "cheap")),
                broken("negative cost", "memories.rf_2B.r_cost: must not be negative", hw -> mem(hw, "rf_2B").put("r_cost", -1.0)),
                broken("no cost", "memories.rf_2B.r_cost: missing", hw -> mem(hw, "rf_2B").remove("r_cost")),
                broken("input precision as text", "operational_array.input_precision[1]: a whole number",
                        hw -> array(hw).set("input_precision", hw.arrayNode().add(8).add("eight"))),
                broken("unit energy as text", "operational_array.unit_energy: a number", hw -> array(hw).put("unit_energy", "low")),
                // EdgeNN's limits: ZigZag takes these, EdgeNN cannot represent them and says so
                broken("40-bit MAC operands (EdgeNN's limit: 32 bits; 12-bit ones are imported)",
                        "operational_array.input_precision: 40-bit MAC operands",
                        hw -> array(hw).set("input_precision", hw.arrayNode().add(40).add(40))),
                broken("16-bit MACs with 16-bit partial sums (was an accumulator check failing in the output file)",
                        "partial sums of 16 bits cannot hold a product of two 16-bit MAC operands",
                        hw -> array(hw).set("input_precision", hw.arrayNode().add(16).add(8))),
                broken("CACTI cost extraction (EdgeNN's limit)", "memories.rf_2B.auto_cost_extraction: true asks ZigZag to run CACTI",
                        hw -> mem(hw, "rf_2B").put("auto_cost_extraction", true)),
                broken("an output register narrower than one partial sum (was: any sub-byte memory)",
                        "memories.rf_2B.size: 4 bits holds O but not one 16-bit partial sum",
                        hw -> mem(hw, "rf_2B").put("size", 4)),
                broken("no operand O at the top (EdgeNN's limit)", "memories.dram.operands: the last memory is the backing store",
                        hw -> mem(hw, "dram").set("operands", hw.arrayNode().add("I1").add("I2"))),
                broken("two names that read alike (EdgeNN's limit)", "memories.rf-2B: its name reads as rf_2B",
                        hw -> {
                            ObjectNode m = (ObjectNode) hw.path("memories");
                            ObjectNode copy = m.deepCopy();
                            m.removeAll();
                            copy.fields().forEachRemaining(e -> {
                                m.set(e.getKey(), e.getValue());
                                if (e.getKey().equals("rf_2B")) {
                                    m.set("rf-2B", e.getValue().deepCopy());
                                }
                            });
                        }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenFiles")
    void aBrokenHardwareFileIsRefusedWithTheFieldAndWhatIsWrong(String what, String field, Consumer<ObjectNode> change)
            throws IOException {
        ObjectNode hw = tpu();
        change.accept(hw);
        String text = YAML.writeValueAsString(hw);
        ZigZagImportException e = assertThrows(ZigZagImportException.class,
                () -> ZigZagImport.toEdgenn(text, "hw.yaml", null, null, 16), what);
        assertTrue(e.located().stream().anyMatch(p -> p.file().equals("hw.yaml") && p.message().startsWith(field)),
                what + ": " + e.located());
    }

    @Test
    void aPartialSumWidthPastThirtyTwoBitsIsRefusedAndTwentyFourBitsAreImported() {
        ZigZagImportException e = assertThrows(ZigZagImportException.class,
                () -> ZigZagImport.toEdgenn(tpu().toString(), "hw.yaml", null, null, 40));
        assertTrue(e.problems().get(0).startsWith("partial sums of 40 bits (--partial-sum-bits): EdgeNN's partial sums are "
                + "2 to 32 bits wide"), e.problems().toString());
        // 24-bit partial sums (was refused: the language had no int24) in a 24-bit output register
        ObjectNode hw = tpu();
        mem(hw, "rf_2B").put("size", 24);
        AcceleratorSpec a = DslAccelerators.parse(ZigZagImport.toEdgenn(hw.toString(), "hw.yaml", null, null, 24));
        assertEquals(24, a.accumulatorBits());
        assertEquals(3, a.memories().stream().filter(l -> l.name().equals("rf_2B")).findFirst().orElseThrow().sizeBytes(), 0);
    }

    @Test
    void theShippedFileItselfImports() {
        assertEquals(4, DslAccelerators.parse(ZigZagImport.toEdgenn(tpu().toString())).memories().size());
    }

    @Test
    void aBrokenMappingFileIsReportedInTheMappingFile() {
        String hw = tpu().toString();
        String mapping = """
                - name: default
                  spatial_mapping:
                    D1: [K, 32]
                    D3: ['C, 32']
                  memory_operand_links: {O: O, W: I2, I: I9}
                  colour: red
                """;
        ZigZagImportException e = assertThrows(ZigZagImportException.class,
                () -> ZigZagImport.toEdgenn(hw, "hw.yaml", mapping, "map.yaml", 16));
        List<String> inMapping = e.located().stream().filter(p -> p.file().equals("map.yaml")).map(p -> p.message()).toList();
        assertTrue(inMapping.stream().anyMatch(m -> m.startsWith("default.spatial_mapping.D1[0]: 'LOOP, FACTOR'")), inMapping.toString());
        assertTrue(inMapping.stream().anyMatch(m -> m.startsWith("default.spatial_mapping.D3: not a dimension")), inMapping.toString());
        assertTrue(inMapping.stream().anyMatch(m -> m.startsWith("default.memory_operand_links.I: a memory operand")), inMapping.toString());
        assertTrue(inMapping.stream().anyMatch(m -> m.startsWith("default.colour: unknown key")), inMapping.toString());
        assertTrue(e.located().stream().noneMatch(p -> p.file().equals("hw.yaml")), e.located().toString());
    }

    // ------------------------------------------------------------------------------------ files that must work

    private static ObjectNode port(ObjectNode hw, String name, String type, int min, int max, String... alloc) {
        ObjectNode p = hw.objectNode().put("name", name).put("type", type).put("bandwidth_min", min).put("bandwidth_max", max);
        ArrayNode a = p.putArray("allocation");
        for (String s : alloc) {
            a.add(s);
        }
        return p;
    }

    /** A memory of {@code bits} for {@code ops} with one read and one write port of {@code width} bits. */
    private static ObjectNode memory(ObjectNode hw, long bits, int width, List<String> ops, List<String> served) {
        ObjectNode m = hw.objectNode().put("size", bits).put("r_cost", 1.0).put("w_cost", 2.0).put("area", 0).put("latency", 1);
        ops.forEach(m.putArray("operands")::add);
        ArrayNode ports = m.putArray("ports");
        ports.add(port(hw, "r_port_1", "read", Math.min(8, width), width, ops.stream().map(o -> o + ", tl").toArray(String[]::new)));
        ports.add(port(hw, "w_port_1", "write", Math.min(8, width), width, ops.stream().map(o -> o + ", fh").toArray(String[]::new)));
        served.forEach(m.putArray("served_dimensions")::add);
        return m;
    }

    private static ObjectNode arrayOf(int... sizes) {
        ObjectNode hw = YAML.createObjectNode().put("name", "unseen");
        ObjectNode a = hw.putObject("operational_array").put("unit_energy", 0.05).put("unit_area", 1);
        ArrayNode d = a.putArray("dimensions");
        ArrayNode s = a.putArray("sizes");
        for (int i = 0; i < sizes.length; i++) {
            d.add("D" + (i + 1));
            s.add(sizes[i]);
        }
        hw.putObject("memories");
        return hw;
    }

    private static List<String> allDims(int n) {
        return java.util.stream.IntStream.rangeClosed(1, n).mapToObj(i -> "D" + i).toList();
    }

    static Stream<Arguments> unseenArrays() {
        return Stream.of(Arguments.of(new int[] {16}), Arguments.of(new int[] {8, 4, 4}), Arguments.of(new int[] {4, 4, 2, 2, 2}));
    }

    @ParameterizedTest
    @MethodSource("unseenArrays")
    void arraysOfOneThreeAndFiveDimensionsWithAPartlySharedBufferImport(int[] sizes) throws IOException {
        ObjectNode hw = arrayOf(sizes);
        ObjectNode m = (ObjectNode) hw.get("memories");
        m.set("reg_w", memory(hw, 8, 8, List.of("I2"), List.of()));
        m.set("reg_o", memory(hw, 16, 16, List.of("O"), List.of()));
        // an input line buffer shared along the first axis only, a weight-only buffer, a 24-bit-word global buffer
        m.set("lb_i", memory(hw, 12 * 64, 12, List.of("I1"), List.of("D1")));
        m.set("wbuf", memory(hw, 32 * 1024 * 8, 64, List.of("I2"), allDims(sizes.length)));
        m.set("dram", memory(hw, 10_000_000_000L, 64, List.of("I1", "I2", "O"), allDims(sizes.length)));
        String text = ZigZagImport.toEdgenn(YAML.writeValueAsString(hw));
        AcceleratorSpec a = DslAccelerators.parse(text);
        assertEquals(sizes.length, a.axes().size(), text);
        assertEquals(java.util.Arrays.stream(sizes).reduce(1, (x, y) -> x * y), a.peCount());
        MemoryLevel lb = a.memories().get(2);
        assertEquals(96, lb.sizeBytes(), "768 bits");
        assertEquals(java.util.Set.of(Operand.I), lb.holds());
        assertEquals(a.memories().size(), 5);
        assertTrue(a.memories().get(3).holds().equals(java.util.Set.of(Operand.W)), text);
    }

    @Test
    void aSizeOfNoWholeByteIsKeptInBits() throws IOException {
        // was rounded down to 1 B (with a comment): the language sized memories in whole bytes
        ObjectNode hw = arrayOf(4, 4);
        ObjectNode m = (ObjectNode) hw.get("memories");
        m.set("wreg", memory(hw, 12, 12, List.of("I2"), List.of()));
        m.set("acc", memory(hw, 20, 20, List.of("O"), List.of()));
        m.set("dram", memory(hw, 1L << 40, 64, List.of("I1", "I2", "O"), allDims(2)));
        String text = ZigZagImport.toEdgenn(YAML.writeValueAsString(hw));
        assertTrue(text.contains("memory wreg size 12 bit per pe") && text.contains("memory acc size 20 bit per pe"), text);
        AcceleratorSpec a = DslAccelerators.parse(text);
        assertEquals(1.5, a.memories().get(0).sizeBytes(), 0);
        assertEquals(2.5, a.memories().get(1).sizeBytes(), 0);
    }
    // ------------------------------------------------------------------------------------------------ workloads

    private static final String LAYER = """
            - id: 1
              name: dilated
              operator_type: Conv
              equation: O[b][k][oy][ox]+=W[k][c][fy][fx]*I[b][c][iy][ix]
              dimension_relations: [ix=1*ox+2*fx, iy=1*oy+2*fy]
              loop_dims: [B, K, C, OY, OX, FY, FX]
              loop_sizes: [1, 16, 16, 10, 10, 3, 3]
              operand_precision: {W: 8, I: 8, O: 16, O_final: 8}
              operand_source: {I: 0, W: 0}
            """;

    static Stream<Arguments> brokenWorkloads() {
        return Stream.of(
                Arguments.of("misspelled key (strides silently stride 1 before)", LAYER + "  strides: [2, 2]\n",
                        "[0] dilated.strides: unknown key"),
                Arguments.of("loop size as text", LAYER.replace("[1, 16, 16,", "[1, x, 16,"), "[0] dilated.loop_sizes[1]: a whole number"),
                Arguments.of("fractional loop size (was 2)", LAYER.replace("[1, 16, 16,", "[1, 2.5, 16,"),
                        "[0] dilated.loop_sizes[1]: a whole number, not 2.5"),
                Arguments.of("loop size past an int", LAYER.replace("[1, 16, 16,", "[1, 1000000000000, 16,"),
                        "[0] dilated.loop_sizes[1]: 1000000000000 is too large"),
                Arguments.of("loop sizes multiplying past an int", LAYER.replace("[1, 16, 16,", "[1, 65536, 16,")
                        .replace("[B, K, C, OY, OX, FY, FX]", "[B, K, C, OY, OX, FY, K]").replace("3, 3]", "3, 65536]"),
                        "dilated: the loop sizes of K multiply past"),
                Arguments.of("no operand precision (was 8 bits)", LAYER.replace("  operand_precision: {W: 8, I: 8, O: 16, O_final: 8}\n", ""),
                        "[0] dilated.operand_precision: missing"),
                Arguments.of("no weight precision (was 8 bits)", LAYER.replace("{W: 8, I: 8,", "{I: 8,"),
                        "[0] dilated.operand_precision.W: missing"),
                Arguments.of("precision as text", LAYER.replace("{W: 8,", "{W: eight,"), "[0] dilated.operand_precision.W: a number of bits"),
                Arguments.of("unknown operator type", LAYER.replace("operator_type: Conv", "operator_type: Convolution"),
                        "[0] dilated.operator_type: one of"),
                Arguments.of("stride past an int", LAYER.replace("ix=1*ox", "ix=99999999999*ox"), "dilated: dimension relation"),
                Arguments.of("nothing to map (was: 0 layers, exit 0)", "[]", "no layer with weights to map"),
                Arguments.of("only a pooling layer", LAYER.replace("operator_type: Conv", "operator_type: MaxPool")
                        .replace("{W: 8,", "{W: 0,"), "no layer with weights to map; skipped: dilated (MaxPool: no weights)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenWorkloads")
    void aBrokenWorkloadIsRefusedWithTheLayerTheFieldAndWhatIsWrong(String what, String yaml, String problem) {
        ZigZagImportException e = assertThrows(ZigZagImportException.class, () -> ZigZagWorkload.parse(yaml), what);
        assertTrue(e.problems().stream().anyMatch(p -> p.startsWith(problem)), what + ": " + e.problems());
    }

    @Test
    void theUnbrokenLayerReadsWithItsDilation() {
        var w = ZigZagWorkload.parse(LAYER).layers().get(0);
        assertEquals(16L * 16 * 10 * 10 * 9, w.macs());
        assertEquals(2, w.dilationY());
    }
    // ------------------------------------------------------------------------------------------ mappings to cost

    static Stream<Arguments> brokenMappings() {
        return Stream.of(
                Arguments.of("factor as text (NumberFormatException before)", "D1: ['C, x']", "[[K, 2]]", "L: spatial item 'C, x'"),
                Arguments.of("factor past an int (NumberFormatException before)", "D1: ['C, 99999999999']", "[[K, 2]]",
                        "L: spatial item 'C, 99999999999'"),
                Arguments.of("an axis the array lacks (dropped before)", "D9: ['C, 4']", "[[K, 2]]",
                        "L.spatial_mapping.D9: TpuLike has no such array axis"),
                Arguments.of("more PEs than the axis has", "D1: ['C, 999']", "[[K, 2]]", "L.spatial_mapping.D1: unrolls 999 on an axis of 32"),
                Arguments.of("a temporal factor of zero (dropped before)", "D1: ['C, 4']", "[[K, 0]]", "L: temporal loop [\"K\",0]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenMappings")
    void aBrokenMappingToCostIsRefusedWithTheEntryAndWhatIsWrong(String what, String spatial, String temporal, String problem) {
        AcceleratorSpec tpu = DslAccelerators.parse(ZigZagImport.toEdgenn(tpu().toString()));
        String yaml = "- name: L\n  spatial_mapping: {" + spatial + "}\n  temporal_ordering: " + temporal + "\n";
        ZigZagImportException e = assertThrows(ZigZagImportException.class, () -> ZigZagMappings.parse(yaml, tpu), what);
        assertTrue(e.problems().stream().anyMatch(p -> p.startsWith(problem)), what + ": " + e.problems());
    }
}
