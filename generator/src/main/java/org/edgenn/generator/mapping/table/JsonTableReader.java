package org.edgenn.generator.mapping.table;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.ir.accel.Operand;
import org.edgenn.runtime.cost.AccessCounts;
import org.edgenn.runtime.cost.Loop;
import org.edgenn.runtime.cost.Mapping;
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.edgenn.runtime.cost.SpatialMapping;

/**
 * Reads back what {@link JsonTable} wrote: per layer the chosen mapping (spatial loops, temporal loops, the cut of
 * every memory level) and the access counts the table predicts. A verifier walks that mapping with the loop-nest
 * simulator and compares; reading the file, not the search's objects, is what makes the check cover the table a
 * user actually has.
 */
public final class JsonTableReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The table's layers, in network order; for a network schedule the tensors it keeps on chip ({@code residentLevel}:
     * tensor to memory index) and its depth-first stacks as written ({@link TableStack}: checked against the network by
     * whoever executes them).
     */
    public record Table(String network, String accelerator, List<Layer> layers, Map<String, Integer> residentLevel,
                        List<TableStack> stacks) {
        public Table {
            layers = List.copyOf(layers);
            residentLevel = Map.copyOf(residentLevel);
            stacks = List.copyOf(stacks);
        }

        /** A table without schedule (layer by layer). */
        public Table(String network, String accelerator, List<Layer> layers) {
            this(network, accelerator, layers, Map.of(), List.of());
        }
    }

    /** A mapping read from a layer row or a tile nest: its loops and cuts, and the accesses the table predicts. */
    record Read(Mapping mapping, AccessCounts predicted) {
    }

    /**
     * One layer: its mapping and the predicted accesses per memory level (indexed like the accelerator's memories); in
     * a network schedule also the operands that stay resident below the backing store during it (their link to the
     * backing store is idle) and the element-wise layers fused into its output stage.
     */
    public record Layer(String name, Mapping mapping, AccessCounts predicted, java.util.Set<Operand> resident,
                        List<String> fused) {
        public Layer {
            resident = java.util.Set.copyOf(resident);
            fused = List.copyOf(fused);
        }

        /** A layer of a layer-by-layer table. */
        public Layer(String name, Mapping mapping, AccessCounts predicted) {
            this(name, mapping, predicted, java.util.Set.of(), List.of());
        }
    }

    /** A table that is not {@value JsonTable#SCHEMA} or does not fit the accelerator it is read for. */
    public static final class TableException extends Exception {
        public TableException(String message) {
            super(message);
        }
    }

    private JsonTableReader() {
    }

    /** Parses {@code json}; memory names and operand paths must be those of {@code hierarchy}'s accelerator. */
    public static Table read(String json, MemoryHierarchy hierarchy) throws TableException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new TableException("not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !JsonTable.SCHEMA.equals(root.path("schema").asText())) {
            throw new TableException("not a mapping table (schema " + JsonTable.SCHEMA + ")");
        }
        String accelerator = root.path("accelerator").path("name").asText();
        if (!accelerator.equals(hierarchy.spec().name())) {
            throw new TableException("the table maps onto " + accelerator + ", not " + hierarchy.spec().name());
        }
        List<Layer> layers = new ArrayList<>();
        for (JsonNode l : root.path("layers")) {
            layers.add(layer(l, hierarchy));
        }
        JsonNode schedule = root.path("schedule");
        return new Table(root.path("network").asText(), accelerator, layers, TableStack.residents(schedule, hierarchy),
                TableStack.read(schedule.path("depthFirst"), hierarchy));
    }

    private static Layer layer(JsonNode l, MemoryHierarchy h) throws TableException {
        String name = l.path("name").asText();
        Read read = mapping(l, "layer " + name, h);
        java.util.Set<Operand> resident = java.util.EnumSet.noneOf(Operand.class);
        for (JsonNode r : l.path("resident")) {
            Operand op = Operand.parse(r.asText());
            if (op == null || h.chainLength(op) < 2) {
                throw new TableException("layer " + name + ": operand '" + r.asText() + "' cannot be resident");
            }
            resident.add(op);
        }
        List<String> fused = new ArrayList<>();
        l.path("fused").forEach(f -> fused.add(f.asText()));
        return new Layer(name, read.mapping(), read.predicted(), resident, fused);
    }

    /**
     * The mapping of a layer row or tile nest ({@code spatial}, {@code temporal}, the {@code cut} of its {@code memories}
     * rows) and the counts those rows predict; {@code name} says where, in messages.
     */
    static Read mapping(JsonNode l, String name, MemoryHierarchy h) throws TableException {
        List<List<Loop>> axes = new ArrayList<>();
        for (JsonNode axis : l.path("spatial")) {
            axes.add(loops(axis.path("loops"), name));
        }
        List<Loop> temporal = loops(l.path("temporal"), name);
        Map<Operand, List<Integer>> cuts = new EnumMap<>(Operand.class);
        AccessCounts.Builder predicted = new AccessCounts.Builder(h.levelCount());
        for (JsonNode row : l.path("memories")) {
            Operand op = Operand.parse(row.path("operand").asText());
            if (op == null) {
                throw new TableException(name + ": unknown operand '" + row.path("operand").asText() + "'");
            }
            List<Integer> opCuts = cuts.computeIfAbsent(op, k -> new ArrayList<>());
            int j = opCuts.size();
            String memory = row.path("memory").asText();
            if (j >= h.chainLength(op) || !h.level(op, j).name().equals(memory)) {
                throw new TableException(name + ": memory " + memory + " is not level " + j + " of " + op
                        + "'s path on " + h.spec().name());
            }
            String at = name + ", memory " + memory + ", operand " + op;
            opCuts.add((int) whole(row, "cut", Integer.MAX_VALUE, at));
            int level = h.levelIndex(op, j);
            long finalReads = whole(row, "finalReads", Long.MAX_VALUE, at);
            long finalWrites = whole(row, "finalWrites", Long.MAX_VALUE, at);
            // the table's reads and writes hold both precisions; the counts keep final transfers apart
            add(predicted, level, op, AccessCounts.Kind.READ, whole(row, "reads", Long.MAX_VALUE, at) - finalReads, name);
            add(predicted, level, op, AccessCounts.Kind.FINAL_READ, finalReads, name);
            add(predicted, level, op, AccessCounts.Kind.WRITE, whole(row, "writes", Long.MAX_VALUE, at) - finalWrites, name);
            add(predicted, level, op, AccessCounts.Kind.FINAL_WRITE, finalWrites, name);
        }
        Map<Operand, int[]> cutArrays = new EnumMap<>(Operand.class);
        cuts.forEach((op, c) -> cutArrays.put(op, c.stream().mapToInt(Integer::intValue).toArray()));
        return new Read(new Mapping(new SpatialMapping(axes), temporal, cutArrays), predicted.build());
    }

    private static void add(AccessCounts.Builder b, int level, Operand op, AccessCounts.Kind kind, long n, String layer)
            throws TableException {
        if (n < 0) {
            throw new TableException(layer + ": negative " + kind + " count at level " + level + " for " + op);
        }
        b.add(level, op, kind, n);
    }

    /**
     * A required whole number from 0 to {@code max}: a missing or mistyped field was read as 0 (a removed cut or count
     * went unnoticed, or was reported as a count mismatch rather than a broken file).
     */
    private static long whole(JsonNode row, String field, long max, String at) throws TableException {
        JsonNode v = row.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0 || v.asLong() > max) {
            throw new TableException(at + ": " + field + " must be a whole number from 0 to " + max + ", not "
                    + (v == null ? "missing" : v.toString()));
        }
        return v.asLong();
    }

    private static List<Loop> loops(JsonNode array, String layer) throws TableException {
        List<Loop> out = new ArrayList<>();
        for (JsonNode loop : array) {
            LoopDim d = LoopDim.parse(loop.path("dim").asText());
            JsonNode f = loop.path("factor");
            if (d == null || !f.isIntegralNumber() || !f.canConvertToInt() || f.asInt() < 1) {
                throw new TableException(layer + ": bad loop " + loop + " (a loop dimension and a whole factor "
                        + "from 1 to " + Integer.MAX_VALUE + ")");
            }
            out.add(new Loop(d, f.asInt()));
        }
        return out;
    }
}
