package org.edgenn.generator.mapping.zigzag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.edgenn.generator.mapping.LayerMapping;
import org.edgenn.generator.mapping.NetworkMapping;
import org.edgenn.generator.mapping.NoValidMappingException;
import org.edgenn.generator.mapping.Objective;
import org.edgenn.generator.mapping.SearchOptions;
import org.edgenn.generator.mapping.search.Candidate;
import org.edgenn.generator.mapping.search.Evaluator;
import org.edgenn.generator.mapping.search.LoopAllocator;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.accel.ArrayAxis;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.runtime.cost.CostModel;
import org.edgenn.runtime.cost.Loop;
import org.edgenn.runtime.cost.MappingValidator;
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.edgenn.runtime.cost.SpatialMapping;
import org.edgenn.runtime.cost.Workload;

/**
 * Mappings in ZigZag's mapping-file format, both ways, so that each tool can cost the other's choice: one
 * entry per layer ({@code name} = the layer's name, which ZigZag matches first), its {@code spatial_mapping}
 * (array dimension -> {@code "DIM, factor"} items; the axes of an imported accelerator are ZigZag's dimensions
 * lower-cased) and its {@code temporal_ordering} ({@code [DIM, factor]} pairs, innermost first, complete, so
 * ZigZag skips LOMA and only allocates the loops to its memories). Loop dimension N is ZigZag's {@code B}.
 *
 * <p>The format has no memory allocation: each tool allocates the given order with its own greedy allocator
 * (EdgeNN: ZigZag's rule, {@link LoopAllocator.Policy#MIN_TRAFFIC}, so that both tools cost the same allocation).
 */
public final class ZigZagMappings {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

    private ZigZagMappings() {
    }

    /** One layer's spatial unrolling and loop order as read from a mapping file. */
    public record Entry(String layer, SpatialMapping spatial, List<Loop> temporal) {
    }

    /** EdgeNN's chosen mappings as a ZigZag mapping file. */
    public static String toYaml(NetworkMapping nm) {
        return toYaml(nm, Map.of());
    }

    /**
     * EdgeNN's chosen mappings as a ZigZag mapping file, each layer's loops named as its workload file names them
     * ({@link ZigZagWorkload.Result#dimensionNames()}: a GEMM's {@code D0/D1/D2}); ZigZag ignores loops of
     * dimensions its layer does not have, so the names must be the layer's own.
     */
    public static String toYaml(NetworkMapping nm, Map<String, Map<LoopDim, String>> dimensionNames) {
        ArrayNode root = YAML.createArrayNode();
        List<ArrayAxis> axes = nm.accelerator().axes();
        for (LayerMapping lm : nm.layers()) {
            Map<LoopDim, String> own = dimensionNames.getOrDefault(lm.workload().name(), Map.of());
            java.util.function.Function<LoopDim, String> dim = d -> own.getOrDefault(d, dim(d));
            ObjectNode e = root.addObject();
            e.put("name", lm.workload().name());
            ObjectNode sm = e.putObject("spatial_mapping");
            var perAxis = lm.cost().mapping().spatial().perAxis();
            for (int a = 0; a < axes.size(); a++) {
                ArrayNode items = sm.putArray(axes.get(a).name().toUpperCase(Locale.ROOT));
                for (Loop l : perAxis.get(a)) {
                    items.add(dim.apply(l.dim()) + ", " + l.factor());
                }
                if (perAxis.get(a).isEmpty()) {
                    items.add(dim.apply(LoopDim.K) + ", 1");
                }
            }
            ArrayNode order = e.putArray("temporal_ordering");
            for (Loop l : lm.cost().mapping().temporal()) {
                ArrayNode pair = order.addArray();
                pair.add(dim.apply(l.dim()));
                pair.add(l.factor());
            }
            ObjectNode links = e.putObject("memory_operand_links");
            links.put("O", "O");
            links.put("W", "I2");
            links.put("I", "I1");
        }
        if (!root.isEmpty()) { // ZigZag's validator requires a default entry; every layer matches its own first
            ObjectNode d = root.addObject();
            d.put("name", "default");
            d.set("spatial_mapping", root.get(0).get("spatial_mapping").deepCopy());
            d.set("memory_operand_links", root.get(0).get("memory_operand_links").deepCopy());
        }
        try {
            return YAML.writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The per-layer entries of a ZigZag mapping file that give a spatial mapping and a temporal ordering. */
    public static Map<String, Entry> parse(String yaml, AcceleratorSpec accelerator) {
        List<String> problems = new ArrayList<>();
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (IOException e) {
            throw new ZigZagImportException(List.of("the mapping YAML does not parse: "
                    + e.getMessage().lines().findFirst().orElse("")));
        }
        if (root == null || !root.isArray()) {
            throw new ZigZagImportException(List.of("a ZigZag mapping file is a list of entries (name, spatial_mapping, "
                    + "temporal_ordering)"));
        }
        Map<String, Entry> out = new LinkedHashMap<>();
        java.util.Set<String> axes = new java.util.TreeSet<>();
        accelerator.axes().forEach(a -> axes.add(a.name().toUpperCase(Locale.ROOT)));
        for (JsonNode e : root) {
            String name = e.path("name").asText();
            // an array dimension the accelerator lacks (D3 on a 2-D array, D1 where the axes are rows/cols) was
            // ignored: its unrolling silently dropped
            e.path("spatial_mapping").fieldNames().forEachRemaining(k -> {
                if (!axes.contains(k.toUpperCase(Locale.ROOT))) {
                    problems.add(name + ".spatial_mapping." + k + ": " + accelerator.name() + " has no such array axis; "
                            + "its axes: " + axes);
                }
            });
            List<List<Loop>> perAxis = new ArrayList<>();
            for (ArrayAxis a : accelerator.axes()) {
                List<Loop> loops = new ArrayList<>();
                long unrolled = 1;
                for (JsonNode item : e.path("spatial_mapping").path(a.name().toUpperCase(Locale.ROOT))) {
                    String[] parts = item.asText().split(",");
                    LoopDim d = parts.length == 2 ? dim(parts[0].trim()) : null;
                    int f = parts.length == 2 && parts[1].trim().matches("\\d{1,9}") ? Integer.parseInt(parts[1].trim()) : 0;
                    if (d == null || f < 1) {
                        problems.add(name + ": spatial item '" + item.asText() + "' is not 'DIM, factor'");
                        continue;
                    }
                    unrolled *= f;
                    if (f > 1) {
                        loops.add(new Loop(d, f));
                    }
                }
                if (unrolled > a.size()) {
                    problems.add(name + ".spatial_mapping." + a.name().toUpperCase(Locale.ROOT) + ": unrolls " + unrolled
                            + " on an axis of " + a.size() + " PEs");
                }
                perAxis.add(loops);
            }
            List<Loop> order = new ArrayList<>();
            for (JsonNode pair : e.path("temporal_ordering")) {
                LoopDim d = dim(pair.path(0).asText());
                if (d == null || !pair.path(1).isIntegralNumber() || !pair.path(1).canConvertToInt() || pair.path(1).asInt() < 1) {
                    problems.add(name + ": temporal loop " + pair + " is not [DIM, factor]");
                } else if (pair.path(1).asInt() > 1) {
                    order.add(new Loop(d, pair.path(1).asInt()));
                }
            }
            if (e.has("temporal_ordering") && !name.equals("default")) {
                out.put(name, new Entry(name, new SpatialMapping(perAxis), order));
            }
        }
        if (!problems.isEmpty()) {
            throw new ZigZagImportException(problems);
        }
        return out;
    }

    /**
     * Costs {@code entry} on {@code layer} with EdgeNN's model: the given unrolling and loop order, cuts from
     * ZigZag's allocation rule ({@link LoopAllocator.Policy#MIN_TRAFFIC}), as ZigZag allocates the same file.
     */
    public static LayerMapping cost(Workload layer, Entry entry, CostModel model, Objective objective) {
        List<String> spatial = MappingValidator.windowSplits(model.hierarchy(), entry.spatial());
        if (!spatial.isEmpty()) {
            throw new NoValidMappingException(layer.name(), model.hierarchy().spec().name(), String.join("; ", spatial));
        }
        Evaluator ev = new Evaluator(layer, model, objective, java.util.EnumSet.of(LoopAllocator.Policy.MIN_TRAFFIC));
        Candidate c = ev.evaluate(entry.spatial(), new LoopAllocator(layer, model.hierarchy(), entry.spatial()),
                entry.temporal());
        if (c == null) {
            throw new NoValidMappingException(layer.name(), model.hierarchy().spec().name(),
                    "the given loop order's smallest tiles do not fit");
        }
        MappingValidator.requireValid(layer, model.hierarchy(), c.result().mapping());
        return new LayerMapping(layer, c.result(), c.objective(), false, "given", 1, 0);
    }

    /** Costs every layer's entry of {@code mappingYaml} (layers without one are an error) with EdgeNN's model. */
    public static NetworkMapping costAll(List<Workload> layers, AcceleratorSpec accelerator, Objective objective,
                                         SearchOptions options, String mappingYaml) {
        long start = System.nanoTime();
        Map<String, Entry> entries = parse(mappingYaml, accelerator);
        CostModel model = new CostModel(MemoryHierarchy.of(accelerator),
                accelerator.macEnergyPjOr(options.macEnergyPj())).withZigZagRules(options.zigzagAllocation());
        List<String> missing = new ArrayList<>();
        List<LayerMapping> out = new ArrayList<>();
        for (Workload w : layers) {
            Entry e = entries.get(w.name());
            if (e == null) {
                missing.add(w.name());
            } else {
                out.add(cost(w, e, model, objective));
            }
        }
        if (!missing.isEmpty()) {
            throw new ZigZagImportException(List.of("no temporal_ordering for layer(s) " + String.join(", ", missing)));
        }
        return new NetworkMapping(accelerator, objective, options, out, (System.nanoTime() - start) / 1_000_000);
    }

    private static String dim(LoopDim d) {
        return d == LoopDim.N ? "B" : d.name();
    }

    private static LoopDim dim(String zigzag) {
        return ZigZagWorkload.dimension(zigzag);
    }
}
