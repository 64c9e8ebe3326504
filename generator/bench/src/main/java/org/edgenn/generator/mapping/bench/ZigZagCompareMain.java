package org.edgenn.generator.mapping.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.edgenn.generator.mapping.LayerMapping;
import org.edgenn.generator.mapping.NetworkMapper;
import org.edgenn.generator.mapping.NetworkMapping;
import org.edgenn.generator.mapping.Objective;
import org.edgenn.generator.mapping.ReferenceTargets;
import org.edgenn.generator.mapping.SearchOptions;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.ir.accel.Operand;
import org.edgenn.runtime.cost.CostModel;
import org.edgenn.runtime.cost.CostResult;
import org.edgenn.runtime.cost.Loop;
import org.edgenn.runtime.cost.Mapping;
import org.edgenn.runtime.cost.MappingValidator;
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.edgenn.runtime.cost.SpatialMapping;
import org.edgenn.runtime.cost.Workload;

/**
 * Compares ZigZag's results (docs/zigzag/run_zigzag.py's summary.json for resnet18_edgenn.yaml on
 * tpu_edgenn.yaml) with EdgeNN: (1) ZigZag's own cost of its mapping, (2) EdgeNN's cost model on the same
 * mapping (translated: ZigZag's per-operand level loop lists give one loop order and the cuts), (3) EdgeNN's
 * search result. Prints Markdown tables. Args: {@code summary.json [objective]}.
 */
public final class ZigZagCompareMain {
    private static final Pattern LOOP = Pattern.compile("\\((\\w+), ([0-9.]+)\\)");

    private ZigZagCompareMain() {
    }

    public static void main(String[] args) throws Exception {
        JsonNode zz = new ObjectMapper().readTree(new File(args[0]));
        Objective objective = Objective.parse(args.length > 1 ? args[1] : "edp");
        List<Workload> layers = ResNet18.layers(false);
        MemoryHierarchy h = MemoryHierarchy.of(ReferenceTargets.tpuLike());
        CostModel model = new CostModel(h, 0.3);
        long t0 = System.nanoTime();
        NetworkMapping ours = NetworkMapper.map(layers, ReferenceTargets.tpuLike(), objective,
                SearchOptions.defaults().withMacEnergyPj(0.3), p -> { });
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("| layer | E ZigZag (its model) | E EdgeNN model, ZigZag mapping | ΔE | E EdgeNN search "
                + "| L ZigZag | L EdgeNN model, ZigZag mapping | ΔL | L EdgeNN search |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        double[] sum = new double[6];
        List<String> notes = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            JsonNode zl = zz.get("layers").get(i);
            Workload w = layers.get(i);
            Mapping m = translate(w, zl, h);
            List<String> v = MappingValidator.violations(w, h, m);
            CostResult onZz = v.isEmpty() ? model.evaluate(w, m) : null;
            if (!v.isEmpty()) {
                notes.add(w.name() + ": ZigZag's mapping is invalid in EdgeNN's model: " + v);
            }
            LayerMapping mine = ours.layers().get(i);
            if (onZz != null && mine.objectiveValue() > objective.value(onZz) * (1 + 1e-9)) {
                notes.add(String.format(Locale.ROOT, "%s: EdgeNN's search is %.2f%% worse than ZigZag's mapping in "
                        + "EdgeNN's model", w.name(), 100 * (mine.objectiveValue() / objective.value(onZz) - 1)));
            }
            double[] row = {zl.get("energy").asDouble(), onZz == null ? Double.NaN : onZz.energyPj(),
                    mine.cost().energyPj(), zl.get("latency").asDouble(),
                    onZz == null ? Double.NaN : onZz.latencyCycles(), mine.cost().latencyCycles()};
            for (int k = 0; k < 6; k++) {
                sum[k] += row[k];
            }
            System.out.printf(Locale.ROOT, "| %s | %.4g | %.4g | %+.1f%% | %.4g | %.4g | %.4g | %+.1f%% | %.4g |%n",
                    w.name(), row[0], row[1], 100 * (row[1] / row[0] - 1), row[2], row[3], row[4],
                    100 * (row[4] / row[3] - 1), row[5]);
            if (args.length > 2 && onZz != null) {
                notes.add(w.name() + " ZigZag mapping " + m.compact() + "\n" + m.render(h) + "\n" + perLevel(w, onZz, h)
                        + "\n  ZigZag breakdown " + zl.get("mem_energy_breakdown") + "\n  ours: " + mine.cost().mapping().compact()
                        + "\n" + perLevel(w, mine.cost(), h));
            }
        }
        System.out.printf(Locale.ROOT, "| **total** | %.4g | %.4g | %+.1f%% | %.4g | %.4g | %.4g | %+.1f%% | %.4g |%n",
                sum[0], sum[1], 100 * (sum[1] / sum[0] - 1), sum[2], sum[3], sum[4], 100 * (sum[4] / sum[3] - 1),
                sum[5]);
        System.out.printf(Locale.ROOT, "%nObjective %s per network: ZigZag mappings in EdgeNN's model %.4e, "
                        + "EdgeNN search %.4e (ratio %.3f). EdgeNN search %d ms; ZigZag search %.1f s.%n", objective,
                objective.value(sum[1], sum[4]), objective.value(sum[2], sum[5]),
                objective.value(sum[2], sum[5]) / objective.value(sum[1], sum[4]), ms,
                zz.get("seconds").asDouble());
        double perLayer = 0;
        for (int i = 0; i < layers.size(); i++) {
            // per-layer objective sum: what both searches minimise layer by layer
            perLayer += ours.layers().get(i).objectiveValue();
        }
        System.out.printf(Locale.ROOT, "Sum of per-layer objectives: EdgeNN %.4e.%n", perLayer);
        notes.forEach(System.out::println);
    }

    private static String perLevel(Workload w, CostResult r, MemoryHierarchy h) {
        StringBuilder sb = new StringBuilder();
        for (Operand op : w.operands()) {
            sb.append("  ").append(op).append(':');
            for (int j = 0; j < h.chainLength(op); j++) {
                int l = h.levelIndex(op, j);
                double e = r.counts().readBytes(l, op, w) * h.memory(l).readPjPerByte()
                        + r.counts().writeBytes(l, op, w) * h.memory(l).writePjPerByte();
                sb.append(String.format(Locale.ROOT, " %s %.4g", h.memory(l).name(), e));
            }
        }
        return sb.toString();
    }

    /** ZigZag's {operand: [[loops of level 0], [level 1], ...]} (innermost first) -> one order + cuts. */
    static Mapping translate(Workload w, JsonNode zl, MemoryHierarchy h) {
        Map<Operand, int[]> cuts = new EnumMap<>(Operand.class);
        List<Loop> order = null;
        for (Operand op : w.operands()) {
            JsonNode levels = zl.get("temporal_mapping").get(op.name());
            List<Loop> loops = new ArrayList<>();
            int[] c = new int[levels.size()];
            for (int j = 0; j < levels.size(); j++) {
                for (JsonNode s : levels.get(j)) {
                    Matcher mt = LOOP.matcher(s.asText());
                    if (!mt.matches()) {
                        throw new IllegalArgumentException("loop " + s);
                    }
                    int f = (int) Math.ceil(Double.parseDouble(mt.group(2)));
                    if (f > 1) {
                        loops.add(new Loop(LoopDim.parse(mt.group(1).equals("B") ? "N" : mt.group(1)), f));
                    }
                }
                c[j] = loops.size();
            }
            if (order == null) {
                order = loops;
            } else if (!order.equals(loops)) {
                throw new IllegalArgumentException("operands disagree on the loop order: " + order + " vs " + loops);
            }
            cuts.put(op, c);
        }
        SpatialMapping s = SpatialMapping.of(
                w.bound(LoopDim.C) > 1 ? new Loop(LoopDim.C, Math.min(32, w.bound(LoopDim.C))) : null,
                new Loop(LoopDim.K, Math.min(32, w.bound(LoopDim.K))));
        return new Mapping(s, order, cuts);
    }
}
