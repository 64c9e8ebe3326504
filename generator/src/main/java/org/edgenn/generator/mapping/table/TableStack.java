package org.edgenn.generator.mapping.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.edgenn.ir.accel.Operand;
import org.edgenn.runtime.cost.AccessCounts;
import org.edgenn.runtime.cost.Mapping;
import org.edgenn.runtime.cost.MemoryHierarchy;

/**
 * A depth-first stack as a mapping table writes it ({@code schedule.depthFirst.stacks[]}), read without the network:
 * its passes, tile, overlap mode, weight residency and per pass the tile nests with their mappings and predicted counts.
 * Whether it is a stack of the network, and whether its nests are the ones its tiles compute, is for the reader that
 * has the network to check ({@code org.edgenn.generator.verify.TableStacks}).
 */
public record TableStack(List<String> passes, int tileRows, int tileCols, int tiles, String overlap,
                         boolean weightsResident, double weightLoadBytes, List<Pass> layers) {
    public TableStack {
        passes = List.copyOf(passes);
        layers = List.copyOf(layers);
    }

    /**
     * One pass of the stack: its operands with an idle backing-store link, the bytes taken from each memory while it
     * runs (indexed like the accelerator's memories), of which the intermediates', its fused ops and their reads.
     */
    public record Pass(String layer, Set<Operand> resident, long[] reservedBytes, long intermediateBytes, long fusedOps,
                       double fusedReadDramBytes, double fusedReadOnChipBytes, List<Nest> nests) {
        public Pass {
            resident = Set.copyOf(resident);
            reservedBytes = reservedBytes.clone();
            nests = List.copyOf(nests);
        }
    }

    /** A tile nest of {@code rows x cols} outputs run {@code count} times: its mapping and the counts of one run. */
    public record Nest(int rows, int cols, long count, Mapping mapping, AccessCounts predicted, long macs) {
    }

    /** The name tables give the stack: {@code first..last}. */
    public String name() {
        return passes.isEmpty() ? "(no passes)" : passes.get(0) + ".." + passes.get(passes.size() - 1);
    }

    /** The stacks of a {@code depthFirst} object (none when it is missing). */
    static List<TableStack> read(JsonNode depthFirst, MemoryHierarchy h) throws JsonTableReader.TableException {
        List<TableStack> out = new ArrayList<>();
        for (JsonNode x : depthFirst.path("stacks")) {
            out.add(stack(x, h));
        }
        return out;
    }

    /** The schedule's residents: tensor to the index of the memory holding it. */
    static Map<String, Integer> residents(JsonNode schedule, MemoryHierarchy h) throws JsonTableReader.TableException {
        Map<String, Integer> out = new HashMap<>();
        for (JsonNode r : schedule.path("residents")) {
            out.put(r.path("tensor").asText(), memory(r.path("memory").asText(), h, "resident " + r.path("tensor").asText()));
        }
        return out;
    }

    private static TableStack stack(JsonNode x, MemoryHierarchy h) throws JsonTableReader.TableException {
        List<String> passes = new ArrayList<>();
        x.path("passes").forEach(p -> passes.add(p.asText()));
        String where = "stack " + (passes.isEmpty() ? "(no passes)" : passes.get(0) + ".." + passes.get(passes.size() - 1));
        List<Pass> layers = new ArrayList<>();
        for (JsonNode y : x.path("layers")) {
            layers.add(pass(y, h, where));
        }
        return new TableStack(passes, integer(x, "tileRows", where), integer(x, "tileCols", where),
                integer(x, "tiles", where), required(x, "overlap", where).asText(),
                required(x, "weightsResident", where).asBoolean(), x.path("weightLoadBytes").asDouble(0), layers);
    }

    private static Pass pass(JsonNode y, MemoryHierarchy h, String stack) throws JsonTableReader.TableException {
        String layer = y.path("layer").asText();
        String where = stack + ", pass " + layer;
        Set<Operand> resident = EnumSet.noneOf(Operand.class);
        for (JsonNode r : y.path("resident")) {
            Operand op = Operand.parse(r.asText());
            if (op == null) {
                throw new JsonTableReader.TableException(where + ": unknown operand '" + r.asText() + "'");
            }
            resident.add(op);
        }
        long[] reserved = new long[h.levelCount()];
        for (Iterator<Map.Entry<String, JsonNode>> it = y.path("reservedBytes").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            reserved[memory(e.getKey(), h, where)] = e.getValue().asLong();
        }
        List<Nest> nests = new ArrayList<>();
        for (JsonNode z : y.path("tileNests")) {
            String nest = where + ", tile nest " + z.path("rows").asText() + "x" + z.path("cols").asText();
            if (!z.has("temporal") || !z.has("memories")) {
                throw new JsonTableReader.TableException(nest + ": no loops or access counts (a table written before "
                        + "tile nests carried them): map the network again");
            }
            JsonTableReader.Read read = JsonTableReader.mapping(z, nest, h);
            nests.add(new Nest(integer(z, "rows", nest), integer(z, "cols", nest), required(z, "count", nest).asLong(),
                    read.mapping(), read.predicted(), required(z, "macs", nest).asLong()));
        }
        return new Pass(layer, resident, reserved, y.path("intermediateBytes").asLong(), y.path("fusedOps").asLong(),
                y.path("fusedReadDramBytes").asDouble(), y.path("fusedReadOnChipBytes").asDouble(), nests);
    }

    private static int memory(String name, MemoryHierarchy h, String where) throws JsonTableReader.TableException {
        for (int i = 0; i < h.levelCount(); i++) {
            if (h.memory(i).name().equals(name)) {
                return i;
            }
        }
        throw new JsonTableReader.TableException(where + ": no memory " + name + " on " + h.spec().name());
    }

    private static JsonNode required(JsonNode x, String field, String where) throws JsonTableReader.TableException {
        if (!x.has(field) || x.get(field).isNull()) {
            throw new JsonTableReader.TableException(where + ": no " + field);
        }
        return x.get(field);
    }

    private static int integer(JsonNode x, String field, String where) throws JsonTableReader.TableException {
        JsonNode v = required(x, field, where);
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new JsonTableReader.TableException(where + ": " + field + " is not an integer: " + v);
        }
        return v.asInt();
    }
}
