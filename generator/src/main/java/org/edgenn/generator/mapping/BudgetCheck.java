package org.edgenn.generator.mapping;

import java.util.ArrayList;
import java.util.List;
import org.edgenn.ir.Diagnostic;
import org.edgenn.ir.Formats;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Program;
import org.edgenn.ir.spec.Budget;

/**
 * Latency and energy budgets of a network, checked against a mapping on the budget's target: the one
 * verdict {@code edgenn check}, {@code edgenn map} and the Maven plugin give.
 */
public final class BudgetCheck {
    private BudgetCheck() {
    }

    /** The latency/energy budgets of {@code network} that name {@code target}. */
    public static List<Budget> on(Network network, String target) {
        return network.compression().budgets().stream()
                .filter(b -> b.metric().needsTarget() && target.equals(b.target())).toList();
    }

    /** The accelerators a network's latency/energy budgets name (each once; the linker checked they exist). */
    public static List<AcceleratorSpec> targets(Network network, Program program) {
        return network.compression().budgets().stream().filter(b -> b.metric().needsTarget()).map(Budget::target)
                .distinct()
                .map(t -> program.accelerator(t).orElseThrow(() -> new IllegalStateException(
                        "accelerator " + t + " of a budget of " + network.name() + " was not lowered")))
                .toList();
    }

    /**
     * The mapping budgets are checked on: {@link SearchOptions#quick()}, deterministic, so the verdict is the
     * same on every machine and on every build.
     */
    public static NetworkMapping quickMapping(Network network, AcceleratorSpec target) {
        try {
            return NetworkMapper.map(IrWorkloads.of(network, target), target, Objective.EDP,
                    SearchOptions.quick(), ProgressListener.NONE);
        } catch (Exception e) {
            throw new IllegalStateException("cannot map " + network.name() + " on " + target.name() + ": " + e.getMessage(), e);
        }
    }

    /** One diagnostic per budget the mapping exceeds, at the budget's text. */
    public static List<Diagnostic> violations(Network network, NetworkMapping mapping) {
        List<Diagnostic> out = new ArrayList<>();
        for (Budget b : on(network, mapping.accelerator().name())) {
            double actual = b.metric() == Budget.Metric.LATENCY ? mapping.totalLatencySeconds()
                    : mapping.totalEnergyPj() * 1e-12;
            if (!b.admits(actual)) {
                String shown = b.metric() == Budget.Metric.LATENCY ? Formats.duration(actual) : Formats.energy(actual);
                out.add(Diagnostic.error(b.source(), b.violation(shown)));
            }
        }
        return out;
    }
}
