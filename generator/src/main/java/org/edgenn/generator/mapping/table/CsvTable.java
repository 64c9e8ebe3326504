package org.edgenn.generator.mapping.table;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.edgenn.generator.mapping.LayerMapping;
import org.edgenn.generator.mapping.NetworkMapping;
import org.edgenn.ir.accel.Operand;
import org.edgenn.runtime.cost.CostResult;
import org.edgenn.runtime.cost.MemoryHierarchy;

/**
 * {@code N.mapping.csv}: one row per layer plus a {@code TOTAL} row; RFC 4180 quoting (fields with a comma,
 * quote or line break are quoted, quotes doubled). Per-memory columns follow the accelerator's memory order.
 */
public final class CsvTable {
    private CsvTable() {
    }

    public static String render(NetworkMapping nm) {
        MemoryHierarchy h = MemoryHierarchy.of(nm.accelerator());
        List<String> mems = LayerRows.memoryNames(nm.accelerator());
        List<String> header = new ArrayList<>(List.of("layer", "kind", "macs", "spatial", "temporal_inner_to_outer",
                "energy_pj", "mac_energy_pj", "latency_cycles", "compute_cycles", "utilization",
                "spatial_utilization", "dram_read_bytes", "dram_write_bytes", "strategy", "proven_optimal"));
        for (String m : mems) {
            header.add(m + "_energy_pj");
            header.add(m + "_read_bytes");
            header.add(m + "_write_bytes");
        }
        StringBuilder sb = new StringBuilder();
        line(sb, header);
        for (LayerMapping l : nm.layers()) {
            CostResult c = l.cost();
            List<String> row = new ArrayList<>(List.of(l.workload().name(), l.workload().kind().name().toLowerCase(),
                    Long.toString(c.macs()), c.mapping().spatial().toString(), temporal(c), num(c.energyPj()),
                    num(c.macEnergyPj()), num(c.latencyCycles()), Long.toString(c.computeCycles()),
                    num(c.utilization()), num(c.spatialUtilization()), num(c.dramReadBytes()),
                    num(c.dramWriteBytes()), l.strategy(), Boolean.toString(l.provenOptimal())));
            double[] rb = new double[mems.size()];
            double[] wb = new double[mems.size()];
            for (int i = 0; i < mems.size(); i++) {
                for (Operand op : l.workload().operands()) {
                    rb[i] += c.counts().readBytes(i, op, l.workload());
                    wb[i] += c.counts().writeBytes(i, op, l.workload());
                }
                row.add(num(c.levelEnergyPj().get(i)));
                row.add(num(rb[i]));
                row.add(num(wb[i]));
            }
            line(sb, row);
        }
        double extraDram = 0;
        if (nm.schedule() != null) {
            // what the network schedule adds to the passes: fused ops and their reads, one-time loads of residents
            extraDram = nm.schedule().extraDramBytes(mems.size() - 1);
            List<String> row = new ArrayList<>(List.of("SCHEDULE", "fused+loads",
                    Long.toString(nm.schedule().passes().stream().mapToLong(p -> p.fusedOps()).sum()), "", "",
                    num(nm.schedule().extraEnergyPj()), "", num(nm.schedule().extraCycles()), "", "", "", num(extraDram),
                    "0", "", ""));
            for (int i = 0; i < mems.size(); i++) {
                row.add("");
                row.add("");
                row.add("");
            }
            line(sb, row);
        }
        double scheduleDram = extraDram;
        List<String> total = new ArrayList<>(List.of("TOTAL", "", Long.toString(nm.totalMacs()), "", "",
                num(nm.totalEnergyPj()), num(nm.layers().stream().mapToDouble(l -> l.cost().macEnergyPj()).sum()),
                num(nm.totalLatencyCycles()),
                Long.toString(nm.layers().stream().mapToLong(l -> l.cost().computeCycles()).sum()),
                num(nm.utilization()), "", num(nm.layers().stream().mapToDouble(l -> l.cost().dramReadBytes()).sum() + scheduleDram),
                num(nm.layers().stream().mapToDouble(l -> l.cost().dramWriteBytes()).sum()), "",
                Boolean.toString(nm.provenOptimal())));
        for (int i = 0; i < mems.size(); i++) {
            int lvl = i;
            total.add(num(nm.layers().stream().mapToDouble(l -> l.cost().levelEnergyPj().get(lvl)).sum()));
            total.add("");
            total.add("");
        }
        line(sb, total);
        return sb.toString();
    }

    private static String temporal(CostResult c) {
        StringBuilder sb = new StringBuilder();
        c.mapping().temporal().forEach(l -> sb.append(sb.length() == 0 ? "" : " ").append(l.dim()).append(l.factor()));
        return sb.toString();
    }

    static String num(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : String.format(Locale.ROOT, "%.6g", d);
    }

    private static void line(StringBuilder sb, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(quote(fields.get(i)));
        }
        sb.append("\r\n");
    }

    static String quote(String f) {
        if (f.contains(",") || f.contains("\"") || f.contains("\n") || f.contains("\r")) {
            return "\"" + f.replace("\"", "\"\"") + "\"";
        }
        return f;
    }
}
