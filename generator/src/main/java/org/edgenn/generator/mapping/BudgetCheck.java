package org.edgenn.generator.mapping;

import java.util.ArrayList;
import java.util.List;
import org.edgenn.ir.Diagnostic;
import org.edgenn.ir.Formats;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.graph.LayerStats;
import org.edgenn.ir.graph.MemoryFootprint;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Program;
import org.edgenn.ir.spec.Budget;

/**
 * Budgets of a network: latency and energy checked against a mapping on the budget's target (the one
 * verdict {@code edgenn check}, {@code edgenn map}, {@code edgenn build} and the Maven plugin give),
 * parameter and MAC counts and the memory footprint against the graph. Parameters and MACs are judged dense (on the
 * compact network of structured pruning) and shown with their effective figures: the non-zero parameters, and the MACs
 * that do work on the target when it gates or skips zeros.
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
            return ScheduleMode.NETWORK.map(IrWorkloads.graph(network, target), target, Objective.EDP,
                    SearchOptions.quick(), ProgressListener.NONE, false);
        } catch (Exception e) {
            throw new IllegalStateException("cannot map " + network.name() + " on " + target.name() + ": " + e.getMessage(), e);
        }
    }

    /** One diagnostic per budget the mapping exceeds, at the budget's text. */
    public static List<Diagnostic> violations(Network network, NetworkMapping mapping) {
        List<Diagnostic> out = new ArrayList<>();
        for (Budget b : on(network, mapping.accelerator().name())) {
            double actual = mappedActual(b, mapping);
            if (!b.admits(actual)) {
                out.add(Diagnostic.error(b.source(), b.violation(shown(b, actual))));
            }
        }
        return out;
    }

    /**
     * Every budget that can be judged here, met or not: parameter and MAC counts from the graph, latency and energy
     * on {@code mapping}'s target (budgets naming other targets are left out).
     */
    public static List<BudgetLine> status(Network network, NetworkMapping mapping) {
        List<LayerStats> rows = LayerStats.of(network);
        List<BudgetLine> out = new ArrayList<>();
        for (Budget b : network.compression().budgets()) {
            double actual;
            String effective = "";
            if (b.metric() == Budget.Metric.PARAMS) {
                actual = LayerStats.totalParams(rows);
                long nonZero = LayerStats.totalNonZeroParams(rows);
                effective = nonZero < actual ? " (" + Formats.compactCount(nonZero) + " non-zero)" : "";
            } else if (b.metric() == Budget.Metric.MACS) {
                actual = LayerStats.totalMacs(rows);
                long working = mapping.layers().stream().mapToLong(l -> l.cost().effectiveMacs()).sum();
                long dense = mapping.layers().stream().mapToLong(l -> l.cost().macs()).sum();
                effective = working < dense ? " (" + Formats.compactCount(actual - (dense - working)) + " effective on "
                        + mapping.accelerator().name() + ")" : "";
            } else if (b.metric() == Budget.Metric.MEMORY) {
                actual = MemoryFootprint.of(network).totalBytes();
            } else if (mapping.accelerator().name().equals(b.target())) {
                actual = mappedActual(b, mapping);
            } else {
                continue;
            }
            out.add(new BudgetLine(b.metric().spelling() + " < " + b.written()
                    + (b.target() == null ? "" : " on " + b.target()), shown(b, actual) + effective, b.admits(actual)));
        }
        return out;
    }

    private static double mappedActual(Budget b, NetworkMapping mapping) {
        if (b.metric() == Budget.Metric.AREA) {
            return mapping.accelerator().areaMm2(); // NaN without an area model: the validator requires one
        }
        return b.metric() == Budget.Metric.LATENCY ? mapping.totalLatencySeconds() : mapping.totalEnergyPj() * 1e-12;
    }

    private static String shown(Budget b, double actual) {
        switch (b.metric()) {
            case LATENCY: return Formats.duration(actual);
            case ENERGY: return Formats.energy(actual);
            case AREA: return String.format(java.util.Locale.ROOT, "%.3g mm2", actual);
            case MEMORY: return Formats.bytes(actual);
            default: return Formats.compactCount(actual);
        }
    }
}
