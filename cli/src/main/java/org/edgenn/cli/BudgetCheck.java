package org.edgenn.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.edgenn.generator.mapping.NetworkMapping;
import org.edgenn.ir.Formats;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.spec.Budget;

/** Latency and energy budgets of a network, checked against a mapping on the budget's target. */
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
            double actual = b.metric() == Budget.Metric.LATENCY ? mapping.totalLatencySeconds()
                    : mapping.totalEnergyPj() * 1e-12;
            if (!b.admits(actual)) {
                String shown = b.metric() == Budget.Metric.LATENCY ? Formats.duration(actual) : Formats.energy(actual);
                out.add(new Workspace.Diagnostic(Path.of(b.source().file()), Math.max(1, b.source().line()),
                        Math.max(1, b.source().column()), true, b.violation(shown)));
            }
        }
        return out;
    }
}
