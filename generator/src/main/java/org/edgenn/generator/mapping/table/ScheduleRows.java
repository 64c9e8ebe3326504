package org.edgenn.generator.mapping.table;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import org.edgenn.generator.mapping.NetworkMapping;
import org.edgenn.generator.mapping.schedule.NetworkSchedule;
import org.edgenn.ir.accel.Operand;
import org.edgenn.runtime.cost.MemoryHierarchy;

/** The network schedule in the three tables: what is fused, what stays resident where, what it saves. */
final class ScheduleRows {
    private ScheduleRows() {
    }

    /** The table's {@code schedule} object (network schedules only). */
    static ObjectNode json(ObjectMapper json, NetworkMapping nm, MemoryHierarchy h) {
        NetworkSchedule s = nm.schedule();
        ObjectNode o = json.createObjectNode();
        o.put("mode", "network");
        o.put("passes", s.passes().size());
        o.put("fusedLayers", s.passes().stream().mapToInt(p -> p.fused().size()).sum());
        o.put("fusedOps", s.passes().stream().mapToLong(NetworkSchedule.Pass::fusedOps).sum());
        o.put("fusedEnergyPj", s.passes().stream().mapToDouble(NetworkSchedule.Pass::fusedEnergyPj).sum());
        o.put("fusedCycles", s.passes().stream().mapToDouble(NetworkSchedule.Pass::fusedCycles).sum());
        o.put("residentShareLimit", s.budgetFraction());
        ArrayNode residents = o.putArray("residents");
        for (NetworkSchedule.Resident r : s.residents()) {
            ObjectNode x = residents.addObject();
            x.put("tensor", r.tensor());
            x.put("memory", h.memory(r.level()).name());
            x.put("bytes", r.bytes());
            x.put("firstPass", nm.layers().get(r.first()).workload().name());
            x.put("lastPass", nm.layers().get(r.last()).workload().name());
            x.put("loadBytes", r.loadBytes());
            x.put("loadEnergyPj", r.loadEnergyPj());
            x.put("loadCycles", r.loadCycles());
            ArrayNode users = x.putArray("passes");
            r.users().forEach(users::add);
        }
        if (s.layerByLayer() != null) {
            NetworkSchedule.Totals t = s.layerByLayer();
            ObjectNode l = o.putObject("layerByLayer");
            l.put("passes", t.passes());
            l.put("energyPj", t.energyPj());
            l.put("latencyCycles", t.latencyCycles());
            l.put("dramBytes", t.dramBytes());
            l.put("objectiveValue", nm.objective().value(t.energyPj(), t.latencyCycles()));
            ObjectNode saved = o.putObject("saved");
            saved.put("dramBytes", t.dramBytes() - nm.totalDramBytes());
            saved.put("energyPj", t.energyPj() - nm.totalEnergyPj());
            saved.put("latencyCycles", t.latencyCycles() - nm.totalLatencyCycles());
        }
        return o;
    }

    /** A pass's fields in its layer object. */
    static void pass(ObjectNode layer, NetworkSchedule.Pass p, MemoryHierarchy h) {
        ArrayNode fused = layer.putArray("fused");
        p.fused().forEach(fused::add);
        ArrayNode resident = layer.putArray("resident");
        p.resident().stream().sorted().map(Operand::name).forEach(resident::add);
        ObjectNode reserved = layer.putObject("reservedBytes");
        for (int i = 0; i < h.levelCount(); i++) {
            if (p.reservedBytes().get(i) > 0) {
                reserved.put(h.memory(i).name(), p.reservedBytes().get(i));
            }
        }
        layer.put("fusedOps", p.fusedOps());
        layer.put("fusedEnergyPj", p.fusedEnergyPj());
        layer.put("fusedCycles", p.fusedCycles());
        ArrayNode reads = layer.putArray("fusedReads");
        for (NetworkSchedule.Read r : p.extraReads()) {
            reads.addObject().put("tensor", r.tensor()).put("memory", h.memory(r.level()).name()).put("bytes", r.bytes());
        }
    }

    /** The Markdown section: the schedule, the comparison with layer by layer, the residents. */
    static void markdown(StringBuilder sb, NetworkMapping nm, MemoryHierarchy h) {
        NetworkSchedule s = nm.schedule();
        sb.append("## Network schedule\n\n");
        sb.append(String.format(Locale.ROOT, "%d passes; %d element-wise layers fused into their producers' output stage "
                        + "(%d ops, %.4g pJ, %.0f cycles); resident tensors limited to %.0f %% of each on-chip level.%n%n",
                s.passes().size(), s.passes().stream().mapToInt(p -> p.fused().size()).sum(),
                s.passes().stream().mapToLong(NetworkSchedule.Pass::fusedOps).sum(),
                s.passes().stream().mapToDouble(NetworkSchedule.Pass::fusedEnergyPj).sum(),
                s.passes().stream().mapToDouble(NetworkSchedule.Pass::fusedCycles).sum(), 100 * s.budgetFraction()));
        if (s.layerByLayer() != null) {
            NetworkSchedule.Totals t = s.layerByLayer();
            sb.append("| | layer by layer | network | ratio |\n|---|---:|---:|---:|\n");
            sb.append(String.format(Locale.ROOT, "| passes | %d | %d | |%n", t.passes(), nm.layers().size()));
            sb.append(String.format(Locale.ROOT, "| energy | %.4g µJ | %.4g µJ | %.3f |%n", t.energyPj() * 1e-6,
                    nm.totalEnergyPj() * 1e-6, nm.totalEnergyPj() / t.energyPj()));
            sb.append(String.format(Locale.ROOT, "| latency | %.0f cycles | %.0f cycles | %.3f |%n", t.latencyCycles(),
                    nm.totalLatencyCycles(), nm.totalLatencyCycles() / t.latencyCycles()));
            double edpL = t.energyPj() * t.latencyCycles();
            double edpN = nm.totalEnergyPj() * nm.totalLatencyCycles();
            sb.append(String.format(Locale.ROOT, "| EDP | %.4g pJ·cycles | %.4g pJ·cycles | %.3f |%n", edpL, edpN, edpN / edpL));
            sb.append(String.format(Locale.ROOT, "| DRAM traffic | %.4g MB | %.4g MB | %.3f |%n%n", t.dramBytes() / 1e6,
                    nm.totalDramBytes() / 1e6, t.dramBytes() == 0 ? 1 : nm.totalDramBytes() / t.dramBytes()));
        }
        if (s.residents().isEmpty()) {
            sb.append("Nothing stays resident.\n\n");
            return;
        }
        sb.append("| resident tensor | memory | bytes | from pass | to pass | loaded once (B) |\n|---|---|---:|---|---|---:|\n");
        for (NetworkSchedule.Resident r : s.residents()) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %.0f |%n", r.tensor().replace("|", "\\|"),
                    h.memory(r.level()).name(), r.bytes(), nm.layers().get(r.first()).workload().name(),
                    nm.layers().get(r.last()).workload().name(), r.loadBytes()));
        }
        sb.append('\n');
    }

    /** A pass's line under its loop nest in the Markdown table. */
    static String markdownPass(NetworkSchedule.Pass p) {
        StringBuilder sb = new StringBuilder();
        if (!p.fused().isEmpty()) {
            sb.append("Fused into the output stage: ").append(String.join(", ", p.fused())).append(". ");
        }
        if (!p.resident().isEmpty()) {
            sb.append("Resident (no backing-store traffic): ").append(p.resident().stream().sorted().map(Operand::name)
                    .reduce((a, b) -> a + ", " + b).orElse("")).append(". ");
        }
        return sb.length() == 0 ? "" : sb.append("\n\n").toString();
    }
}
