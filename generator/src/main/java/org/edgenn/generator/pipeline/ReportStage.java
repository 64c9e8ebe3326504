package org.edgenn.generator.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.edgenn.generator.mapping.BudgetLine;
import org.edgenn.generator.mapping.NetworkMapping;
import org.edgenn.generator.report.BuildReport;
import org.edgenn.generator.report.ReportPage;
import org.edgenn.generator.report.TrainingRecord;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.graph.LayerStats;
import org.edgenn.ir.graph.Network;

/**
 * The report stage: the values of the earlier stages (the training record, the mapping, the verification's verdicts
 * and metrics) gathered into a {@link BuildReport} and written as {@code DIR/report.html}.
 */
public final class ReportStage implements Stage<ReportStage.Input, ReportStage.Written> {

    /** What the verify stage found, in the report's terms. */
    public record Verified(BuildReport.TaskMetrics metrics, Map<String, String> hardwareVerdicts,
                           Map<String, String> accessVerdicts, List<BuildReport.Check> checks) {
    }

    /**
     * @param training      the trainer's record, null when the model was given and has no metrics file beside it
     * @param searchSeconds wall time of the map stage
     * @param files         the files the run wrote, relative to {@code outDir}
     */
    public record Input(Network network, AcceleratorSpec target, NetworkMapping mapping, double searchSeconds,
                       Verified verified, List<BudgetLine> budgets, TrainingRecord training, List<String> files,
                       Path outDir) {
    }

    /** The report's path, or why it could not be written. */
    public record Written(Path file, String failure) {
        public boolean ok() {
            return failure == null;
        }
    }

    @Override
    public String name() {
        return "report";
    }

    @Override
    public Written run(Input in) {
        try {
            return new Written(ReportPage.write(report(in), in.outDir()), null);
        } catch (IOException e) {
            return new Written(null, "cannot write " + in.outDir().resolve("report.html") + ": " + e.getMessage());
        }
    }

    static BuildReport report(Input in) {
        Network net = in.network();
        NetworkMapping mapping = in.mapping();
        List<LayerStats> stats = LayerStats.of(net);
        BuildReport.Summary summary = new BuildReport.Summary(LayerStats.totalParams(stats),
                LayerStats.totalMacs(stats), mapping.totalLatencySeconds(), mapping.totalEnergyPj() * 1e-12,
                mapping.utilization(), mapping.objective().toString(),
                String.format(Locale.ROOT, "%s, %d mappings costed in %.1f s%s",
                        mapping.options().strategy().name().toLowerCase(Locale.ROOT),
                        mapping.layers().stream().mapToLong(l -> l.evaluated()).sum(), in.searchSeconds(),
                        mapping.provenOptimal() ? ", proven optimal per layer" : ""));
        String source = net.source() == null ? "" : Path.of(net.source().file()).getFileName() + ":" + net.source().line();
        TrainingRecord training = in.training();
        return new BuildReport(net.name(), source, in.target().name(), summary, in.verified().metrics(),
                BuildReport.LayerRow.of(net, mapping, in.verified().hardwareVerdicts(), in.verified().accessVerdicts()),
                training == null ? List.of() : training.epochs(), training == null ? List.of() : training.stages(),
                in.budgets(), in.verified().checks(), in.files());
    }
}
