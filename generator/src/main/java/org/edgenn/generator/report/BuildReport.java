package org.edgenn.generator.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.edgenn.generator.mapping.BudgetLine;
import org.edgenn.generator.mapping.LayerMapping;
import org.edgenn.generator.mapping.NetworkMapping;
import org.edgenn.ir.graph.LayerStats;
import org.edgenn.ir.graph.Network;

/**
 * Everything {@code DIR/report.html} shows about one build, as plain values ({@link ReportPage} renders it).
 *
 * @param source   where the network is declared, {@code file:line}
 * @param epochs   the training curve, empty when the model was not trained in this build and has no metrics file
 * @param stages   the layer-wise curriculum's stages before those epochs, empty without one
 * @param checks   the verification verdicts, one line per check
 * @param files    what the build wrote, relative to its output directory
 */
public record BuildReport(String network, String source, String target, Summary summary, TaskMetrics metrics,
                          List<LayerRow> layers, List<TrainingRecord.Epoch> epochs, List<TrainingRecord.Stage> stages,
                          List<BudgetLine> budgets,
                          List<Check> checks, List<String> files) {
    public BuildReport {
        layers = List.copyOf(layers);
        epochs = List.copyOf(epochs);
        stages = List.copyOf(stages);
        budgets = List.copyOf(budgets);
        checks = List.copyOf(checks);
        files = List.copyOf(files);
    }

    /** Network totals and the mapping's totals on the target. */
    public record Summary(long params, long macs, double latencySeconds, double energyJoules, double utilization,
                          String objective, String search) {
    }

    /**
     * The task metric of the float network and of the generated integer code on the same held-out examples.
     *
     * @param quantized     what the quantized figures measure, by the declared widths ("int8", "int4 weights / int16
     *                      activations", see {@code Compression.quantizedLabel})
     * @param floatFrom     where the float figure (and the trainer's int8 simulation) come from, or why there is none
     * @param simulatedInt8 the trainer's own int8 figure (fake quantization in the float graph), NaN when unknown
     * @param int8Value     the generated int8 code's figure on {@code examples} held-out examples
     */
    public record TaskMetrics(String metric, String quantized, double floatValue, double simulatedInt8, String floatFrom, double int8Value,
                              long examples) {
        /** {@code -21.37 dB}, {@code 91.20%}, or {@code n/a}. */
        public static String format(String metric, double v) {
            if (Double.isNaN(v)) {
                return "n/a";
            }
            return "accuracy".equals(metric) ? String.format(Locale.ROOT, "%.2f%%", 100 * v)
                    : String.format(Locale.ROOT, "%.2f dB", v);
        }
    }

    /**
     * One layer of the network: its shape and counts, and where it runs on the accelerator its mapping and cost
     * ({@code mapping} null for views such as flatten, which cost nothing) and the verdicts of both checks.
     */
    public record LayerRow(String name, String kind, String shape, long params, long macs, String mapping,
                           double latencyCycles, double energyPj, double utilization, String hardwareModel,
                           String accessCounts) {
        /**
         * The rows of {@code network}'s layers in order, joined by name with the layers of {@code mapping} and the
         * per-layer verdicts ({@code hardwareModel}, {@code accessCounts}: layer name to a short verdict).
         */
        public static List<LayerRow> of(Network network, NetworkMapping mapping, Map<String, String> hardwareModel,
                                        Map<String, String> accessCounts) {
            Map<String, LayerMapping> mapped = mapping.layers().stream()
                    .collect(Collectors.toMap(l -> l.workload().name(), Function.identity(), (a, b) -> a));
            List<LayerRow> rows = new ArrayList<>();
            for (LayerStats s : LayerStats.of(network)) {
                LayerMapping m = mapped.get(s.name());
                rows.add(new LayerRow(s.name(), s.kind(), s.shape().toString(), s.params(), s.macs(),
                        m == null ? null : m.cost().mapping().spatial() + " | " + temporal(m),
                        m == null ? 0 : m.cost().latencyCycles(), m == null ? 0 : m.cost().energyPj(),
                        m == null ? 0 : m.cost().utilization(), hardwareModel.getOrDefault(s.name(), ""),
                        accessCounts.getOrDefault(s.name(), "")));
            }
            return rows;
        }

        private static String temporal(LayerMapping m) {
            return m.cost().mapping().temporal().stream().map(l -> l.dim().name() + l.factor())
                    .collect(Collectors.joining(" "));
        }
    }


    /** One verification check: passed or not, and what it found. */
    public record Check(String name, boolean passed, String detail) {
    }
}
