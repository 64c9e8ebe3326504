package org.edgenn.generator.mapping.table;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.edgenn.generator.mapping.LayerMapping;
import org.edgenn.generator.mapping.MappingBudget;
import org.edgenn.generator.mapping.NetworkMapping;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.accel.ArrayAxis;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.ir.accel.MemoryLevel;
import org.edgenn.runtime.cost.CostResult;
import org.edgenn.runtime.cost.Loop;
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.edgenn.runtime.cost.Workload;

/**
 * {@code N.mapping.json}, schema {@value #SCHEMA} (documented field by field in docs/mapping-schema.md).
 * Fields are written in a fixed order so that equal mappings give byte-identical files.
 */
public final class JsonTable {
    public static final String SCHEMA = "edgenn.mapping/1";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonTable() {
    }

    public static String render(NetworkMapping nm, String network, List<MappingBudget.Violation> violations) {
        MemoryHierarchy h = MemoryHierarchy.of(nm.accelerator());
        ObjectNode root = JSON.createObjectNode();
        root.put("schema", SCHEMA);
        root.put("network", network);
        root.set("accelerator", accelerator(nm.accelerator()));
        root.put("objective", nm.objective().name());
        ObjectNode search = root.putObject("search");
        search.put("strategy", nm.options().strategy().name().toLowerCase());
        search.put("loopLimit", nm.options().loopLimit());
        search.put("spatialCandidates", nm.options().spatialCandidates());
        search.put("macEnergyPj", nm.options().macEnergyPj());
        search.put("seed", nm.options().seed());
        search.put("millis", nm.searchMillis());
        ObjectNode totals = root.putObject("totals");
        totals.put("energyPj", nm.totalEnergyPj());
        totals.put("latencyCycles", nm.totalLatencyCycles());
        totals.put("latencySeconds", nm.totalLatencySeconds());
        totals.put("macs", nm.totalMacs());
        totals.put("effectiveMacs", nm.layers().stream().mapToLong(l -> l.cost().effectiveMacs()).sum());
        totals.put("dramBytes", nm.totalDramBytes());
        totals.put("utilization", nm.utilization());
        totals.put("objectiveValue", nm.objectiveValue());
        totals.put("provenOptimal", nm.provenOptimal());
        if (nm.schedule() != null) {
            ObjectNode schedule = ScheduleRows.json(JSON, nm, h);
            if (nm.schedule().depthFirst()) {
                schedule.set("depthFirst", StackRows.json(JSON, nm, h));
            }
            root.set("schedule", schedule);
        }
        ArrayNode layers = root.putArray("layers");
        for (int i = 0; i < nm.layers().size(); i++) {
            ObjectNode layer = layer(nm.layers().get(i), h);
            if (nm.schedule() != null) {
                ScheduleRows.pass(layer, nm.schedule().passes().get(i), h);
                if (nm.schedule().stackOf(i) != null) {
                    layer.put("stack", nm.schedule().stackOf(i).name());
                }
            }
            layers.add(layer);
        }
        ArrayNode bv = root.putArray("budgetViolations");
        for (MappingBudget.Violation v : violations) {
            ObjectNode o = bv.addObject();
            o.put("quantity", v.quantity());
            o.put("limit", v.limit());
            o.put("actual", v.actual());
            o.put("unit", v.unit());
            o.put("message", v.message());
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise mapping table", e);
        }
    }

    private static ObjectNode accelerator(AcceleratorSpec a) {
        ObjectNode o = JSON.createObjectNode();
        o.put("name", a.name());
        o.put("macBits", a.macBits());
        o.put("accumulatorBits", a.accumulatorBits());
        o.put("clockHz", a.clockHz());
        if (!Double.isNaN(a.macEnergyPj())) {
            o.put("macEnergyPj", a.macEnergyPj());
        }
        o.put("peCount", a.peCount());
        ArrayNode axes = o.putArray("axes");
        for (ArrayAxis ax : a.axes()) {
            ObjectNode x = axes.addObject();
            x.put("name", ax.name());
            x.put("size", ax.size());
            ArrayNode u = x.putArray("unrolls");
            ax.unrolls().stream().sorted().forEach(d -> u.add(d.name()));
        }
        ArrayNode mems = o.putArray("memories");
        for (MemoryLevel m : a.memories()) {
            ObjectNode x = mems.addObject();
            x.put("name", m.name());
            if (m.isUnbounded()) {
                x.putNull("sizeBytes");
            } else if (m.sizeBytes() == Math.rint(m.sizeBytes())) {
                x.put("sizeBytes", (long) m.sizeBytes());
            } else {
                x.put("sizeBytes", m.sizeBytes()); // a whole number of bits: 0.5 for a 4-bit register
            }
            x.put("perPe", m.perPe());
            if (!m.sharedAlong().isEmpty()) {
                ArrayNode along = x.putArray("sharedAlong");
                m.sharedAlong().stream().sorted().forEach(along::add);
            }
            if (m.separatePorts()) {
                x.put("writeBandwidthBytesPerCycle", m.writeBandwidthBytesPerCycle());
            }
            if (Double.isInfinite(m.bandwidthBytesPerCycle())) {
                x.putNull("bandwidthBytesPerCycle");
            } else {
                x.put("bandwidthBytesPerCycle", m.bandwidthBytesPerCycle());
            }
            ArrayNode holds = x.putArray("holds");
            m.holds().stream().sorted().forEach(op -> holds.add(op.name()));
            x.put("readPjPerByte", m.readPjPerByte());
            x.put("writePjPerByte", m.writePjPerByte());
        }
        return o;
    }

    /** A mapping's {@code spatial} (per array axis) and {@code temporal} (innermost first) loops, as a layer row has them. */
    static void loops(ObjectNode o, org.edgenn.runtime.cost.Mapping m, MemoryHierarchy h) {
        ArrayNode spatial = o.putArray("spatial");
        List<List<Loop>> per = m.spatial().perAxis();
        for (int a = 0; a < per.size(); a++) {
            ObjectNode ax = spatial.addObject();
            ax.put("axis", h.spec().axes().get(a).name());
            ArrayNode loops = ax.putArray("loops");
            for (Loop lp : per.get(a)) {
                loops.addObject().put("dim", lp.dim().name()).put("factor", lp.factor());
            }
        }
        ArrayNode temporal = o.putArray("temporal");
        int[] seen = new int[LoopDim.values().length];
        for (Loop lp : m.temporal()) {
            temporal.addObject().put("dim", lp.dim().name()).put("factor", lp.factor())
                    .put("name", lp.dim().name().toLowerCase() + (++seen[lp.dim().ordinal()]));
        }
    }

    private static ObjectNode layer(LayerMapping l, MemoryHierarchy h) {
        Workload w = l.workload();
        CostResult c = l.cost();
        ObjectNode o = JSON.createObjectNode();
        o.put("name", w.name());
        o.put("kind", w.kind().name().toLowerCase());
        ObjectNode bounds = o.putObject("bounds");
        for (LoopDim d : LoopDim.values()) {
            bounds.put(d.name(), w.bound(d));
        }
        o.putArray("stride").add(w.strideY()).add(w.strideX());
        o.putArray("dilation").add(w.dilationY()).add(w.dilationX());
        o.putArray("padding").add(w.padY()).add(w.padX());
        ObjectNode bits = o.putObject("precisionBits");
        bits.put("W", w.weightBits());
        bits.put("I", w.inputBits());
        bits.put("O", w.outputBits());
        bits.put("partialSum", w.partialSumBits());
        o.put("weightBytes", LayerRows.weightBytes(l));
        o.put("macs", c.macs());
        o.put("paddedMacs", c.paddedMacs());
        if (w.weightDensity() < 1) {
            // sparse weights: density, the bits stored per dense weight position on this target, the MACs doing work
            ObjectNode sparse = o.putObject("sparsity");
            sparse.put("weightDensity", w.weightDensity());
            sparse.put("storedBitsPerWeight", w.storedBits(org.edgenn.ir.accel.Operand.W));
            sparse.put("hardware", h.spec().sparse().appliesTo(w.weightDensity()).spelling());
            // the weight values as stored (only the non-zeros when the target compresses them) and the format's index bits
            sparse.put("storedWeightBytes", LayerRows.storedWeightBytes(l, h.spec().sparse()));
            sparse.put("weightIndexBytes", LayerRows.weightIndexBytes(l, h.spec().sparse()));
            sparse.put("effectiveMacs", c.effectiveMacs());
        }
        loops(o, c.mapping(), h);
        ArrayNode nest = o.putArray("loopNest");
        c.mapping().render(h).lines().forEach(nest::add);
        ArrayNode acc = o.putArray("memories");
        for (LayerRows.Access a : LayerRows.accesses(l, h)) {
            ObjectNode x = acc.addObject();
            x.put("memory", a.memory());
            x.put("operand", a.operand().name());
            x.put("cut", a.cut());
            x.put("tileElements", a.tileElements());
            x.put("tileBytes", a.tileBytes());
            x.put("reads", a.reads());
            x.put("writes", a.writes());
            x.put("finalReads", a.finalReads());
            x.put("finalWrites", a.finalWrites());
            x.put("readBytes", a.readBytes());
            x.put("writeBytes", a.writeBytes());
            x.put("energyPj", a.energyPj());
        }
        ObjectNode energy = o.putObject("energyPj");
        energy.put("total", c.energyPj());
        energy.put("mac", c.macEnergyPj());
        ObjectNode perMem = energy.putObject("perMemory");
        ObjectNode cycles = o.putObject("cycles");
        cycles.put("latency", c.latencyCycles());
        cycles.put("compute", c.computeCycles());
        cycles.put("onload", c.onloadCycles());
        cycles.put("offload", c.offloadCycles());
        ObjectNode perMemCycles = cycles.putObject("perMemory");
        for (int i = 0; i < h.levelCount(); i++) {
            perMem.put(h.memory(i).name(), c.levelEnergyPj().get(i));
            perMemCycles.put(h.memory(i).name(), c.levelCycles().get(i));
        }
        ObjectNode util = o.putObject("utilization");
        util.put("spatial", c.spatialUtilization());
        util.put("overall", c.utilization());
        ObjectNode dram = o.putObject("dramBytes");
        dram.put("read", c.dramReadBytes());
        dram.put("write", c.dramWriteBytes());
        ObjectNode s = o.putObject("search");
        s.put("strategy", l.strategy());
        s.put("provenOptimal", l.provenOptimal());
        s.put("evaluated", l.evaluated());
        s.put("millis", l.searchMillis());
        s.put("objectiveValue", l.objectiveValue());
        return o;
    }
}
