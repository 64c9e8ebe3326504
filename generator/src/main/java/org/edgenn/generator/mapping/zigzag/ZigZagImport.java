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
 * <p>Unit conversions: sizes are bits in ZigZag, bytes here; port bandwidths are bits/cycle, here B/cycle;
 * ZigZag's {@code r_cost}/{@code w_cost} are pJ per access of {@code bandwidth_max} bits (see its
 * {@code CostModelEvaluation._calc_memory_access}), here pJ per byte, so
 * {@code pJ/B = cost / (bandwidth_max / 8)} with the first read (write) port's {@code bandwidth_max}.
 * Ports: the bandwidths of all read (write) ports add up; read and write ports become
 * {@code bandwidth R write bandwidth W}, read_write ports one shared {@code bandwidth}.
 * {@code served_dimensions}: {@code []} is {@code per pe}, all array dimensions is shared by the array, a
 * subset is {@code shared along} those axes; the backing store is always shared. Memory operands
 * {@code I1 -> I}, {@code I2 -> W}, {@code O -> O} (ZigZag's default {@code memory_operand_links}), overridable.
 * The MAC energy is {@code unit_energy}, the MAC width {@code input_precision}.
 *
 * <p>Operand precisions belong to ZigZag's workloads, not its hardware: every shipped workload
 * ({@code resnet18.yaml}, the ONNX parser's default) has 8-bit weights and inputs, 16-bit partial sums and
 * 8-bit final outputs, so the accumulator defaults to 16 bits (the 2-byte output registers of
 * {@code tpu_like} and the others are sized for it). What ZigZag does not describe gets a marked default: the
 * clock (1000 MHz) and which loop dimensions each array axis may unroll (all, unless a ZigZag mapping file's
 * {@code spatial_mapping} entries are given).
 */
public final class ZigZagImport {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** Partial-sum width of ZigZag's shipped workloads ({@code operand_precision: O: 16}). */
    public static final int ZIGZAG_PARTIAL_SUM_BITS = 16;
    /** The widest MAC operand and partial sum the language takes (AcceleratorLowering's limit). */
    private static final int MAX_WIDTH_BITS = 32;

    private ZigZagImport() {
    }

    /** Converts with ZigZag's default operand links and all loop dimensions allowed on every axis. */
    public static String toEdgenn(String hardwareYaml) {
        return toEdgenn(hardwareYaml, null);
    }

    /** As {@link #toEdgenn(String, String, int)} with 16-bit partial sums. */
    public static String toEdgenn(String hardwareYaml, String mappingYaml) {
        return toEdgenn(hardwareYaml, mappingYaml, ZIGZAG_PARTIAL_SUM_BITS);
    }

    /**
     * @param mappingYaml     optional ZigZag mapping file; its {@code spatial_mapping} entries tell which loop
     *                        dimensions each array dimension unrolls, its {@code memory_operand_links} the operands
     * @param accumulatorBits the partial-sum width (ZigZag's workload {@code operand_precision.O})
     */
    public static String toEdgenn(String hardwareYaml, String mappingYaml, int accumulatorBits) {
        return toEdgenn(hardwareYaml, "hardware file", mappingYaml, "mapping file", accumulatorBits);
    }

    /**
     * As {@link #toEdgenn(String, String, int)}; every problem is reported with the name of the file it is in
     * ({@code hardwareName} or {@code mappingName}, e.g. their paths) and the path of the field.
     *
     * @throws ZigZagImportException listing every problem found, each {@link ZigZagImportException.Problem} with its file
     */
    public static String toEdgenn(String hardwareYaml, String hardwareName, String mappingYaml, String mappingName,
                                  int accumulatorBits) {
        List<ZigZagImportException.Problem> located = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        JsonNode hw = parse(hardwareYaml, "hardware", problems);
        if (hw != null && problems.isEmpty()) {
            ZigZagSchema.hardware(hw, problems);
        }
        problems.forEach(p -> located.add(new ZigZagImportException.Problem(hardwareName, p)));
        problems.clear();
        JsonNode mapping = mappingYaml == null ? null : parse(mappingYaml, "mapping", problems);
        if (mapping != null && problems.isEmpty() && hw != null) {
            Set<String> dims = new java.util.HashSet<>();
            hw.path("operational_array").path("dimensions").forEach(d -> dims.add(d.asText()));
            ZigZagSchema.mapping(mapping, dims, problems);
        }
        problems.forEach(p -> located.add(new ZigZagImportException.Problem(mappingName, p)));
        problems.clear();
        if (!located.isEmpty()) {
            throw ZigZagImportException.located(located);
        }
        List<String> mappingProblems = new ArrayList<>();
        String text = convert(hw, mapping, accumulatorBits, problems, mappingProblems);
        problems.forEach(p -> located.add(new ZigZagImportException.Problem(hardwareName, p)));
        mappingProblems.forEach(p -> located.add(new ZigZagImportException.Problem(mappingName, p)));
        if (!located.isEmpty()) {
            throw ZigZagImportException.located(located);
        }
        return text;
    }

    private static String convert(JsonNode hw, JsonNode mapping, int accumulatorBits, List<String> problems,
                                  List<String> mappingProblems) {
        Map<String, String> links = operandLinks(mapping);
        Map<String, Set<LoopDim>> unrolls = unrolls(mapping, mappingProblems);
        StringBuilder sb = new StringBuilder();
        String name = identifier(hw.path("name").asText("Imported"), true);
        sb.append("// imported from a ZigZag hardware description (").append(hw.path("name").asText("?"))
                .append(") by ZigZagImport\n");
        sb.append("accelerator ").append(name).append(" {\n");
        JsonNode array = hw.path("operational_array");
        int macBits = 0;
        for (JsonNode p : array.path("input_precision")) {
            macBits = Math.max(macBits, p.asInt());
        }
        if (macBits <= 0) {
            macBits = 8;
        }
        // any width up to 32 bits is written as it is (int12, int24): the language takes every intN from 1 (2) to 32
        if (macBits > MAX_WIDTH_BITS) {
            problems.add("operational_array.input_precision: " + macBits + "-bit MAC operands; EdgeNN's MACs are at most "
                    + MAX_WIDTH_BITS + " bits wide");
        }
        if (accumulatorBits < 2 || accumulatorBits > MAX_WIDTH_BITS) {
            problems.add("partial sums of " + accumulatorBits + " bits (--partial-sum-bits): EdgeNN's partial sums are 2 to "
                    + MAX_WIDTH_BITS + " bits wide");
        } else if (accumulatorBits < 2 * macBits) {
            problems.add("partial sums of " + accumulatorBits + " bits cannot hold a product of two " + macBits
                    + "-bit MAC operands (operational_array.input_precision): give --partial-sum-bits " + 2 * macBits);
        }
        sb.append("  mac int").append(macBits).append(" accumulator int").append(accumulatorBits);
        if (array.has("unit_energy")) {
            sb.append(" energy ").append(num(array.path("unit_energy").asDouble())).append(" pJ");
        }
        List<String> notes = new ArrayList<>();
        if (!array.has("input_precision")) {
            notes.add("MAC width not in ZigZag's hardware: int8");
        }
        if (accumulatorBits == ZIGZAG_PARTIAL_SUM_BITS) {
            notes.add("partial sums 16 bits, as in ZigZag's workloads");
        }
        if (!array.has("unit_energy")) {
            notes.add("no unit_energy: MAC energy left to the mapper's default");
        }
        sb.append(notes.isEmpty() ? "" : "   // " + String.join("; ", notes)).append('\n');
        if (mapping != null && mapping.findValue("temporal_ordering") != null) {
            sb.append("  // the mapping file's temporal_ordering is a fixed loop order; .edgenn leaves the order to the mapper\n");
        }
        if (genericGemm(mapping)) {
            sb.append("  // ZigZag's GEMM loop dimensions read as D0 -> N, D1 -> K, D2 -> C (O[d0][d1] += I[d0][d2] * W[d2][d1])\n");
        }
        if (hw.has("dataflows")) {
            sb.append("  // the file's dataflows are not read: give the spatial mapping as a ZigZag mapping file (--mapping)\n");
        }
        if (array.path("is_imc").asBoolean(false)) {
            sb.append("  // ZigZag describes an in-memory-computing array (").append(array.path("imc_type").asText("?"))
                    .append("); imported as a digital array: ADC/DAC and bit-serial costs are not modelled\n");
        }
        sb.append("  clock 1000 MHz                      // not in ZigZag's description: default, check it\n");
        JsonNode dims = array.path("dimensions");
        JsonNode sizes = array.path("sizes");
        List<String> axisNames = new ArrayList<>();
        if (!dims.isArray() || !sizes.isArray() || dims.size() != sizes.size() || dims.isEmpty()) {
            problems.add("operational_array needs equally long 'dimensions' and 'sizes'");
        } else {
            for (int i = 0; i < dims.size(); i++) {
                String d = dims.get(i).asText();
                Set<LoopDim> u = unrolls.getOrDefault(d, EnumSet.allOf(LoopDim.class));
                String axis = identifier(d.toLowerCase(Locale.ROOT), false);
                axisNames.add(axis);
                sb.append("  axis ").append(axis).append(' ').append(sizes.get(i).asInt()).append(" unrolls");
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
            Map<String, String> written = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = memories.fields(); it.hasNext(); index++) {
                Map.Entry<String, JsonNode> e = it.next();
                // two ZigZag names may become one identifier ("sram-1", "sram_1"): .edgenn would see one memory twice
                String other = written.put(identifier(e.getKey(), false).replace("^", ""), e.getKey());
                if (other != null) {
                    problems.add("memories." + e.getKey() + ": its name reads as " + identifier(e.getKey(), false)
                            + " in .edgenn, as does memories." + other + "; rename one");
                }
                if (index == count - 1) {
                    List<String> missing = new ArrayList<>(List.of("I1", "I2", "O"));
                    e.getValue().path("operands").forEach(o -> missing.remove(o.asText()));
                    if (!missing.isEmpty()) {
                        problems.add("memories." + e.getKey() + ".operands: the last memory is the backing store and, in "
                                + "EdgeNN, holds every operand (I1, I2, O); it lacks " + String.join(", ", missing));
                    }
                }
                memory(sb, e.getKey(), e.getValue(), index == count - 1, axisNames, links, accumulatorBits, problems);
            }
        }
        sb.append("}\n");
        return sb.toString();
    }

    private static void memory(StringBuilder sb, String name, JsonNode m, boolean last, List<String> axes,
                               Map<String, String> links, int accumulatorBits, List<String> problems) {
        long bits = m.path("size").asLong(-1);
        if (!last && bits <= 0) {
            problems.add("memories." + name + ".size: needs a positive size");
        }
        if (!last && bits / 8 > (1L << 50)) {
            problems.add("memories." + name + ".size: " + bits + " bits is more than the 1 PiB a .edgenn memory may hold");
        }
        List<String> ops = new ArrayList<>();
        for (JsonNode op : m.path("operands")) {
            String mapped = links.get(op.asText());
            if (mapped == null) {
                problems.add("memories." + name + ".operands: " + op.asText() + " is linked to no workload operand "
                        + "by memory_operand_links " + links);
            } else if (!ops.contains(mapped)) {
                ops.add(mapped);
            }
        }
        ops.sort(java.util.Comparator.comparingInt(o -> "WIO".indexOf(o)));
        if (!last && bits > 0 && ops.contains("O") && bits < accumulatorBits) {
            // the language refuses it (a register that can never take a partial sum): say so here, with the width
            problems.add("memories." + name + ".size: " + bits + " bits holds O but not one " + accumulatorBits
                    + "-bit partial sum (--partial-sum-bits, the workload's operand_precision.O)");
        }
        Ports p = ports(m);
        if (!(p.readWord > 0) || !(p.writeWord > 0)) {
            problems.add("memories." + name + ".ports: no read or no write port");
            return;
        }
        JsonNode served = m.path("served_dimensions");
        List<String> along = new ArrayList<>();
        for (JsonNode d : served) {
            along.add(identifier(d.asText().toLowerCase(Locale.ROOT), false));
        }
        boolean perPe = served.isArray() && served.isEmpty() && !last;
        boolean partial = !perPe && !last && served.isArray() && !along.containsAll(axes);
        sb.append("  memory ").append(identifier(name, false));
        if (!last) {
            sb.append(" size ").append(size(bits));
        }
        if (perPe) {
            sb.append(" per pe");
        } else if (partial) {
            sb.append(" shared along ").append(String.join(", ", along));
        }
        if (p.separate()) {
            sb.append(" bandwidth ").append(num(p.read / 8)).append(" B/cycle write bandwidth ")
                    .append(num(p.write / 8)).append(" B/cycle");
        } else {
            sb.append(" bandwidth ").append(num(p.readWrite / 8)).append(" B/cycle");
        }
        sb.append(" holds ").append(String.join(", ", ops));
        sb.append(" read ").append(num(m.path("r_cost").asDouble() / (p.readWord / 8))).append(" pJ/B");
        sb.append(" write ").append(num(m.path("w_cost").asDouble() / (p.writeWord / 8))).append(" pJ/B");
        if (p.minWord > 0) {
            sb.append(" word ").append(p.minWord % 8 == 0 ? num(p.minWord / 8) + " B" : num(p.minWord) + " bit");
        }
        if (p.minWordsDiffer) {
            sb.append("   // ports of different bandwidth_min: the first port's taken as the word");
        }
        if (last && served.isArray() && !along.containsAll(axes)) {
            sb.append("   // ZigZag serves it along ").append(served).append(" only; a backing store is shared");
        }
        if (last && bits > 0) {
            sb.append("   // backing store: ZigZag size ").append(bits).append(" bit dropped");
        }
        if (p.mixed) {
            sb.append("   // read_write ports added to both the read and the write port");
        }
        sb.append('\n');
    }

    /**
     * Port bandwidths in bits/cycle: the sums over read, write and read_write ports; {@code readWord} and
     * {@code writeWord} are the first read (write) capable port's {@code bandwidth_max}, the word ZigZag's
     * {@code r_cost}/{@code w_cost} are charged per. Old-style {@code r_bw}/{@code w_bw} are also accepted.
     */
    private record Ports(double read, double write, double readWrite, double readWord, double writeWord,
                         boolean mixed, double minWord, boolean minWordsDiffer) {
        boolean separate() {
            return readWrite == 0 || read > 0 || write > 0;
        }
    }

    private static Ports ports(JsonNode m) {
        if (m.has("r_bw") || m.has("w_bw")) {
            double r = m.path("r_bw").asDouble(-1);
            double w = m.path("w_bw").asDouble(-1);
            return new Ports(r, w, 0, r, w, false, 0, false);
        }
        double read = 0;
        double write = 0;
        double rw = 0;
        double readWord = -1;
        double writeWord = -1;
        double minWord = 0;
        boolean minWordsDiffer = false;
        for (JsonNode p : m.path("ports")) {
            String type = p.path("type").asText();
            double bw = p.path("bandwidth_max").asDouble(p.path("bandwidth_min").asDouble());
            // ZigZag charges every transfer in whole words of bandwidth_min bits (CostModelEvaluation._calc_memory_access)
            double min = p.path("bandwidth_min").asDouble(0);
            if (min > 0 && minWord == 0) {
                minWord = min;
            } else if (min > 0 && min != minWord) {
                minWordsDiffer = true;
            }
            switch (type) {
                case "read" -> read += bw;
                case "write" -> write += bw;
                case "read_write" -> rw += bw;
                default -> {
                    continue;
                }
            }
            if (readWord < 0 && !type.equals("write")) {
                readWord = bw;
            }
            if (writeWord < 0 && !type.equals("read")) {
                writeWord = bw;
            }
        }
        boolean mixed = rw > 0 && (read > 0 || write > 0);
        if (mixed) {
            return new Ports(read + rw, write + rw, rw, readWord, writeWord, true, minWord, minWordsDiffer);
        }
        return new Ports(read, write, rw, readWord, writeWord, false, minWord, minWordsDiffer);
    }

    /**
     * ZigZag's batch dimension and the loop dimensions of its GEMM workloads
     * ({@code O[d0][d1] += I[d0][d2] * W[d2][d1]}, {@code gemm_layer.yaml}): D0 indexes rows of I and O (N),
     * D1 the outputs' columns and the weights' (K), D2 the reduction (C).
     */
    private static final Map<String, String> GEMM_DIMS = Map.of("B", "N", "D0", "N", "D1", "K", "D2", "C");

    private static boolean genericGemm(JsonNode mapping) {
        if (mapping == null) {
            return false;
        }
        for (JsonNode entry : mapping) {
            for (JsonNode items : entry.path("spatial_mapping")) {
                for (JsonNode item : items) {
                    if (item.asText().trim().matches("D[0-2]\\s*,.*")) {
                        return true;
                    }
                }
            }
        }
        return false;
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
                    LoopDim d = LoopDim.parse(GEMM_DIMS.getOrDefault(dim, dim));
                    if (d == null) {
                        problems.add(entry.path("name").asText("?") + ".spatial_mapping." + e.getKey() + ": unknown loop "
                                + "dimension '" + dim + "'; expected one of N, B, G, K, C, OY, OX, FY, FX, D0, D1, D2");
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

    /** A size of {@code bits} as the language reads it: whole bytes in the largest exact unit, else bits ({@code 12 bit}). */
    private static String size(long bits) {
        if (bits % 8 != 0) {
            return bits + " bit";
        }
        long bytes = bits / 8;
        if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
            return bytes / (1 << 20) + " MiB";
        }
        if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) {
            return bytes / (1 << 10) + " KiB";
        }
        return bytes + " B";
    }

    /** A number as the language reads it: 12 significant digits, so that costs per byte keep ZigZag's to 1e-12. */
    static String num(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e12) {
            return Long.toString((long) d);
        }
        String s = String.format(Locale.ROOT, "%.12g", d);
        if (s.contains("e")) {
            return s;
        }
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    /**
     * The keywords of the .edgenn grammar shaped like identifiers; a name equal to one (ZigZag's memory
     * {@code l1}) is escaped as {@code ^l1}, which the language reads as the plain name. ZigZagImportTest keeps
     * this list equal to the grammar's.
     */
    static final Set<String> KEYWORDS = Set.of(
            "accelerator", "accelerators", "accumulator", "activations", "along", "area", "as", "avgpool", "axis",
            "bandwidth", "batch", "bool", "budget", "channels", "clamp", "clock", "compress", "concat", "conv2d",
            "cross_entropy", "curriculum", "data", "dense", "depthwise", "distill", "energy", "epoch", "epochs",
            "explore", "f16", "f32", "fixed", "flatten", "from", "globalavgpool", "hardshrink", "holds", "hoyer",
            "if", "import", "input", "int16", "int2", "int32", "int4", "int8", "l1", "l2", "label", "latency", "layer",
            "let", "log_penalty", "loss", "mac", "macs", "matvec", "maxpool", "memory", "minimize", "mse",
            "network", "networks", "nmse", "on", "optimizer", "output", "package", "param", "params", "pe", "per",
            "pixelshuffle", "project_box", "project_l2", "project_nonneg", "prune", "qat", "read", "relu", "relu6",
            "reshape", "schedule", "seed", "shared", "shrink", "sigmoid", "size", "softmax", "sparse", "ss", "state", "strategy",
            "tanh", "teacher", "to", "train", "training", "unroll", "unrolls", "unstructured", "upsample",
            "weights", "where", "word", "write");

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
        return KEYWORDS.contains(b.toString()) ? "^" + b : b.toString();
    }
}
