package org.edgenn.generator.mapping.zigzag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.runtime.cost.LayerKind;
import org.edgenn.runtime.cost.Workload;

/**
 * Reads the MAC layers of a ZigZag workload file ({@code zigzag/inputs/workload/*.yaml}: a list of layers with
 * {@code operator_type}, {@code loop_dims}, {@code loop_sizes}, {@code dimension_relations},
 * {@code operand_precision}) as EdgeNN workloads, each named as ZigZag names it ({@code name}, else
 * {@code Layer<id>}, the key of ZigZag's per-layer mapping entries).
 *
 * <p>Layers with weights are read (operator types {@code Conv*}, {@code Gemm*}, or any whose {@code equation}
 * has a {@code W} operand): loop dimension {@code B} is N, GEMM's {@code D0/D1/D2} are N/K/C
 * ({@code O[d0][d1] += I[d0][d2] * W[d2][d1]}), the {@code D} of the Gemm layers ZigZag's ONNX parser builds
 * ({@code O[d][k] += I[d][c] * W[c][k]}) is N; strides and dilations come from {@code iy=S*oy+D*fy};
 * precisions {@code W}, {@code I}, {@code O_final} (outputs) and {@code O} (partial sums). Others (pooling,
 * add) are skipped and listed by {@link Result#skipped()}.
 */
public final class ZigZagWorkload {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern RELATION = Pattern.compile("\\s*(i[xy])\\s*=\\s*(\\d+)\\s*\\*\\s*o[xy]\\s*\\+\\s*(\\d+)\\s*\\*\\s*f[xy]\\s*");
    private static final Map<String, String> DIMS = Map.of("B", "N", "D", "N", "D0", "N", "D1", "K", "D2", "C");

    /** The layers read, and the names of those left out with the reason. */
    /**
     * @param dimensionNames per layer, the name the file gives each of its loop dimensions ({@code D1} for a GEMM's
     *                       K), so that mappings written back for ZigZag use the layer's own names
     */
    public record Result(List<Workload> layers, List<String> skipped, Map<String, Map<LoopDim, String>> dimensionNames) {
        public Result(List<Workload> layers, List<String> skipped) {
            this(layers, skipped, Map.of());
        }
    }

    /** EdgeNN's loop dimension for a ZigZag dimension name ({@code B}, GEMM's {@code D}, {@code D0..D2}, or OX...). */
    public static LoopDim dimension(String zigzag) {
        String z = zigzag.trim().toUpperCase(Locale.ROOT);
        return LoopDim.parse(DIMS.getOrDefault(z, z));
    }

    private ZigZagWorkload() {
    }

    public static Result parse(String yaml) {
        List<String> problems = new ArrayList<>();
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (IOException e) {
            throw new ZigZagImportException(List.of("the workload YAML does not parse: "
                    + e.getMessage().lines().findFirst().orElse("")));
        }
        if (root == null || !root.isArray()) {
            throw new ZigZagImportException(List.of("a ZigZag workload is a list of layers"));
        }
        List<Workload> layers = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Map<String, Map<LoopDim, String>> names = new java.util.LinkedHashMap<>();
        int index = 0;
        for (JsonNode l : root) {
            String name = l.hasNonNull("name") ? l.get("name").asText() : "Layer" + l.path("id").asText("?");
            int before = problems.size();
            ZigZagSchema.workloadLayer(l, "[" + index++ + "] " + name, problems);
            if (problems.size() > before) {
                continue;
            }
            String type = l.path("operator_type").asText("");
            boolean weights = type.startsWith("Conv") || type.startsWith("Gemm")
                    || l.path("equation").asText("").contains("W[");
            if (!weights || l.path("operand_precision").path("W").asInt(8) == 0) {
                skipped.add(name + " (" + type + ": no weights)");
                continue;
            }
            try {
                Map<LoopDim, String> own = new java.util.EnumMap<>(LoopDim.class);
                layers.add(layer(name, l, own));
                names.put(name, own);
            } catch (IllegalArgumentException e) { // InvalidWorkloadException included
                problems.add(name + ": " + e.getMessage());
            }
        }
        if (problems.isEmpty() && layers.isEmpty()) {
            problems.add("no layer with weights to map" + (skipped.isEmpty() ? "" : "; skipped: " + String.join(", ", skipped)));
        }
        if (!problems.isEmpty()) {
            throw new ZigZagImportException(problems);
        }
        return new Result(layers, skipped, names);
    }

    private static Workload layer(String name, JsonNode l, Map<LoopDim, String> names) {
        JsonNode dims = l.path("loop_dims");
        JsonNode sizes = l.path("loop_sizes");
        if (!dims.isArray() || dims.size() != sizes.size()) {
            throw new IllegalArgumentException("loop_dims and loop_sizes differ in length");
        }
        int[] bounds = new int[LoopDim.values().length];
        java.util.Arrays.fill(bounds, 1);
        for (int i = 0; i < dims.size(); i++) {
            LoopDim d = dimension(dims.get(i).asText());
            if (d == null) {
                throw new IllegalArgumentException("unknown loop dimension " + dims.get(i).asText());
            }
            names.putIfAbsent(d, dims.get(i).asText().trim());
            try {
                bounds[d.ordinal()] = Math.multiplyExact(bounds[d.ordinal()], sizes.get(i).asInt());
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("the loop sizes of " + d + " multiply past " + Integer.MAX_VALUE);
            }
        }
        int[] sy = {1, 1};
        int[] sx = {1, 1};
        for (JsonNode r : l.path("dimension_relations")) {
            Matcher m = RELATION.matcher(r.asText());
            if (!m.matches()) {
                throw new IllegalArgumentException("dimension relation '" + r.asText() + "' is not ix=S*ox+D*fx");
            }
            int[] target = m.group(1).equals("iy") ? sy : sx;
            try {
                target[0] = Integer.parseInt(m.group(2));
                target[1] = Integer.parseInt(m.group(3));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("dimension relation '" + r.asText() + "': a stride or dilation past "
                        + Integer.MAX_VALUE);
            }
        }
        JsonNode p = l.path("operand_precision");
        int out = p.path("O_final").asInt(8);
        Workload.Precision precision = new Workload.Precision(p.path("W").asInt(8), p.path("I").asInt(8), out,
                p.path("O").asInt(out));
        boolean dense = bounds[LoopDim.OY.ordinal()] * bounds[LoopDim.OX.ordinal()] * bounds[LoopDim.FY.ordinal()]
                * bounds[LoopDim.FX.ordinal()] == 1;
        return Workload.of(name, dense ? LayerKind.DENSE : LayerKind.CONV, bounds, sy[0], sx[0], sy[1], sx[1], 0, 0,
                precision);
    }
}
