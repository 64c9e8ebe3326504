package org.edgenn.generator.report;

import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * Inline SVG charts for the build report, drawn with plain shapes so the page needs no script: horizontal bars (one
 * row per layer, the label beside it) and a line chart over epochs. Every mark has a {@code <title>} with its exact
 * value, which browsers show on hover.
 */
final class SvgCharts {
    private static final String NS = "http://www.w3.org/2000/svg";
    private static final int ROW = 16;
    private static final int LABEL_WIDTH = 150;
    private static final int BAR_WIDTH = 420;
    private static final int VALUE_WIDTH = 90;

    private SvgCharts() {
    }

    /** One bar per label, lengths proportional to the values (all ≥ 0); {@code format} renders a value. */
    static void bars(Html h, String title, List<String> labels, double[] values, DoubleFunction<String> format) {
        double max = 0;
        for (double v : values) {
            max = Math.max(max, v);
        }
        int width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH;
        int height = ROW * labels.size() + 4;
        h.open("svg", "xmlns", NS, "class", "chart", "width", Integer.toString(width), "height", Integer.toString(height),
                "viewBox", "0 0 " + width + " " + height, "role", "img", "aria-label", title);
        h.element("title", title);
        for (int i = 0; i < labels.size(); i++) {
            int y = i * ROW + 2;
            double length = max == 0 ? 0 : BAR_WIDTH * values[i] / max;
            h.element("text", labels.get(i), "x", Integer.toString(LABEL_WIDTH - 6), "y", num(y + ROW - 4),
                    "text-anchor", "end");
            h.open("rect", "class", "bar", "x", Integer.toString(LABEL_WIDTH), "y", num(y + 1), "width", num(length),
                    "height", num(ROW - 3));
            h.element("title", labels.get(i) + ": " + format.apply(values[i]));
            h.close();
            h.element("text", format.apply(values[i]), "x", num(LABEL_WIDTH + length + 4), "y", num(y + ROW - 4));
        }
        h.close();
    }

    /** A line over x = 1..n through {@code values} (non-finite points are left out), with min/max on the axis. */
    static void line(Html h, String title, String yLabel, double[] values, DoubleFunction<String> format) {
        int width = 420;
        int height = 180;
        int left = 70;
        int bottom = 30;
        int top = 20;
        int plotW = width - left - 10;
        int plotH = height - top - bottom;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            if (Double.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        h.open("svg", "xmlns", NS, "class", "chart", "width", Integer.toString(width), "height", Integer.toString(height),
                "viewBox", "0 0 " + width + " " + height, "role", "img", "aria-label", title);
        h.element("title", title);
        h.element("text", yLabel, "x", "4", "y", "12");
        h.element("line", null, "class", "axis", "x1", num(left), "y1", num(top), "x2", num(left), "y2", num(top + plotH));
        h.element("line", null, "class", "axis", "x1", num(left), "y1", num(top + plotH), "x2", num(left + plotW),
                "y2", num(top + plotH));
        if (lo <= hi) {
            double span = hi > lo ? hi - lo : 1;
            double finalLo = lo;
            int n = values.length;
            DoubleFunction<Double> xOf = i -> left + (n == 1 ? plotW / 2.0 : plotW * i / (n - 1));
            DoubleFunction<Double> yOf = v -> top + plotH - plotH * (v - finalLo) / span;
            h.element("text", format.apply(hi), "x", num(left - 4), "y", num(top + 4), "text-anchor", "end");
            h.element("text", format.apply(lo), "x", num(left - 4), "y", num(top + plotH), "text-anchor", "end");
            h.element("text", "epoch 1", "x", num(left), "y", num(height - 10));
            h.element("text", "epoch " + n, "x", num(left + plotW), "y", num(height - 10), "text-anchor", "end");
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < n; i++) {
                if (Double.isFinite(values[i])) {
                    points.append(num(xOf.apply(i))).append(',').append(num(yOf.apply(values[i]))).append(' ');
                }
            }
            h.element("polyline", null, "class", "curve", "points", points.toString().trim());
            for (int i = 0; i < n; i++) {
                if (Double.isFinite(values[i])) {
                    h.open("circle", "class", "point", "cx", num(xOf.apply(i)), "cy", num(yOf.apply(values[i])), "r", "3");
                    h.element("title", "epoch " + (i + 1) + ": " + format.apply(values[i]));
                    h.close();
                }
            }
        } else {
            h.element("text", "no finite values", "x", num(left + 10), "y", num(top + plotH / 2.0));
        }
        h.close();
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
