package org.edgenn.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.edgenn.generator.mapping.NetworkMapping;
import org.edgenn.generator.report.BuildReport;
import org.edgenn.ir.Formats;
import org.edgenn.ir.graph.LayerStats;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.spec.Budget;

/** Budgets of a network: latency and energy checked against a mapping on the budget's target, counts against the graph. */
final class BudgetCheck {
    private BudgetCheck() {
    }

    /** The latency/energy budgets of {@code network} that name {@code target}. */
    static List<Budget> on(Network network, String target) {
        return network.compression().budgets().stream()
                .filter(b -> b.metric().needsTarget() && target.equals(b.target())).toList();
    }

    /** One diagnostic per budget the mapping exceeds, at the budget's text. */
    static List<Workspace.Diagnostic> violations(Network network, NetworkMapping mapping) {
        List<Workspace.Diagnostic> out = new ArrayList<>();
        for (Budget b : on(network, mapping.accelerator().name())) {
            double actual = mappedActual(b, mapping);
            if (!b.admits(actual)) {
                out.add(new Workspace.Diagnostic(Path.of(b.source().file()), Math.max(1, b.source().line()),
                        Math.max(1, b.source().column()), true, b.violation(shown(b, actual))));
            }
        }
        return out;
    }

    /**
     * Every budget that can be judged here, met or not: parameter and MAC counts from the graph, latency and energy
     * on {@code mapping}'s target (budgets naming other targets are left out).
     */
    static List<BuildReport.BudgetLine> status(Network network, NetworkMapping mapping) {
        List<LayerStats> rows = LayerStats.of(network);
        List<BuildReport.BudgetLine> out = new ArrayList<>();
        for (Budget b : network.compression().budgets()) {
            double actual;
            if (b.metric() == Budget.Metric.PARAMS) {
                actual = LayerStats.totalParams(rows);
            } else if (b.metric() == Budget.Metric.MACS) {
                actual = LayerStats.totalMacs(rows);
            } else if (mapping.accelerator().name().equals(b.target())) {
                actual = mappedActual(b, mapping);
            } else {
                continue;
            }
            out.add(new BuildReport.BudgetLine(b.metric().spelling() + " < " + b.written()
                    + (b.target() == null ? "" : " on " + b.target()), shown(b, actual), b.admits(actual)));
        }
        return out;
    }

    private static double mappedActual(Budget b, NetworkMapping mapping) {
        return b.metric() == Budget.Metric.LATENCY ? mapping.totalLatencySeconds() : mapping.totalEnergyPj() * 1e-12;
    }

    private static String shown(Budget b, double actual) {
        return switch (b.metric()) {
            case LATENCY -> Formats.duration(actual);
            case ENERGY -> Formats.energy(actual);
            default -> Formats.compactCount(actual);
        };
    }
}
