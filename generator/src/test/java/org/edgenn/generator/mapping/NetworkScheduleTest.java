package org.edgenn.generator.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.edgenn.generator.mapping.schedule.Fusion;
import org.edgenn.generator.mapping.schedule.NetworkSchedule;
import org.edgenn.generator.mapping.schedule.Residency;
import org.edgenn.generator.mapping.schedule.WorkloadGraph;
import org.edgenn.generator.training.Lowered;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.accel.MemoryLevel;
import org.edgenn.ir.accel.Operand;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Program;
import org.edgenn.runtime.cost.AccessCounts;
import org.edgenn.runtime.cost.CostResult;
import org.edgenn.runtime.cost.LoopNestSimulator;
import org.edgenn.runtime.cost.Mapping;
import org.edgenn.runtime.cost.MappingValidator;
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.edgenn.runtime.cost.Tiles;
import org.edgenn.runtime.cost.Workload;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The network schedule (fusion, residency) on small unrolled and residual networks: the loop-nest simulator walking
 * every pass with its resident operands, plus the fused ops' reads and the one-time loads walked element by element,
 * gives the model's network energy and DRAM traffic; resident tensors and tiles fit together; a tied weight is loaded
 * once; and the residency rule against brute force over every subset of candidates.
 */
class NetworkScheduleTest {
    @TempDir
    static Path dir;

    private static final String ACCELERATORS = """
            accelerator Small {
              mac int8 accumulator int32
              clock 400 MHz
              axis rows 4 unrolls K
              axis cols 4 unrolls C
              memory rf size 16 B per pe holds W, I, O read 0.03 pJ/B write 0.03 pJ/B
              memory gbuf size 3 KiB bandwidth 16 B/cycle holds W, I, O read 1.5 pJ/B write 1.8 pJ/B
              memory dram bandwidth 4 B/cycle holds W, I, O read 80 pJ/B write 80 pJ/B
            }
            accelerator Roomy {
              mac int8 accumulator int32
              clock 400 MHz
              axis rows 4 unrolls K
              axis cols 4 unrolls C
              memory rf size 16 B per pe holds W, I, O read 0.03 pJ/B write 0.03 pJ/B
              memory gbuf size 64 KiB bandwidth 16 B/cycle holds W, I, O read 1.5 pJ/B write 1.8 pJ/B
              memory dram bandwidth 4 B/cycle holds W, I, O read 80 pJ/B write 80 pJ/B
            }
            accelerator NoWeightBuffer {
              mac int8 accumulator int32
              clock 200 MHz
              axis rows 4 unrolls K
              axis cols 4 unrolls C
              memory rf size 16 B per pe holds W, I, O read 0.03 pJ/B write 0.03 pJ/B
              memory gbuf size 2 KiB bandwidth 16 B/cycle holds I, O read 1.5 pJ/B write 1.8 pJ/B
              memory dram bandwidth 4 B/cycle holds W, I, O read 80 pJ/B write 80 pJ/B
            }
            """;

    private static final String NETWORKS = """
            network Tied {
              input y: f32[20]
              layer We = dense(20 -> 40, bias=false)
              layer S = dense(40 -> 40, bias=false)
              param theta[3]: f32[1] = 0.1
              let b = We(y)
              state x: f32[40] = 0
              unroll 3 as k {
                x = shrink(b + S(x), theta[k])
              }
              output x
              compress {
                weights int8 per-channel
                activations int8
              }
            }
            network Untied {
              input y: f32[20]
              layer We = dense(20 -> 40, bias=false)
              layer S[3] = dense(40 -> 40, bias=false)
              param theta[3]: f32[1] = 0.1
              let b = We(y)
              state x: f32[40] = 0
              unroll 3 as k {
                x = shrink(b + S[k](x), theta[k])
              }
              output x
              compress {
                weights int8 per-channel
                activations int8
              }
            }
            network Residual {
              input img: f32[4, 6, 6]
              layer c1 = conv2d(4 -> 4, kernel=3, padding=1, bias=false)
              layer c2 = conv2d(4 -> 4, kernel=3, padding=1, bias=false)
              let h = relu(c1(img))
              let z = relu(c2(h) + img)
              output z
              compress {
                weights int8 per-channel
                activations int8
              }
            }
            network Chain {
              input img: f32[4, 16, 16]
              layer c1 = conv2d(4 -> 8, kernel=3, padding=1, bias=false)
              layer c2 = conv2d(8 -> 8, kernel=3, padding=1, bias=false)
              layer c3 = conv2d(8 -> 4, kernel=3, padding=1, bias=false)
              let a = relu(c1(img))
              let b = relu(c2(a))
              let z = c3(b) + img
              output z
              compress {
                weights int8 per-channel
                activations int8
              }
            }
            """;

    private static Program program;

    @BeforeAll
    static void lower() {
        program = Lowered.text(dir, "schedule.edgenn", ACCELERATORS + NETWORKS);
    }

    private static SearchOptions options() {
        return SearchOptions.quick().withThreads(1);
    }

    private static NetworkMapping schedule(String network, String accelerator) {
        Network n = program.network(network).orElseThrow();
        AcceleratorSpec a = program.accelerator(accelerator).orElseThrow();
        return NetworkScheduler.map(IrWorkloads.graph(n, a), a, Objective.EDP, options(), ProgressListener.NONE, true, true);
    }

    @Test
    void elementwiseOpsFuseIntoTheirProducer() {
        Network n = program.network("Tied").orElseThrow();
        List<Fusion.Group> groups = Fusion.groups(IrWorkloads.graph(n, program.accelerator("Small").orElseThrow()), true);
        assertEquals(List.of("We", "S@0", "S@1", "S@2"), groups.stream().map(Fusion.Group::name).toList());
        for (int k = 0; k < 3; k++) {
            Fusion.Group g = groups.get(k + 1);
            assertEquals(2, g.fused().size(), g.name() + " fuses the add and the shrink");
            assertEquals(List.of("We", "theta[" + k + "]"), g.extraReads(),
                    g.name() + " reads b = We(y) and its threshold beside the value flowing through");
        }
        // the residual add reads the input image as well; the relu after c1 fuses into c1
        List<Fusion.Group> res = Fusion.groups(IrWorkloads.graph(program.network("Residual").orElseThrow(),
                program.accelerator("Small").orElseThrow()), true);
        assertEquals(2, res.size(), res.toString());
        assertEquals(1, res.get(0).fused().size());
        assertEquals(2, res.get(1).fused().size());
        assertEquals(List.of("img"), res.get(1).extraReads());
        // layer by layer: one group per workload, nothing fused
        assertTrue(Fusion.groups(IrWorkloads.graph(n, program.accelerator("Small").orElseThrow()), false).stream()
                .allMatch(g -> g.fused().isEmpty()));
    }

    @Test
    void aTiedWeightIsLoadedOnceAndStatesStayOnChip() {
        NetworkMapping tied = schedule("Tied", "Roomy");
        NetworkSchedule.Resident s = tied.schedule().residents().stream().filter(r -> r.tensor().equals("weight:S.weight"))
                .findFirst().orElseThrow(() -> new AssertionError("S not resident: " + tied.schedule().residents()));
        assertEquals(40 * 40, s.loadBytes(), "loaded once from DRAM");
        int dram = tied.accelerator().memories().size() - 1;
        for (LayerMapping l : tied.layers().subList(1, 4)) {
            assertTrue(tied.schedule().passes().get(tied.layers().indexOf(l)).resident().contains(Operand.W));
            assertEquals(0, l.cost().counts().reads(dram, Operand.W), l.workload().name() + " reads no weight from DRAM");
        }
        assertTrue(tied.schedule().residents().stream().anyMatch(r -> r.tensor().equals("x[0]")), "the state stays on chip");
        // untied: a weight used once is never a candidate; DRAM traffic still drops (states, b)
        NetworkMapping untied = schedule("Untied", "Roomy");
        assertFalse(untied.schedule().residents().stream().anyMatch(r -> r.tensor().startsWith("weight:")));
        assertTrue(untied.totalDramBytes() < untied.schedule().layerByLayer().dramBytes());
        // no buffer for weights below DRAM: nothing to keep W in, I/O still can
        NetworkMapping now = schedule("Tied", "NoWeightBuffer");
        assertFalse(now.schedule().residents().stream().anyMatch(r -> r.tensor().startsWith("weight:")));
    }

    @Test
    void simulatorWalkOfTheScheduleEqualsTheModel() {
        int passes = 0;
        int resident = 0;
        int stacks = 0;
        for (String network : List.of("Tied", "Untied", "Residual", "Chain")) {
            for (String accel : List.of("Small", "Roomy", "NoWeightBuffer")) {
                NetworkMapping nm = schedule(network, accel);
                MemoryHierarchy h = MemoryHierarchy.of(nm.accelerator());
                int top = h.levelCount() - 1;
                double energy = 0;
                double dram = 0;
                double macPj = nm.accelerator().macEnergyPjOr(options().macEnergyPj());
                // depth-first stacks: walked tile by tile (StackWalk), never worse than the schedule without them
                NetworkSchedule.Totals without = nm.schedule().withoutStacks(nm.totalEnergyPj(), nm.totalLatencyCycles(),
                        nm.totalDramBytes());
                assertTrue(nm.objectiveValue() <= Objective.EDP.value(without.energyPj(), without.latencyCycles()) * (1 + 1e-12),
                        network + " on " + accel + ": stacks made it worse");
                for (org.edgenn.generator.mapping.schedule.FusedStack f : nm.schedule().stacks()) {
                    double[] walked = walkStack(nm, program.network(network).orElseThrow(), f);
                    energy += walked[0];
                    dram += walked[1];
                    stacks++;
                }
                for (int i = 0; i < nm.layers().size(); i++) {
                    if (nm.schedule().stackOf(i) != null) {
                        continue; // walked with its stack
                    }
                    LayerMapping l = nm.layers().get(i);
                    NetworkSchedule.Pass p = nm.schedule().passes().get(i);
                    Workload w = l.workload();
                    Mapping m = l.cost().mapping();
                    AccessCounts walked = LoopNestSimulator.simulate(w, h, m, p.resident());
                    String where = network + " on " + accel + ", pass " + w.name();
                    assertEquals(walked, l.cost().counts(), where);
                    for (int lvl = 0; lvl < h.levelCount(); lvl++) {
                        MemoryLevel mem = h.memory(lvl);
                        for (Operand op : w.operands()) {
                            energy += walked.readBytes(lvl, op, w) * mem.readPjPerByte()
                                    + walked.writeBytes(lvl, op, w) * mem.writePjPerByte();
                            if (lvl == top) {
                                dram += walked.readBytes(lvl, op, w) + walked.writeBytes(lvl, op, w);
                            }
                        }
                        // the residents and the pass's tiles fit the level together
                        if (!mem.isUnbounded()) {
                            double tiles = MappingValidator.tileBytes(w, h, m, new Tiles(w, m.spatial().factors(), m.temporal()), lvl);
                            assertTrue(tiles + p.reservedBytes().get(lvl) <= mem.sizeBytes(), where + " overflows " + mem.name());
                        }
                    }
                    energy += l.cost().macEnergyPj();
                    // fused ops: one op per output element of every fused layer, their other inputs read element by element
                    for (String f : p.fused()) {
                        energy += macPj * outputs(nm, f, program.network(network).orElseThrow());
                    }
                    for (NetworkSchedule.Read r : p.extraReads()) {
                        WorkloadGraph.Tensor t = IrWorkloads.graph(program.network(network).orElseThrow(), nm.accelerator())
                                .tensors().get(r.tensor());
                        double bytes = 0;
                        for (long e = 0; e < t.elements(); e++) {
                            bytes += t.bits() / 8.0;
                        }
                        energy += Math.ceil(bytes) * h.memory(r.level()).readPjPerByte();
                        dram += r.level() == top ? Math.ceil(bytes) : 0;
                    }
                    passes++;
                    resident += p.resident().size();
                }
                for (NetworkSchedule.Resident r : nm.schedule().residents()) {
                    energy += r.loadBytes() * (h.memory(top).readPjPerByte() + h.memory(r.level()).writePjPerByte());
                    dram += r.loadBytes();
                }
                assertEquals(nm.totalEnergyPj(), energy, 1e-9 * energy, network + " on " + accel);
                assertEquals(nm.totalDramBytes(), dram, 1e-9 * dram, network + " on " + accel);
            }
        }
        assertTrue(resident >= 10, "too few resident operands to check: " + resident + " in " + passes + " passes");
        assertTrue(stacks >= 1, "no depth-first stack to walk");
    }

    /**
     * {energy, DRAM bytes} of a stack walked tile by tile ({@code StackWalk}, whose counts must equal the model's): the
     * walked accesses at every level, the MAC energy of the tile mappings, the fused ops and their reads, the weights'
     * one-time load.
     */
    private static double[] walkStack(NetworkMapping nm, Network n, org.edgenn.generator.mapping.schedule.FusedStack f) {
        AcceleratorSpec a = nm.accelerator();
        MemoryHierarchy h = MemoryHierarchy.of(a);
        int top = h.levelCount() - 1;
        WorkloadGraph g = IrWorkloads.graph(n, a);
        List<Fusion.Group> groups = Fusion.groups(g, true);
        org.edgenn.generator.mapping.depthfirst.StackShape s =
                org.edgenn.generator.mapping.depthfirst.StackShape.of(groups, g, h, f.first(), f.last());
        Map<String, Integer> levels = new LinkedHashMap<>();
        nm.schedule().residents().forEach(r -> levels.put(r.tensor(), r.level()));
        List<java.util.Set<Operand>> outside = new ArrayList<>();
        for (int p = 0; p < s.size(); p++) {
            java.util.Set<Operand> plan = nm.schedule().passes().get(f.first() + p).resident();
            java.util.Set<Operand> o = java.util.EnumSet.noneOf(Operand.class);
            if (plan.contains(Operand.W)) {
                o.add(Operand.W);
            }
            if (p == 0 && plan.contains(Operand.I)) {
                o.add(Operand.I);
            }
            if (p == s.size() - 1 && plan.contains(Operand.O)) {
                o.add(Operand.O);
            }
            outside.add(o);
        }
        var walked = org.edgenn.generator.mapping.depthfirst.StackWalk.walk(s, f, a, levels, outside);
        org.edgenn.generator.mapping.depthfirst.StackWalkMatchesModelTest.compare(s, f, walked, h, f.name() + " on " + a.name());
        double macPj = a.macEnergyPjOr(options().macEnergyPj());
        double energy = walked.fusedOps() * macPj + walked.readDramBytes() * h.memory(top).readPjPerByte()
                + walked.readOnChipBytes() * h.memory(s.level()).readPjPerByte();
        double dram = walked.readDramBytes() + f.weightLoadBytes();
        energy += f.weightLoadBytes() * (h.memory(top).readPjPerByte()
                + h.memory(org.edgenn.generator.mapping.schedule.Residency.below(h, Operand.W)).writePjPerByte());
        for (int p = 0; p < s.size(); p++) {
            Workload w = s.passes().get(p).workload();
            AccessCounts c = walked.accesses().get(p);
            for (int lvl = 0; lvl < h.levelCount(); lvl++) {
                for (Operand op : w.operands()) {
                    energy += c.readBytes(lvl, op, w) * h.memory(lvl).readPjPerByte()
                            + c.writeBytes(lvl, op, w) * h.memory(lvl).writePjPerByte();
                }
            }
            for (var t : f.perLayer().get(p).mappings()) {
                energy += t.count() * t.cost().macEnergyPj();
            }
        }
        for (double b : walked.dramBytes().values()) {
            dram += b;
        }
        return new double[] {energy, dram};
    }

    private static long outputs(NetworkMapping nm, String layer, Network n) {
        return n.node(layer).shape().size();
    }

    @Test
    void residencyRuleAgainstBruteForce() {
        for (String network : List.of("Tied", "Untied", "Residual")) {
            for (String accel : List.of("Small", "Roomy")) {
                Network n = program.network(network).orElseThrow();
                AcceleratorSpec a = program.accelerator(accel).orElseThrow();
                WorkloadGraph g = IrWorkloads.graph(n, a);
                MemoryHierarchy h = MemoryHierarchy.of(a);
                List<Fusion.Group> groups = Fusion.groups(g, true);
                NetworkScheduler.PassSearch search = NetworkScheduler.cachedSearch(a, Objective.EDP, options(), ProgressListener.NONE);
                NetworkScheduler.Plan base = NetworkScheduler.plan(groups, g, h, List.of(), Map.of(), search, options());
                List<Residency.Candidate> cands = Residency.candidates(g, groups, h, i -> base.layers().get(i).cost());
                assertTrue(cands.size() <= 12, "brute force over " + cands.size() + " candidates");
                double best = Double.POSITIVE_INFINITY;
                for (int mask = 0; mask < 1 << cands.size(); mask++) {
                    Map<String, Integer> chosen = new LinkedHashMap<>();
                    for (int c = 0; c < cands.size(); c++) {
                        if ((mask & 1 << c) != 0) {
                            chosen.put(cands.get(c).tensor(), cands.get(c).level());
                        }
                    }
                    if (!Residency.consistent(chosen, groups, g).equals(chosen) || !fits(chosen, cands, groups, h)) {
                        continue;
                    }
                    best = Math.min(best, NetworkScheduler.objective(
                            NetworkScheduler.plan(groups, g, h, cands, chosen, search, options()), Objective.EDP, a));
                }
                double none = NetworkScheduler.objective(base, Objective.EDP, a);
                double rule = NetworkScheduler.map(g, a, Objective.EDP, options(), false, search, ProgressListener.NONE)
                        .objectiveValue();
                String where = network + " on " + accel + ": rule " + rule + ", brute force " + best + ", none " + none;
                assertTrue(rule <= none, where);
                assertTrue(rule >= best * (1 - 1e-12), where);
                if (accel.equals("Roomy")) {
                    // everything fits with room to spare: the rule keeps the optimal set
                    assertEquals(best, rule, 1e-12 * best, where);
                } else {
                    assertTrue(rule <= 1.10 * best, where);
                }
            }
        }
    }

    /** Every resident set's bytes leave each level something at every pass (what plan() needs to map at all). */
    private static boolean fits(Map<String, Integer> chosen, List<Residency.Candidate> cands, List<Fusion.Group> groups,
                                MemoryHierarchy h) {
        for (Fusion.Group grp : groups) {
            long[] r = Residency.reserved(grp.index(), cands, chosen, h.levelCount());
            for (int l = 0; l < r.length; l++) {
                if (r[l] >= h.memory(l).sizeBytes()) {
                    return false;
                }
            }
        }
        return true;
    }

    @Test
    void layerByLayerTotalsAreTheLayerByLayerMapping() {
        Network n = program.network("Tied").orElseThrow();
        AcceleratorSpec a = program.accelerator("Small").orElseThrow();
        NetworkMapping network = schedule("Tied", "Small");
        NetworkMapping lbl = ScheduleMode.LAYER_BY_LAYER.map(IrWorkloads.graph(n, a), a, Objective.EDP, options(),
                ProgressListener.NONE, true);
        assertEquals(null, lbl.schedule());
        assertEquals(lbl.totalEnergyPj(), network.schedule().layerByLayer().energyPj(), 1e-9 * lbl.totalEnergyPj());
        assertEquals(lbl.totalDramBytes(), network.schedule().layerByLayer().dramBytes(), 1e-9);
        assertEquals(lbl.layers().size(), network.schedule().layerByLayer().passes());
        List<String> all = new ArrayList<>();
        network.schedule().passes().forEach(p -> {
            all.add(p.layer());
            all.addAll(p.fused());
        });
        assertEquals(lbl.layers().stream().map(l -> l.workload().name()).sorted().toList(), all.stream().sorted().toList(),
                "every layer is a pass or fused into one");
        assertTrue(network.totalDramBytes() < lbl.totalDramBytes());
    }
}
