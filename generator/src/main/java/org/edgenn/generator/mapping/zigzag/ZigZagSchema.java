package org.edgenn.generator.mapping.zigzag;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * ZigZag 3.8's own rules for its hardware and mapping files ({@code zigzag/parser/accelerator_validator.py},
 * {@code mapping_validator.py}: cerberus schemas, which refuse unknown keys, plus their extra checks), applied before
 * conversion so that a broken file is refused with the field's path and what is wrong, instead of a default
 * ({@code path(...).asInt()} reads a missing or mistyped value as 0, a missing {@code served_dimensions} as "shared
 * by the array") or an invalid {@code .edgenn} text that only {@code edgenn check} rejects, in the wrong file.
 *
 * <p>Beyond ZigZag: sizes, bandwidths and array sizes must be positive and fit a long (an int for array sizes),
 * costs must be non-negative numbers, and {@code auto_cost_extraction: true} is refused (it asks ZigZag to run
 * CACTI, which EdgeNN does not). Keys ZigZag requires that the conversion does not read ({@code latency},
 * {@code area}, a port's {@code name} and {@code allocation}) may be left out; when given, they are checked (a port's
 * name only for being a string).
 * The legacy per-memory {@code r_bw}/{@code w_bw} stand in for {@code ports}.
 */
final class ZigZagSchema {
    private static final Pattern OPERAND = Pattern.compile("I[12]|O");
    private static final Pattern DIMENSION = Pattern.compile("D\\d+");
    private static final Pattern ALLOCATION = Pattern.compile("(I[12]|O), (fh|tl|fl|th)");
    private static final Pattern SPATIAL_ITEM = Pattern.compile("[A-Z]+\\d*, *\\d+");

    private static final Set<String> TOP = Set.of("name", "memories", "operational_array", "dataflows");
    private static final Set<String> MEMORY = Set.of("size", "r_cost", "w_cost", "area", "latency", "mem_type",
            "auto_cost_extraction", "operands", "ports", "served_dimensions", "force_double_buffering", "r_bw", "w_bw",
            "r_port", "w_port", "rw_port");
    private static final Set<String> PORT_KEYS = Set.of("name", "type", "bandwidth_min", "bandwidth_max", "allocation");
    private static final Set<String> ARRAY = Set.of("dimensions", "sizes", "is_imc", "input_precision", "unit_energy",
            "unit_area", "imc_type", "adc_resolution", "bit_serial_precision");
    private static final Set<String> MAPPING = Set.of("name", "spatial_mapping", "memory_operand_links",
            "spatial_mapping_hint", "temporal_ordering");

    private ZigZagSchema() {
    }

    /** Every problem of a parsed hardware file, each starting with the field's path. */
    static void hardware(JsonNode hw, List<String> out) {
        if (!hw.isObject()) {
            out.add("the hardware file is a mapping with name, memories and operational_array, not a " + kind(hw));
            return;
        }
        unknownKeys(hw, TOP, "", out);
        string(hw, "name", "", true, out);
        JsonNode array = hw.get("operational_array");
        Set<String> dims = new HashSet<>();
        if (array == null) {
            out.add("operational_array: missing");
        } else if (!array.isObject()) {
            out.add("operational_array: a mapping, not a " + kind(array));
        } else {
            array(array, dims, out);
        }
        JsonNode memories = hw.get("memories");
        if (memories == null) {
            out.add("memories: missing");
        } else if (!memories.isObject() || memories.isEmpty()) {
            out.add("memories: a mapping from names to memories (innermost first), not " + (memories.isObject()
                    ? "an empty one" : "a " + kind(memories)));
        } else {
            for (Iterator<Map.Entry<String, JsonNode>> it = memories.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                memory("memories." + e.getKey(), e.getValue(), dims, out);
            }
        }
    }

    private static void array(JsonNode a, Set<String> dims, List<String> out) {
        String at = "operational_array.";
        unknownKeys(a, ARRAY, at, out);
        JsonNode d = list(a, "dimensions", at, true, out);
        JsonNode s = list(a, "sizes", at, true, out);
        if (d != null) {
            for (int i = 0; i < d.size(); i++) {
                String name = at + "dimensions[" + i + "]";
                if (!d.get(i).isTextual() || !DIMENSION.matcher(d.get(i).asText()).matches()) {
                    out.add(name + ": an array dimension is named D1, D2, ..., not " + d.get(i));
                } else if (!dims.add(d.get(i).asText())) {
                    out.add(name + ": " + d.get(i).asText() + " is listed twice");
                }
            }
        }
        if (s != null) {
            for (int i = 0; i < s.size(); i++) {
                positive(s.get(i), at + "sizes[" + i + "]", Integer.MAX_VALUE, out);
            }
        }
        if (d != null && s != null && d.size() != s.size()) {
            out.add(at + "sizes: " + s.size() + " sizes for " + d.size() + " dimensions");
        }
        if (d != null && d.isEmpty()) {
            out.add(at + "dimensions: the array has at least one dimension");
        }
        JsonNode p = list(a, "input_precision", at, false, out);
        if (p != null) {
            if (p.size() != 2) {
                out.add(at + "input_precision: two precisions (inputs, weights), not " + p.size());
            }
            for (int i = 0; i < p.size(); i++) {
                positive(p.get(i), at + "input_precision[" + i + "]", 64, out);
            }
        }
        nonNegative(a, "unit_energy", at, false, out);
        nonNegative(a, "unit_area", at, false, out);
        bool(a, "is_imc", at, out);
    }

    private static void memory(String at, JsonNode m, Set<String> dims, List<String> out) {
        if (!m.isObject()) {
            out.add(at + ": a memory is a mapping (size, r_cost, w_cost, operands, ports, served_dimensions), not a "
                    + kind(m));
            return;
        }
        String p = at + ".";
        unknownKeys(m, MEMORY, p, out);
        if (!m.has("size")) {
            out.add(p + "size: missing (bits)");
        } else {
            positive(m.get("size"), p + "size", Long.MAX_VALUE, out);
        }
        if (m.path("auto_cost_extraction").asBoolean(false)) {
            out.add(p + "auto_cost_extraction: true asks ZigZag to run CACTI, which EdgeNN does not; set it false and "
                    + "give r_cost and w_cost");
        }
        bool(m, "auto_cost_extraction", p, out);
        bool(m, "force_double_buffering", p, out);
        nonNegative(m, "r_cost", p, true, out);
        nonNegative(m, "w_cost", p, true, out);
        nonNegative(m, "area", p, false, out);
        if (m.has("latency") && !m.get("latency").isIntegralNumber()) {
            out.add(p + "latency: a whole number of cycles, not " + m.get("latency"));
        }
        string(m, "mem_type", p, false, out);
        JsonNode ops = list(m, "operands", p, true, out);
        if (ops != null) {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < ops.size(); i++) {
                String o = ops.get(i).asText();
                if (!ops.get(i).isTextual() || !OPERAND.matcher(o).matches()) {
                    out.add(p + "operands[" + i + "]: a memory operand is I1, I2 or O, not " + ops.get(i));
                } else if (!seen.add(o)) {
                    out.add(p + "operands[" + i + "]: " + o + " is listed twice");
                }
            }
            if (ops.isEmpty()) {
                out.add(p + "operands: a memory holds at least one of I1, I2, O");
            }
        }
        JsonNode served = list(m, "served_dimensions", p, true, out);
        if (served != null) {
            for (int i = 0; i < served.size(); i++) {
                if (!dims.isEmpty() && !dims.contains(served.get(i).asText())) {
                    out.add(p + "served_dimensions[" + i + "]: " + served.get(i) + " is not a dimension of the "
                            + "operational_array " + dims.stream().sorted().toList());
                }
            }
        }
        boolean legacy = m.has("r_bw") || m.has("w_bw");
        if (legacy) {
            positive(m.path("r_bw"), p + "r_bw", Long.MAX_VALUE, out);
            positive(m.path("w_bw"), p + "w_bw", Long.MAX_VALUE, out);
            return;
        }
        JsonNode ports = list(m, "ports", p, true, out);
        if (ports == null) {
            return;
        }
        if (ports.isEmpty()) {
            out.add(p + "ports: a memory has at least one port");
        }
        for (int i = 0; i < ports.size(); i++) {
            port(p + "ports[" + i + "]", ports.get(i), out);
        }
    }

    private static void port(String at, JsonNode port, List<String> out) {
        if (!port.isObject()) {
            out.add(at + ": a port is a mapping (name, type, bandwidth_min, bandwidth_max, allocation), not a " + kind(port));
            return;
        }
        String p = at + ".";
        unknownKeys(port, PORT_KEYS, p, out);
        string(port, "name", p, false, out); // ZigZag's r_port_N pattern is not enforced: EdgeNN never reads the name
        String type = port.path("type").asText("");
        if (!port.has("type")) {
            out.add(p + "type: missing (read, write or read_write)");
        } else if (!Set.of("read", "write", "read_write").contains(type) || !port.get("type").isTextual()) {
            out.add(p + "type: read, write or read_write, not " + port.get("type"));
        }
        boolean min = positive(port.get("bandwidth_min"), p + "bandwidth_min", Long.MAX_VALUE, out);
        boolean max = positive(port.get("bandwidth_max"), p + "bandwidth_max", Long.MAX_VALUE, out);
        if (min && max && port.get("bandwidth_min").asLong() > port.get("bandwidth_max").asLong()) {
            out.add(p + "bandwidth_min: " + port.get("bandwidth_min") + " bits exceeds bandwidth_max "
                    + port.get("bandwidth_max"));
        }
        JsonNode alloc = list(port, "allocation", p, false, out);
        if (alloc != null) {
            for (int i = 0; i < alloc.size(); i++) {
                String a = alloc.get(i).asText();
                String ap = p + "allocation[" + i + "]";
                if (!alloc.get(i).isTextual() || !ALLOCATION.matcher(a).matches()) {
                    out.add(ap + ": an allocation is 'OPERAND, DIRECTION' (I1/I2/O; fh, tl, fl, th), not " + alloc.get(i));
                } else if (type.equals("read") && (a.endsWith("fh") || a.endsWith("fl"))) {
                    out.add(ap + ": a read port cannot serve the write direction " + a);
                } else if (type.equals("write") && (a.endsWith("th") || a.endsWith("tl"))) {
                    out.add(ap + ": a write port cannot serve the read direction " + a);
                }
            }
        }
    }

    /** Every problem of a parsed mapping file; {@code dims} are the hardware's array dimensions (may be empty). */
    static void mapping(JsonNode mapping, Set<String> dims, List<String> out) {
        if (!mapping.isArray()) {
            out.add("a ZigZag mapping file is a list of entries (name, spatial_mapping, ...), not a " + kind(mapping));
            return;
        }
        for (int i = 0; i < mapping.size(); i++) {
            JsonNode e = mapping.get(i);
            String at = "[" + i + "]";
            if (!e.isObject()) {
                out.add(at + ": an entry is a mapping (name, spatial_mapping, ...), not a " + kind(e));
                continue;
            }
            at = e.path("name").isTextual() ? e.get("name").asText() : at;
            String p = at + ".";
            unknownKeys(e, MAPPING, p, out);
            string(e, "name", p, true, out);
            JsonNode sm = e.get("spatial_mapping");
            if (sm != null && !sm.isNull()) {
                if (!sm.isObject()) {
                    out.add(p + "spatial_mapping: a mapping from array dimensions to lists, not a " + kind(sm));
                    continue;
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = sm.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> d = it.next();
                    String dp = p + "spatial_mapping." + d.getKey();
                    if (!dims.isEmpty() && !dims.contains(d.getKey())) {
                        out.add(dp + ": not a dimension of the hardware's operational_array " + dims.stream().sorted().toList());
                    }
                    if (!d.getValue().isArray()) {
                        out.add(dp + ": a list of 'LOOP, FACTOR' items, not a " + kind(d.getValue()));
                        continue;
                    }
                    for (int j = 0; j < d.getValue().size(); j++) {
                        JsonNode item = d.getValue().get(j);
                        if (!item.isTextual() || !SPATIAL_ITEM.matcher(item.asText().trim()).matches()) {
                            out.add(dp + "[" + j + "]: 'LOOP, FACTOR' (e.g. 'K, 16'), not " + item);
                        }
                    }
                }
            }
            JsonNode links = e.get("memory_operand_links");
            if (links != null) {
                if (!links.isObject()) {
                    out.add(p + "memory_operand_links: a mapping (O, W, I to O, I2, I1), not a " + kind(links));
                } else {
                    unknownKeys(links, Set.of("O", "W", "I"), p + "memory_operand_links.", out);
                    links.fields().forEachRemaining(l -> {
                        if (!l.getValue().isTextual() || !OPERAND.matcher(l.getValue().asText()).matches()) {
                            out.add(p + "memory_operand_links." + l.getKey() + ": a memory operand I1, I2 or O, not "
                                    + l.getValue());
                        }
                    });
                }
            }
        }
    }

    private static final Set<String> LAYER = Set.of("id", "name", "operator_type", "equation", "dimension_relations",
            "loop_dims", "loop_sizes", "operand_precision", "operand_source", "pr_loop_dims", "pr_loop_sizes", "padding");
    /** {@code workload_validator.py}'s ALLOWED_OPERATORS. */
    private static final Set<String> OPERATORS = Set.of("Max", "Conv", "Pooling", "Add", "Conv_downsample", "Gemm",
            "Pool", "MaxPool", "AveragePool", "GlobalAveragePool");

    /**
     * Every problem of one layer of a workload file ({@code workload_validator.py}'s LAYER_SCHEMA: unknown keys,
     * required keys, types; loop sizes positive ints), each starting with {@code at.field}. {@code padding} and
     * {@code pr_loop_*} are accepted and not read: ZigZag's YAML loader and EdgeNN count inputs on the padded plane.
     */
    static void workloadLayer(JsonNode l, String at, List<String> out) {
        if (!l.isObject()) {
            out.add(at + ": a layer is a mapping (id, operator_type, equation, loop_dims, ...), not a " + kind(l));
            return;
        }
        String p = at + ".";
        unknownKeys(l, LAYER, p, out);
        if (!l.has("id")) {
            out.add(p + "id: missing");
        } else if (!l.get("id").isIntegralNumber()) {
            out.add(p + "id: a whole number, not " + l.get("id"));
        }
        if (l.has("name") && !l.get("name").isNull() && !l.get("name").isTextual()) {
            out.add(p + "name: a string, not " + l.get("name"));
        }
        JsonNode type = l.get("operator_type");
        if (type == null) {
            out.add(p + "operator_type: missing");
        } else if (!OPERATORS.contains(type.asText()) || !type.isTextual()) {
            out.add(p + "operator_type: one of " + OPERATORS.stream().sorted().toList() + ", not " + type);
        }
        string(l, "equation", p, true, out);
        JsonNode dims = list(l, "loop_dims", p, true, out);
        JsonNode sizes = list(l, "loop_sizes", p, true, out);
        if (sizes != null) {
            for (int i = 0; i < sizes.size(); i++) {
                positive(sizes.get(i), p + "loop_sizes[" + i + "]", Integer.MAX_VALUE, out);
            }
        }
        if (dims != null && sizes != null && dims.size() != sizes.size()) {
            out.add(p + "loop_sizes: " + sizes.size() + " sizes for " + dims.size() + " loop_dims");
        }
        list(l, "dimension_relations", p, false, out);
        JsonNode prec = l.get("operand_precision");
        if (prec == null) {
            out.add(p + "operand_precision: missing (W, I, O, O_final in bits)");
        } else if (!prec.isObject()) {
            out.add(p + "operand_precision: a mapping (W, I, O, O_final), not a " + kind(prec));
        } else {
            unknownKeys(prec, Set.of("W", "I", "O", "O_final"), p + "operand_precision.", out);
            // a MAC layer's W and I widths are not defaulted (ZigZag's schema leaves them optional for pooling/add)
            String t = l.path("operator_type").asText("");
            boolean mac = t.startsWith("Conv") || t.startsWith("Gemm");
            for (String o : List.of("W", "I", "O", "O_final")) {
                JsonNode v = prec.get(o);
                boolean required = o.startsWith("O") || mac;
                if (v == null) {
                    if (required) {
                        out.add(p + "operand_precision." + o + ": missing");
                    }
                } else if (!v.isIntegralNumber() || v.asLong() < 0 || v.asLong() > 64) {
                    out.add(p + "operand_precision." + o + ": a number of bits from 0 to 64, not " + v);
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ primitives

    private static void unknownKeys(JsonNode n, Set<String> allowed, String at, List<String> out) {
        n.fieldNames().forEachRemaining(k -> {
            if (!allowed.contains(k)) {
                out.add(at + k + ": unknown key; expected one of " + allowed.stream().sorted().toList());
            }
        });
    }

    private static void string(JsonNode n, String key, String at, boolean required, List<String> out) {
        JsonNode v = n.get(key);
        if (v == null) {
            if (required) {
                out.add(at + key + ": missing");
            }
        } else if (!v.isTextual()) {
            out.add(at + key + ": a string, not " + v);
        }
    }

    private static JsonNode list(JsonNode n, String key, String at, boolean required, List<String> out) {
        JsonNode v = n.get(key);
        if (v == null) {
            if (required) {
                out.add(at + key + ": missing");
            }
            return null;
        }
        if (!v.isArray()) {
            out.add(at + key + ": a list, not " + v);
            return null;
        }
        return v;
    }

    /** A whole number from 1 to {@code max}; true when it is one. */
    private static boolean positive(JsonNode v, String at, long max, List<String> out) {
        if (v == null || v.isMissingNode()) {
            out.add(at + ": missing");
            return false;
        }
        if (!v.isIntegralNumber()) {
            out.add(at + ": a whole number, not " + v);
            return false;
        }
        if (!v.canConvertToLong() || v.asLong() > max) {
            out.add(at + ": " + v + " is too large (at most " + max + ")");
            return false;
        }
        if (v.asLong() < 1) {
            out.add(at + ": must be positive, not " + v);
            return false;
        }
        return true;
    }

    private static void nonNegative(JsonNode n, String key, String at, boolean required, List<String> out) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            if (required) {
                out.add(at + key + ": missing");
            }
        } else if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
            out.add(at + key + ": a number, not " + v);
        } else if (v.asDouble() < 0) {
            out.add(at + key + ": must not be negative, not " + v);
        }
    }

    private static void bool(JsonNode n, String key, String at, List<String> out) {
        JsonNode v = n.get(key);
        if (v != null && !v.isBoolean()) {
            out.add(at + key + ": true or false, not " + v);
        }
    }

    private static String kind(JsonNode n) {
        return n.isArray() ? "list" : n.isObject() ? "mapping" : n.isNull() ? "null" : "scalar " + n;
    }
}
