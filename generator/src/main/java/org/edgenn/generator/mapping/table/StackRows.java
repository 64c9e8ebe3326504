package org.edgenn.generator.mapping.table;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import org.edgenn.generator.mapping.NetworkMapping;
import org.edgenn.generator.mapping.schedule.FusedStack;
import org.edgenn.generator.mapping.schedule.NetworkSchedule;
import org.edgenn.ir.accel.Operand;
import org.edgenn.runtime.cost.MemoryHierarchy;

/**
 * The depth-first stacks of a network schedule in the tables: each stack's passes, tile size, overlap mode, tile nests
 * and what they cost, and the same run's totals without stacks (and layer by layer) to compare with.
 */
final class StackRows {
    private StackRows() {
    }

    /** The network totals without the stacks (same run). */
    static NetworkSchedule.Totals withoutStacks(NetworkMapping nm) {
        return nm.schedule().withoutStacks(nm.totalEnergyPj(), nm.totalLatencyCycles(), nm.totalDramBytes());
    }

    /** The schedule's {@code depthFirst} object. */
    static ObjectNode json(ObjectMapper json, NetworkMapping nm, MemoryHierarchy h) {
        NetworkSchedule s = nm.schedule();
        ObjectNode o = json.createObjectNode();
        NetworkSchedule.Totals w = withoutStacks(nm);
        ObjectNode without = o.putObject("withoutStacks");
        without.put("energyPj", w.energyPj());
        without.put("latencyCycles", w.latencyCycles());
        without.put("dramBytes", w.dramBytes());
        without.put("objectiveValue", nm.objective().value(w.energyPj(), w.latencyCycles()));
        ArrayNode stacks = o.putArray("stacks");
        for (FusedStack f : s.stacks()) {
            ObjectNode x = stacks.addObject();
            ArrayNode passes = x.putArray("passes");
            f.layers().forEach(passes::add);
            x.put("tileRows", f.tileRows());
            x.put("tileCols", f.tileCols());
            x.put("tiles", f.tiles());
            x.put("overlap", f.mode());
            x.put("weightsResident", f.weightsResident());
            x.put("energyPj", f.energyPj());
            x.put("latencyCycles", f.latencyCycles());
            x.put("dramBytes", f.dramBytes());
            x.put("macs", f.macs());
            x.put("unfusedMacs", f.unfusedMacs());
            x.put("weightLoadBytes", f.weightLoadBytes());
            ObjectNode un = x.putObject("unfused");
            un.put("energyPj", f.unfused().energyPj());
            un.put("latencyCycles", f.unfused().latencyCycles());
            un.put("dramBytes", f.unfused().dramBytes());
            ArrayNode layers = x.putArray("layers");
            for (FusedStack.Layer l : f.perLayer()) {
                ObjectNode y = layers.addObject();
                y.put("layer", l.layer());
                ArrayNode resident = y.putArray("resident");
                l.resident().stream().sorted().map(Operand::name).forEach(resident::add);
                ObjectNode reserved = y.putObject("reservedBytes");
                for (int i = 0; i < h.levelCount(); i++) {
                    if (l.reservedBytes().get(i) > 0) {
                        reserved.put(h.memory(i).name(), l.reservedBytes().get(i));
                    }
                }
                y.put("intermediateBytes", l.intermediateBytes());
                y.put("macs", l.macs());
                y.put("fusedOps", l.fusedOps());
                y.put("fusedReadDramBytes", l.readDramBytes());
                y.put("fusedReadOnChipBytes", l.readOnChipBytes());
                ArrayNode nests = y.putArray("tileNests");
                for (FusedStack.TileMapping t : l.mappings()) {
                    ObjectNode z = nests.addObject();
                    z.put("rows", t.rows());
                    z.put("cols", t.cols());
                    z.put("count", t.count());
                    z.put("mapping", t.cost().mapping().render(h));
                    z.put("energyPj", t.cost().energyPj());
                    z.put("latencyCycles", t.cost().latencyCycles());
                    z.put("dramBytes", t.cost().dramReadBytes() + t.cost().dramWriteBytes());
                    // what verify --mapping executes and compares: the mapping as loops and cuts, the counts per run
                    z.put("macs", t.cost().macs());
                    JsonTable.loops(z, t.cost().mapping(), h);
                    nestAccesses(z.putArray("memories"), t, h);
                }
            }
        }
        return o;
    }

    /**
     * One tile nest's accesses per (memory, operand) on the operand's path, innermost first, as a layer's {@code
     * memories} rows have them: the cut (temporal loops inside the tile) and the element counts of one run.
     */
    private static void nestAccesses(ArrayNode rows, FusedStack.TileMapping t, MemoryHierarchy h) {
        org.edgenn.runtime.cost.AccessCounts a = t.cost().counts();
        for (Operand op : t.workload().operands()) {
            int[] cuts = t.cost().mapping().cuts(op);
            for (int j = 0; j < h.chainLength(op); j++) {
                int lvl = h.levelIndex(op, j);
                ObjectNode x = rows.addObject();
                x.put("memory", h.memory(lvl).name());
                x.put("operand", op.name());
                x.put("cut", cuts[j]);
                x.put("reads", a.reads(lvl, op));
                x.put("writes", a.writes(lvl, op));
                x.put("finalReads", a.get(lvl, op, org.edgenn.runtime.cost.AccessCounts.Kind.FINAL_READ));
                x.put("finalWrites", a.get(lvl, op, org.edgenn.runtime.cost.AccessCounts.Kind.FINAL_WRITE));
            }
        }
    }

    /** The Markdown section (nothing when no stack was chosen but the comparison line). */
    static void markdown(StringBuilder sb, NetworkMapping nm, MemoryHierarchy h) {
        NetworkSchedule s = nm.schedule();
        NetworkSchedule.Totals w = withoutStacks(nm);
        sb.append("## Depth-first stacks\n\n");
        if (s.stacks().isEmpty()) {
            sb.append("No stack runs depth-first: no candidate (consecutive convolutions or pooling whose intermediates "
                    + "only the stack reads) beats its passes on the objective.\n\n");
            return;
        }
        sb.append(String.format(Locale.ROOT, "| | without stacks | with stacks | ratio |%n|---|---:|---:|---:|%n"));
        sb.append(String.format(Locale.ROOT, "| energy | %.4g µJ | %.4g µJ | %.3f |%n", w.energyPj() * 1e-6,
                nm.totalEnergyPj() * 1e-6, nm.totalEnergyPj() / w.energyPj()));
        sb.append(String.format(Locale.ROOT, "| latency | %.0f cycles | %.0f cycles | %.3f |%n", w.latencyCycles(),
                nm.totalLatencyCycles(), nm.totalLatencyCycles() / w.latencyCycles()));
        sb.append(String.format(Locale.ROOT, "| EDP | %.4g pJ·cycles | %.4g pJ·cycles | %.3f |%n",
                w.energyPj() * w.latencyCycles(), nm.totalEnergyPj() * nm.totalLatencyCycles(),
                nm.totalEnergyPj() * nm.totalLatencyCycles() / (w.energyPj() * w.latencyCycles())));
        sb.append(String.format(Locale.ROOT, "| DRAM traffic | %.4g MB | %.4g MB | %.3f |%n%n", w.dramBytes() / 1e6,
                nm.totalDramBytes() / 1e6, w.dramBytes() == 0 ? 1 : nm.totalDramBytes() / w.dramBytes()));
        sb.append("| stack | tile | tiles | overlap | weights | MACs (recomputed) | energy (µJ) | cycles | DRAM (B) | unfused energy (µJ) | unfused cycles |\n");
        sb.append("|---|---|---:|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (FusedStack f : s.stacks()) {
            sb.append(String.format(Locale.ROOT, "| %s | %dx%d | %d | %s | %s | %d (%+d) | %.4g | %.0f | %.4g | %.4g | %.0f |%n",
                    f.name().replace("|", "\\|"), f.tileRows(), f.tileCols(), f.tiles(), f.mode(),
                    f.weightsResident() ? "resident" : "per tile", f.macs(), f.macs() - f.unfusedMacs(),
                    f.energyPj() * 1e-6, f.latencyCycles(), f.dramBytes(), f.unfused().energyPj() * 1e-6,
                    f.unfused().latencyCycles()));
        }
        sb.append("\nThe layer rows below show each stacked pass's whole-layer mapping (what it costs unfused); the stack "
                + "runs its tile nests instead (listed in the JSON table with their mappings).\n\n");
    }

    /** A stacked pass's line under its loop nest in the Markdown table. */
    static String markdownPass(NetworkMapping nm, int index) {
        FusedStack f = nm.schedule().stackOf(index);
        return f == null ? "" : String.format(Locale.ROOT, "Runs depth-first in stack %s (tiles %dx%d, %s); this whole-layer "
                + "mapping is not used.%n%n", f.name(), f.tileRows(), f.tileCols(), f.mode());
    }
}
