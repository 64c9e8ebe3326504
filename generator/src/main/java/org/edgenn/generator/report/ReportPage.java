package org.edgenn.generator.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.edgenn.generator.mapping.BudgetLine;
import org.edgenn.runtime.io.AtomicFiles;
import org.edgenn.ir.Formats;

/**
 * Renders a {@link BuildReport} as one self-contained XHTML page: no script, no external resources, charts as
 * inline SVG. Sections in reading order: verdict, summary, metrics, budgets, per-layer table and charts, training
 * curve, files.
 */
public final class ReportPage {
    private static final String CSS = """
            body { font: 14px/1.4 system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
            h1 { margin-bottom: 0.2em; }
            .sub { color: #666; margin-top: 0; }
            table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
            th, td { border-bottom: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
            td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
            td.mapping { font: 12px monospace; }
            .pass { color: #1a7f37; font-weight: bold; }
            .fail { color: #cf222e; font-weight: bold; }
            .chart text { font: 11px sans-serif; fill: #333; }
            .chart .bar { fill: #4a78b5; }
            .chart .axis { stroke: #888; }
            .chart .curve { fill: none; stroke: #4a78b5; stroke-width: 2; }
            .chart .point { fill: #4a78b5; }
            .charts { display: flex; flex-wrap: wrap; gap: 2em; }
            """;

    private ReportPage() {
    }

    /** Writes {@code report.html} into {@code dir} atomically and returns its path. */
    public static Path write(BuildReport report, Path dir) throws IOException {
        Path file = dir.resolve("report.html");
        AtomicFiles.write(file, render(report));
        return file;
    }

    public static String render(BuildReport r) {
        Html h = new Html();
        h.open("html", "xmlns", "http://www.w3.org/1999/xhtml", "lang", "en");
        h.open("head");
        h.element("meta", null, "charset", "utf-8");
        h.element("title", r.network() + " on " + r.target() + ": EdgeNN build report");
        h.css(CSS);
        h.close();
        h.open("body");
        h.element("h1", r.network() + " on " + r.target());
        h.element("p", r.source() + " · EdgeNN build report", "class", "sub");
        verdict(h, r);
        summary(h, r);
        metrics(h, r);
        budgets(h, r);
        layers(h, r);
        curve(h, r);
        files(h, r);
        h.close();
        h.close();
        return h.document();
    }

    private static void verdict(Html h, BuildReport r) {
        boolean passed = r.checks().stream().allMatch(BuildReport.Check::passed);
        h.open("section", "id", "verification");
        h.element("h2", "Verification");
        h.element("p", passed ? "All checks passed." : "Verification FAILED.", "class", passed ? "pass" : "fail");
        h.open("table");
        row(h, "th", "check", "result", "detail");
        for (BuildReport.Check c : r.checks()) {
            h.open("tr");
            h.element("td", c.name());
            h.element("td", c.passed() ? "pass" : "FAIL", "class", c.passed() ? "pass" : "fail");
            h.element("td", c.detail());
            h.close();
        }
        h.close();
        h.close();
    }

    private static void summary(Html h, BuildReport r) {
        BuildReport.Summary s = r.summary();
        h.open("section", "id", "summary");
        h.element("h2", "Network");
        h.open("table");
        pair(h, "parameters", Formats.compactCount(s.params()) + " (" + s.params() + ")");
        pair(h, "MACs per inference", Formats.compactCount(s.macs()) + " (" + s.macs() + ")");
        pair(h, "layers", Integer.toString(r.layers().size()));
        pair(h, "latency on " + r.target(), Formats.duration(s.latencySeconds()));
        pair(h, "energy on " + r.target(), Formats.energy(s.energyJoules()));
        pair(h, "utilization", percent(s.utilization()));
        pair(h, "mapping objective", s.objective());
        pair(h, "mapping search", s.search());
        h.close();
        h.close();
    }

    private static void metrics(Html h, BuildReport r) {
        BuildReport.TaskMetrics m = r.metrics();
        h.open("section", "id", "metrics");
        h.element("h2", "Task metric: float vs " + m.quantized());
        h.open("table");
        row(h, "th", "network", m.metric(), "measured on");
        row(h, "td", "float", BuildReport.TaskMetrics.format(m.metric(), m.floatValue()), m.floatFrom());
        row(h, "td", m.quantized() + " (trainer's fake-quantized graph)", BuildReport.TaskMetrics.format(m.metric(), m.simulatedInt8()),
                m.floatFrom());
        row(h, "td", m.quantized() + " (generated code)", BuildReport.TaskMetrics.format(m.metric(), m.int8Value()),
                m.examples() + " held-out examples");
        h.close();
        h.close();
    }

    private static void budgets(Html h, BuildReport r) {
        h.open("section", "id", "budgets");
        h.element("h2", "Budgets");
        if (r.budgets().isEmpty()) {
            h.element("p", "The network declares no budgets.");
        } else {
            h.open("table");
            row(h, "th", "budget", "actual", "status");
            for (BudgetLine b : r.budgets()) {
                h.open("tr");
                h.element("td", b.budget());
                h.element("td", b.actual(), "class", "num");
                h.element("td", b.met() ? "met" : "EXCEEDED", "class", b.met() ? "pass" : "fail");
                h.close();
            }
            h.close();
        }
        h.close();
    }

    private static void layers(Html h, BuildReport r) {
        h.open("section", "id", "layers");
        h.element("h2", "Layers");
        h.open("table");
        h.open("tr");
        for (String c : List.of("layer", "op", "shape", "params", "MACs", "mapping (spatial | temporal, inner first)",
                "cycles", "energy", "utilization", "hardware model", "access counts")) {
            h.element("th", c, "class", c.equals("params") || c.equals("MACs") || c.equals("cycles")
                    || c.equals("energy") || c.equals("utilization") ? "num" : null);
        }
        h.close();
        for (BuildReport.LayerRow l : r.layers()) {
            boolean mapped = l.mapping() != null;
            h.open("tr", "id", "layer-" + l.name());
            h.element("td", l.name());
            h.element("td", l.kind());
            h.element("td", l.shape());
            h.element("td", Long.toString(l.params()), "class", "num");
            h.element("td", Long.toString(l.macs()), "class", "num");
            h.element("td", mapped ? l.mapping() : "view (no work)", "class", "mapping");
            h.element("td", mapped ? String.format(Locale.ROOT, "%.0f", l.latencyCycles()) : "", "class", "num");
            h.element("td", mapped ? Formats.energy(l.energyPj() * 1e-12) : "", "class", "num");
            h.element("td", mapped ? percent(l.utilization()) : "", "class", "num");
            verdictCell(h, l.hardwareModel());
            verdictCell(h, l.accessCounts());
            h.close();
        }
        h.close();
        List<BuildReport.LayerRow> mapped = r.layers().stream().filter(l -> l.mapping() != null).toList();
        List<String> names = mapped.stream().map(BuildReport.LayerRow::name).toList();
        h.open("div", "class", "charts");
        h.open("figure");
        h.element("figcaption", "Latency per layer (cycles)");
        SvgCharts.bars(h, "latency per layer in cycles", names,
                mapped.stream().mapToDouble(BuildReport.LayerRow::latencyCycles).toArray(),
                v -> String.format(Locale.ROOT, "%.0f", v));
        h.close();
        h.open("figure");
        h.element("figcaption", "Energy per layer");
        SvgCharts.bars(h, "energy per layer", names, mapped.stream().mapToDouble(BuildReport.LayerRow::energyPj).toArray(),
                v -> Formats.energy(v * 1e-12));
        h.close();
        h.close();
        h.close();
    }

    private static void curve(Html h, BuildReport r) {
        h.open("section", "id", "training");
        h.element("h2", "Training curve");
        if (r.epochs().isEmpty()) {
            h.element("p", "No training record (the model was given with --model and has no metrics file beside it).");
        } else {
            h.open("div", "class", "charts");
            h.open("figure");
            h.element("figcaption", "Mean training loss per epoch");
            SvgCharts.line(h, "training loss per epoch", "loss",
                    r.epochs().stream().mapToDouble(TrainingRecord.Epoch::loss).toArray(),
                    v -> String.format(Locale.ROOT, "%.4g", v));
            h.close();
            h.open("figure");
            String metric = r.metrics().metric();
            h.element("figcaption", "Held-out " + metric + " per epoch (float)");
            SvgCharts.line(h, "held-out " + metric + " per epoch", metric,
                    r.epochs().stream().mapToDouble(TrainingRecord.Epoch::metric).toArray(),
                    v -> BuildReport.TaskMetrics.format(metric, v));
            h.close();
            h.close();
        }
        stages(h, r);
        h.close();
    }

    /** The held-out metric after each stage of a layer-wise curriculum: how far each unroll step alone got. */
    private static void stages(Html h, BuildReport r) {
        if (r.stages().isEmpty()) {
            return;
        }
        String metric = r.metrics().metric();
        h.element("h3", "Layer-wise curriculum (before the epochs)");
        h.open("table", "id", "curriculum");
        row(h, "th", "stage", "output", "loss", "held-out " + metric, "seconds");
        for (TrainingRecord.Stage s : r.stages()) {
            h.open("tr");
            h.element("td", s.stage() + "/" + r.stages().size(), "class", "num");
            h.element("td", s.output());
            h.element("td", Double.isNaN(s.loss()) ? "n/a" : String.format(Locale.ROOT, "%.4g", s.loss()), "class", "num");
            h.element("td", BuildReport.TaskMetrics.format(metric, s.metric()), "class", "num");
            h.element("td", String.format(Locale.ROOT, "%.1f", s.seconds()), "class", "num");
            h.close();
        }
        h.close();
    }

    private static void files(Html h, BuildReport r) {
        h.open("section", "id", "files");
        h.element("h2", "Files");
        h.open("ul");
        for (String f : r.files()) {
            h.open("li");
            h.element("a", f, "href", f);
            h.close();
        }
        h.close();
        h.close();
    }

    private static void verdictCell(Html h, String verdict) {
        String cls = verdict.startsWith("ok") ? "pass" : verdict.isEmpty() || verdict.startsWith("skipped") ? null : "fail";
        h.element("td", verdict, "class", cls);
    }

    private static void pair(Html h, String name, String value) {
        h.open("tr");
        h.element("th", name);
        h.element("td", value);
        h.close();
    }

    private static void row(Html h, String cell, String... values) {
        h.open("tr");
        for (String v : values) {
            h.element(cell, v);
        }
        h.close();
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
    }
}
