package org.edgenn.generator.mapping.zigzag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.edgenn.ir.accel.LoopDim;

/**
 * Converts a ZigZag hardware description (the YAML of {@code zigzag/inputs/hardware/*.yaml}: {@code name},
 * {@code memories} innermost first, {@code operational_array}) into {@code .edgenn} accelerator text.
 *
 * <p>Unit conversions: sizes are bits in ZigZag, bytes here; port bandwidths are bits/cycle, here B/cycle
 * (the read port's {@code bandwidth_max}); ZigZag's {@code r_cost}/{@code w_cost} are pJ per access of
 * {@code bandwidth_max} bits (see its {@code CostModelEvaluation._calc_memory_access}), here pJ per byte,
 * so {@code pJ/B = cost / (bandwidth_max / 8)}. {@code served_dimensions: []} means one instance per PE
 * ({@code per pe}); any served dimension makes the level shared (partial sharing along one axis cannot be
 * expressed and is noted in a comment). Memory operands {@code I1 -> I}, {@code I2 -> W}, {@code O -> O}
 * (ZigZag's default {@code memory_operand_links}), overridable.
 *
 * <p>What ZigZag does not describe gets a marked default: the MAC width ({@code int8}/{@code int32}), the
 * clock (1000 MHz) and which loop dimensions each array axis may unroll (all, unless a ZigZag mapping file's
 * {@code spatial_mapping} entries are given). The MAC energy ({@code unit_energy}) goes into a comment.
 */
public final class ZigZagImport {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ZigZagImport() {
    }

    /** Converts with ZigZag's default operand links and all loop dimensions allowed on every axis. */
    public static String toEdgenn(String hardwareYaml) {
        return toEdgenn(hardwareYaml, null);
    }

    /**
     * @param mappingYaml optional ZigZag mapping file; its {@code spatial_mapping} entries tell which loop
     *                    dimensions each array dimension unrolls, its {@code memory_operand_links} the operands
     */
    public static String toEdgenn(String hardwareYaml, String mappingYaml) {
        List<String> problems = new ArrayList<>();
        JsonNode hw = parse(hardwareYaml, "hardware", problems);
        JsonNode mapping = mappingYaml == null ? null : parse(mappingYaml, "mapping", problems);
        if (hw == null || !problems.isEmpty()) {
            throw new ZigZagImportException(problems);
        }
        Map<String, String> links = operandLinks(mapping);
        Map<String, Set<LoopDim>> unrolls = unrolls(mapping, problems);
        StringBuilder sb = new StringBuilder();
        String name = identifier(hw.path("name").asText("Imported"), true);
        sb.append("// imported from a ZigZag hardware description (").append(hw.path("name").asText("?"))
                .append(") by ZigZagImport\n");
        sb.append("accelerator ").append(name).append(" {\n");
        sb.append("  mac int8 accumulator int32          // not in ZigZag's description: default, check it\n");
        sb.append("  clock 1000 MHz                      // not in ZigZag's description: default, check it\n");
        JsonNode array = hw.path("operational_array");
        if (array.has("unit_energy")) {
            sb.append("  // MAC energy (ZigZag unit_energy): ").append(num(array.path("unit_energy").asDouble()))
                    .append(" pJ\n");
        }
        JsonNode dims = array.path("dimensions");
        JsonNode sizes = array.path("sizes");
        if (!dims.isArray() || !sizes.isArray() || dims.size() != sizes.size() || dims.isEmpty()) {
            problems.add("operational_array needs equally long 'dimensions' and 'sizes'");
        } else if (dims.size() > 3) {
            problems.add("operational_array has " + dims.size() + " dimensions; .edgenn arrays have 1 to 3");
        } else {
            for (int i = 0; i < dims.size(); i++) {
                String d = dims.get(i).asText();
                Set<LoopDim> u = unrolls.getOrDefault(d, EnumSet.allOf(LoopDim.class));
                sb.append("  axis ").append(identifier(d.toLowerCase(Locale.ROOT), false)).append(' ')
                        .append(sizes.get(i).asInt()).append(" unrolls");
                u.stream().sorted().forEach(x -> sb.append(' ').append(x.name()));
                sb.append('\n');
            }
        }
        JsonNode memories = hw.path("memories");
        if (!memories.isObject() || memories.isEmpty()) {
            problems.add("no 'memories' mapping");
        } else {
            int count = memories.size();
            int index = 0;
            for (Iterator<Map.Entry<String, JsonNode>> it = memories.fields(); it.hasNext(); index++) {
                Map.Entry<String, JsonNode> e = it.next();
                memory(sb, e.getKey(), e.getValue(), index == count - 1, dims.size(), links, problems);
            }
        }
        sb.append("}\n");
        if (!problems.isEmpty()) {
            throw new ZigZagImportException(problems);
        }
        return sb.toString();
    }

    private static void memory(StringBuilder sb, String name, JsonNode m, boolean last, int arrayDims,
                               Map<String, String> links, List<String> problems) {
        long bits = m.path("size").asLong(-1);
        if (!last && bits <= 0) {
            problems.add("memory " + name + " needs a positive size");
        }
        List<String> ops = new ArrayList<>();
        for (JsonNode op : m.path("operands")) {
            String mapped = links.get(op.asText());
            if (mapped == null) {
                problems.add("memory " + name + " holds unknown operand " + op.asText());
            } else if (!ops.contains(mapped)) {
                ops.add(mapped);
            }
        }
        ops.sort(java.util.Comparator.comparingInt(o -> "WIO".indexOf(o)));
        double readBw = portBandwidth(m, true);
        double writeBw = portBandwidth(m, false);
        if (!(readBw > 0) || !(writeBw > 0)) {
            problems.add("memory " + name + " has no read or no write bandwidth");
            return;
        }
        JsonNode served = m.path("served_dimensions");
        boolean perPe = served.isArray() && served.isEmpty();
        sb.append("  memory ").append(identifier(name, false));
        if (!last) {
            sb.append(" size ").append(size(bits / 8));
        }
        if (perPe) {
            sb.append(" per pe");
        }
        {
            sb.append(" bandwidth ").append(num(readBw / 8)).append(" B/cycle");
        }
        sb.append(" holds ").append(String.join(", ", ops));
        sb.append(" read ").append(num(m.path("r_cost").asDouble() / (readBw / 8))).append(" pJ/B");
        sb.append(" write ").append(num(m.path("w_cost").asDouble() / (writeBw / 8))).append(" pJ/B");
        if (!perPe && served.isArray() && served.size() < arrayDims) {
            sb.append("   // ZigZag shares it along ").append(served)
                    .append(" only; .edgenn has shared or per PE, imported as shared");
        }
        if (last && bits > 0) {
            sb.append("   // backing store: ZigZag size ").append(bits).append(" bit dropped");
        }
        sb.append('\n');
    }

    /** bits/cycle of the first read (or write) capable port; old-style {@code r_bw}/{@code w_bw} also accepted. */
    private static double portBandwidth(JsonNode m, boolean read) {
        String old = read ? "r_bw" : "w_bw";
        if (m.has(old)) {
            return m.path(old).asDouble();
        }
        for (JsonNode p : m.path("ports")) {
            String type = p.path("type").asText();
            if (type.equals(read ? "read" : "write") || type.equals("read_write")) {
                return p.path("bandwidth_max").asDouble(p.path("bandwidth_min").asDouble());
            }
        }
        return -1;
    }

    private static Map<String, String> operandLinks(JsonNode mapping) {
        Map<String, String> links = new LinkedHashMap<>(Map.of("I1", "I", "I2", "W", "O", "O"));
        if (mapping != null) {
            for (JsonNode entry : mapping) {
                JsonNode l = entry.path("memory_operand_links");
                l.fields().forEachRemaining(e -> links.put(e.getValue().asText(), e.getKey()));
            }
        }
        return links;
    }

    private static Map<String, Set<LoopDim>> unrolls(JsonNode mapping, List<String> problems) {
        Map<String, Set<LoopDim>> out = new LinkedHashMap<>();
        if (mapping == null) {
            return out;
        }
        for (JsonNode entry : mapping) {
            entry.path("spatial_mapping").fields().forEachRemaining(e -> {
                for (JsonNode item : e.getValue()) {
                    String dim = item.asText().split(",")[0].trim();
                    LoopDim d = LoopDim.parse(dim.equals("B") ? "N" : dim);
                    if (d == null) {
                        problems.add("unknown loop dimension '" + dim + "' in spatial_mapping of " + e.getKey());
                    } else {
                        out.computeIfAbsent(e.getKey(), k -> EnumSet.noneOf(LoopDim.class)).add(d);
                    }
                }
            });
        }
        return out;
    }

    private static JsonNode parse(String yaml, String what, List<String> problems) {
        try {
            JsonNode n = YAML.readTree(yaml);
            if (n == null || n.isMissingNode()) {
                problems.add("the " + what + " YAML is empty");
            }
            return n;
        } catch (IOException e) {
            problems.add("the " + what + " YAML does not parse: " + e.getMessage().lines().findFirst().orElse(""));
            return null;
        }
    }

    private static String size(long bytes) {
        if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
            return bytes / (1 << 20) + " MiB";
        }
        if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) {
            return bytes / (1 << 10) + " KiB";
        }
        return bytes + " B";
    }

    static String num(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e12) {
            return Long.toString((long) d);
        }
        String s = String.format(Locale.ROOT, "%.6g", d);
        if (s.contains("e")) {
            return s;
        }
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    /** A valid .edgenn identifier; the accelerator name in CamelCase ({@code tpu_like -> TpuLike}). */
    private static String identifier(String s, boolean camel) {
        StringBuilder b = new StringBuilder();
        boolean up = camel;
        for (char c : s.toCharArray()) {
            if (Character.isLetterOrDigit(c)) {
                b.append(up ? Character.toUpperCase(c) : c);
                up = false;
            } else if (camel) {
                up = true;
            } else {
                b.append('_');
            }
        }
        if (b.length() == 0 || Character.isDigit(b.charAt(0))) {
            b.insert(0, 'M');
        }
        return b.toString();
    }
}
