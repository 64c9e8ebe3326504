package org.edgenn.generator.mapping.table;

import java.util.List;
import java.util.Locale;
import org.edgenn.generator.mapping.LayerMapping;
import org.edgenn.generator.mapping.MappingBudget;
import org.edgenn.generator.mapping.NetworkMapping;
import org.edgenn.runtime.cost.CostResult;
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.edgenn.runtime.cost.Workload;

/** {@code N.mapping.md}: totals, budget violations, a per-layer summary, then each layer's loop nest and accesses. */
public final class MarkdownTable {
    private MarkdownTable() {
    }

    public static String render(NetworkMapping nm, String network, List<MappingBudget.Violation> violations) {
        MemoryHierarchy h = MemoryHierarchy.of(nm.accelerator());
        StringBuilder sb = new StringBuilder();
        sb.append("# Mapping of ").append(esc(network)).append(" on ").append(esc(nm.accelerator().name()))
                .append("\n\n");
        sb.append(String.format(Locale.ROOT, "Objective: %s. %d layers, %d PEs at %.0f MHz.%n%n",
                nm.objective(), nm.layers().size(), nm.accelerator().peCount(), nm.accelerator().clockHz() / 1e6));
        sb.append("| total | value |\n|---|---|\n");
        sb.append(String.format(Locale.ROOT, "| energy | %.4g µJ |%n", nm.totalEnergyPj() * 1e-6));
        sb.append(String.format(Locale.ROOT, "| latency | %.0f cycles (%.4g ms) |%n", nm.totalLatencyCycles(),
                nm.totalLatencySeconds() * 1e3));
        sb.append(String.format(Locale.ROOT, "| MACs | %d |%n", nm.totalMacs()));
        long effective = nm.layers().stream().mapToLong(l -> l.cost().effectiveMacs()).sum();
        if (effective != nm.totalMacs()) {
            sb.append(String.format(Locale.ROOT, "| effective MACs (zeros %s by %s) | %d |%n",
                    nm.accelerator().sparse().compute() == org.edgenn.ir.accel.SparseSupport.Compute.SKIP ? "skipped" : "gated",
                    esc(nm.accelerator().name()), effective));
        }
        sb.append(String.format(Locale.ROOT, "| utilization | %.1f %% |%n", 100 * nm.utilization()));
        sb.append(String.format(Locale.ROOT, "| DRAM traffic | %.4g MB |%n", nm.totalDramBytes() / 1e6));
        sb.append("| proven optimal (every layer) | ").append(nm.provenOptimal() ? "yes" : "no").append(" |\n\n");
        if (nm.schedule() != null) {
            ScheduleRows.markdown(sb, nm, h);
            if (nm.schedule().depthFirst()) {
                StackRows.markdown(sb, nm, h);
            }
        }
        if (violations.isEmpty()) {
            sb.append("No budget violated.\n\n");
        } else {
            sb.append("## Budget violations\n\n");
            violations.forEach(v -> sb.append("- ").append(v.message()).append('\n'));
            sb.append('\n');
        }
        sb.append("## Layers\n\n| layer | kind | bits W/I/O | weights (B) | spatial | energy (pJ) | cycles | utilization | DRAM (B) | search |\n");
        sb.append("|---|---|---|---:|---|---:|---:|---:|---:|---|\n");
        for (LayerMapping l : nm.layers()) {
            CostResult c = l.cost();
            Workload w = l.workload();
            sb.append(String.format(Locale.ROOT, "| %s | %s | %d/%d/%d | %s | %s | %.4g | %.0f | %.1f %% | %.4g | %s%s |%n",
                    esc(w.name()), w.kind().name().toLowerCase(), w.weightBits(), w.inputBits(), w.outputBits(),
                    bytes(LayerRows.weightBytes(l)), c.mapping().spatial(),
                    c.energyPj(), c.latencyCycles(), 100 * c.utilization(), c.dramReadBytes() + c.dramWriteBytes(),
                    l.strategy(), l.provenOptimal() ? ", optimal" : ""));
        }
        for (int i = 0; i < nm.layers().size(); i++) {
            LayerMapping l = nm.layers().get(i);
            CostResult c = l.cost();
            sb.append("\n### ").append(esc(l.workload().name())).append("\n\n```\n")
                    .append(c.mapping().render(h)).append("\n```\n\n");
            if (nm.schedule() != null) {
                sb.append(esc(ScheduleRows.markdownPass(nm.schedule().passes().get(i))));
                sb.append(esc(StackRows.markdownPass(nm, i)));
            }
            if (l.workload().weightDensity() < 1) {
                sb.append(String.format(Locale.ROOT, "Weights %.1f %% non-zero, stored at %.3g bits per weight position (%s); "
                                + "%d of %d MACs do work.%n%n", 100 * l.workload().weightDensity(),
                        l.workload().storedBits(org.edgenn.ir.accel.Operand.W),
                        h.spec().sparse().appliesTo(l.workload().weightDensity()).spelling(), c.effectiveMacs(), c.macs()));
            }
            sb.append("| memory | operand | tile (elements) | reads | writes | energy (pJ) |\n");
            sb.append("|---|---|---:|---:|---:|---:|\n");
            for (LayerRows.Access a : LayerRows.accesses(l, h)) {
                sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %d | %.4g |%n", esc(a.memory()),
                        a.operand(), a.tileElements(), a.reads(), a.writes(), a.energyPj()));
            }
            sb.append(String.format(Locale.ROOT,
                    "%nEnergy %.4g pJ (MAC %.4g pJ); latency %.0f cycles (compute %d, onload %.0f, offload %.0f); "
                            + "utilization %.1f %% (spatial %.1f %%).%n",
                    c.energyPj(), c.macEnergyPj(), c.latencyCycles(), c.computeCycles(), c.onloadCycles(),
                    c.offloadCycles(), 100 * c.utilization(), 100 * c.spatialUtilization()));
        }
        return sb.toString();
    }

    /** Whole bytes as an integer, half bytes (an odd count of 4-bit weights) with their .5. */
    private static String bytes(double b) {
        return b == Math.rint(b) ? Long.toString((long) b) : Double.toString(b);
    }

    private static String esc(String s) {
        return s.replace("|", "\\|");
    }
}
