package org.edgenn.explore;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Rectangle;
import java.awt.geom.Ellipse2D;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.edgenn.ir.spec.ExploreSpec;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/**
 * {@code report.html}: scatter plots (JFreeChart, drawn to inline SVG by JFreeSVG) of every feasible
 * candidate in grey and the front in colour, one colour per value of a parameter, for each pair of
 * objectives; then the front as a table.
 */
final class Report {
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)};

    private Report() {
    }

    static String html(ExploreSpec spec, List<Result> all, List<Result> front, List<String> objectives) {
        System.setProperty("java.awt.headless", "true");
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>edgenn explore ").append(esc(spec.name()))
                .append("</title>\n<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
                        + "td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}th{background:#eee}"
                        + ".charts{display:flex;flex-wrap:wrap;gap:1em}</style></head><body>\n");
        long feasible = all.stream().filter(Result::feasible).count();
        b.append("<h1>explore ").append(esc(spec.name())).append("</h1>\n<p>").append(all.size())
                .append(" candidates screened (quick mapping), ").append(feasible).append(" feasible; front of ")
                .append(front.size()).append(" after the full mapping search. Minimizing ")
                .append(esc(String.join(", ", objectives))).append(".</p>\n");
        if (all.stream().anyMatch(r -> r.metrics().containsKey("train_steps"))) {
            java.util.Map<String, Double> networks = new java.util.TreeMap<>();
            all.stream().filter(r -> r.metrics().containsKey("train_steps"))
                    .forEach(r -> networks.put(r.candidate().networkKey(), r.metric("train_steps")));
            java.util.Map<Double, Long> perBudget = new java.util.TreeMap<>(networks.values().stream()
                    .collect(java.util.stream.Collectors.groupingBy(v -> v, java.util.stream.Collectors.counting())));
            b.append("<p>Trained by ").append(esc(spec.training().kind().name().toLowerCase(java.util.Locale.ROOT)))
                    .append(" in rungs of ").append(esc(spec.training().rungBudgets().toString())).append(" steps: ");
            b.append(esc(perBudget.entrySet().stream().map(e -> e.getValue() + " network" + (e.getValue() == 1 ? "" : "s")
                    + " stopped at " + String.format(java.util.Locale.ROOT, "%.0f", e.getKey()) + " steps")
                    .collect(java.util.stream.Collectors.joining(", "))));
            b.append(" (each candidate's loss is its network's at the last rung it reached; columns rung and train_steps).</p>\n");
        }
        List<String> colourBy = colourParameters(front);
        List<String[]> pairs = pairs(objectives);
        for (String param : colourBy.isEmpty() ? List.of("") : colourBy) {
            b.append("<h2>").append(param.isEmpty() ? "Front" : "Front coloured by " + esc(param)).append("</h2>\n<div class=\"charts\">\n");
            for (String[] p : pairs) {
                b.append(svg(all, front, p[0], p[1], param)).append('\n');
            }
            b.append("</div>\n");
        }
        b.append("<h2>The front</h2>\n<table><tr><th>#</th><th>design</th>");
        List<String> columns = Outputs.columns(all);
        columns.forEach(m -> b.append("<th>").append(m).append("</th>"));
        b.append("<th>file</th></tr>\n");
        for (int i = 0; i < front.size(); i++) {
            Result r = front.get(i);
            b.append("<tr><td>").append(i + 1).append("</td><td style=\"text-align:left\">").append(esc(r.candidate().key()))
                    .append("</td>");
            columns.forEach(m -> b.append("<td>").append(Double.isFinite(r.metric(m))
                    ? esc(Outputs.shown(m, r.metric(m))) : "").append("</td>"));
            b.append("<td><a href=\"front/").append(Outputs.fileName(i, r)).append("\">.edgenn</a></td></tr>\n");
        }
        b.append("</table>\n</body></html>\n");
        return b.toString();
    }

    /** The parameters that vary on the front (colouring by a constant says nothing). */
    private static List<String> colourParameters(List<Result> front) {
        Map<String, java.util.Set<String>> values = new LinkedHashMap<>();
        for (Result r : front) {
            r.candidate().parameters().forEach((k, v) -> values.computeIfAbsent(k, x -> new java.util.TreeSet<>()).add(v));
        }
        return values.entrySet().stream().filter(e -> e.getValue().size() > 1 && e.getValue().size() <= PALETTE.length)
                .map(Map.Entry::getKey).limit(3).toList();
    }

    private static List<String[]> pairs(List<String> objectives) {
        List<String[]> out = new ArrayList<>();
        for (int i = 0; i < objectives.size(); i++) {
            for (int j = i + 1; j < objectives.size(); j++) {
                out.add(new String[] {objectives.get(i), objectives.get(j)});
            }
        }
        if (out.isEmpty()) {
            out.add(new String[] {objectives.get(0), objectives.get(0).equals("energy") ? "latency" : "energy"});
        }
        return out;
    }

    private static String svg(List<Result> all, List<Result> front, String x, String y, String param) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYSeries rest = new XYSeries("all feasible", false, true);
        for (Result r : all) {
            if (r.feasible() && positive(r.metric(x)) && positive(r.metric(y))) {
                rest.add(r.metric(x), r.metric(y));
            }
        }
        Map<String, XYSeries> byValue = new LinkedHashMap<>();
        for (Result r : front) {
            String v = param.isEmpty() ? "front" : param.substring(param.indexOf('.') + 1) + " = "
                    + r.candidate().parameters().get(param);
            if (positive(r.metric(x)) && positive(r.metric(y))) {
                byValue.computeIfAbsent(v, k -> new XYSeries(k, false, true)).add(r.metric(x), r.metric(y));
            }
        }
        data.addSeries(rest);
        byValue.values().forEach(data::addSeries);
        JFreeChart chart = ChartFactory.createScatterPlot(y + " vs " + x, label(x), label(y), data,
                PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        plot.setDomainAxis(logAxis(label(x)));
        plot.setRangeAxis(logAxis(label(y)));
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(false, true);
        renderer.setSeriesPaint(0, new Color(0xbbbbbb));
        renderer.setSeriesShape(0, new Ellipse2D.Double(-2, -2, 4, 4));
        for (int i = 1; i < data.getSeriesCount(); i++) {
            renderer.setSeriesPaint(i, PALETTE[(i - 1) % PALETTE.length]);
            renderer.setSeriesShape(i, new Ellipse2D.Double(-4, -4, 8, 8));
            renderer.setSeriesOutlineStroke(i, new BasicStroke(1f));
        }
        plot.setRenderer(renderer);
        SVGGraphics2D g = new SVGGraphics2D(520, 380);
        chart.draw(g, new Rectangle(0, 0, 520, 380));
        return g.getSVGElement();
    }

    private static LogAxis logAxis(String label) {
        LogAxis a = new LogAxis(label);
        a.setSmallestValue(1e-30);
        return a;
    }

    private static boolean positive(double v) {
        return Double.isFinite(v) && v > 0;
    }

    private static String label(String metric) {
        switch (metric) {
            case "energy": return "energy per inference (J)";
            case "latency": return "latency (s)";
            case "area": return "area (mm2)";
            case "edp": return "energy-delay product (J s)";
            default: return metric;
        }
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    static String format(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
