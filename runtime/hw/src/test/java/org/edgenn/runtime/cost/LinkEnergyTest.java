package org.edgenn.runtime.cost;

import static org.edgenn.runtime.cost.Accels.axis;
import static org.edgenn.runtime.cost.Accels.loops;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.ir.accel.MemoryLevel;
import org.edgenn.ir.accel.Operand;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Energy summed link by link ({@link LinkEnergy}): words, ZigZag's rules, and agreement with the byte counts. */
class LinkEnergyTest {
    /** Without words and ZigZag's rules, link by link is the plain step 2: byte counts times per-byte energies. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void withoutWordsItIsTheByteCountsEnergy(long seed) {
        Random r = new Random(seed);
        for (int trial = 0; trial < 40; trial++) {
            AcceleratorSpec spec = SimulatorMatchesModelTest.randomAccelerator(r, 4, true);
            MemoryHierarchy h = MemoryHierarchy.of(spec);
            Workload w = SimulatorMatchesModelTest.randomWorkload(r);
            Mapping m = SimulatorMatchesModelTest.randomMapping(r, w, h);
            if (!MappingValidator.violations(w, h, m).isEmpty()) {
                continue;
            }
            CostModel model = new CostModel(h, 0);
            Tiles t = new Tiles(w, m.spatial().factors(), m.temporal());
            double[] bytes = model.calcEnergy(w, model.evaluate(w, m).counts());
            double[] links = LinkEnergy.levelEnergy(w, h, m, t, Set.of(), false);
            for (int l = 0; l < bytes.length; l++) {
                assertEquals(bytes[l], links[l], 1e-9 * Math.max(1, bytes[l]), "seed " + seed + " level " + l
                        + "\n" + w + "\n" + m);
            }
        }
    }

    /*
     * Dense K=2, C=3 on one PE; loops K2 (inner), C3. Levels: 0 = oreg (per PE, O, 4 B, words of 24 bits),
     * 1 = dram (everything, words of 64 bits). O cut [1, 1]: oreg holds the 2 outputs. 16-bit partial sums,
     * 8-bit outputs. Per transfer and instance, every amount rounds up to one word (3 B at oreg, 8 B at dram) except
     * where noted.
     * EdgeNN's model (default):
     *   W, MAC <- dram: 6 iterations, 1 weight each             -> dram reads 6 x 8 B
     *   I, MAC <- dram: 6 iterations, 1 input each              -> dram reads 6 x 8 B
     *   O, MAC -> oreg: 6 periods, 2 distinct outputs: 4 partial writes + 2 final writes -> oreg writes 6 x 3 B,
     *      4 read-backs                                           -> oreg reads 4 x 3 B
     *   O, oreg -> dram: 1 period, 2 final outputs = 16 bits     -> oreg reads 1 x 3 B, dram writes 1 x 8 B
     * ZigZag's rules:
     *   I is read once per stretch of the irrelevant K loop right above the MACs: 3 periods -> dram reads 3 x 8 B
     *   oreg holds partial sums (C iterates above its tile): 6 writes and 6 read-backs at 16 bits -> 6 x 3 B each
     *   everything else as above.
     */
    @Test
    void wordsAndZigZagsRulesByHand() {
        double rO = 0.5;
        double wO = 0.7;
        double rD = 100;
        double wD = 110;
        MemoryLevel oreg = new MemoryLevel("oreg", 4, true, Double.POSITIVE_INFINITY, EnumSet.of(Operand.O), rO, wO,
                Set.of(), Double.NaN, 24);
        MemoryLevel dram = new MemoryLevel("dram", MemoryLevel.UNBOUNDED, false, 8, EnumSet.allOf(Operand.class), rD,
                wD, Set.of(), Double.NaN, 64);
        AcceleratorSpec spec = new AcceleratorSpec("t", 8, 16, 1e8, List.of(axis("a", 2, LoopDim.N)),
                List.of(oreg, dram));
        Workload w = Workload.dense("fc", 1, 2, 3, Workload.Precision.int8(16));
        Mapping m = new Mapping(new SpatialMapping(List.of(List.of())), loops(LoopDim.K, 2, LoopDim.C, 3),
                Map.of(Operand.W, new int[] {2}, Operand.I, new int[] {2}, Operand.O, new int[] {1, 2}));
        MemoryHierarchy h = MemoryHierarchy.of(spec);
        CostModel plain = new CostModel(h, 0);
        CostResult r = plain.evaluate(w, m);
        assertEquals(6 * 3 * wO + 4 * 3 * rO + 3 * rO, r.levelEnergyPj().get(0), 1e-9);
        assertEquals((6 + 6) * 8 * rD + 8 * wD, r.levelEnergyPj().get(1), 1e-9);
        CostResult z = plain.withZigZagRules(true).evaluate(w, m);
        assertEquals(6 * 3 * wO + 6 * 3 * rO + 3 * rO, z.levelEnergyPj().get(0), 1e-9);
        assertEquals((6 + 3) * 8 * rD + 8 * wD, z.levelEnergyPj().get(1), 1e-9);
        // the same hierarchy without words: bytes (16-bit partial sums 2 B, final outputs 1 B)
        MemoryLevel oregB = new MemoryLevel("oreg", 4, true, Double.POSITIVE_INFINITY, EnumSet.of(Operand.O), rO, wO);
        MemoryLevel dramB = new MemoryLevel("dram", MemoryLevel.UNBOUNDED, false, 8, EnumSet.allOf(Operand.class), rD,
                wD);
        MemoryHierarchy hb = MemoryHierarchy.of(new AcceleratorSpec("t", 8, 16, 1e8, List.of(axis("a", 2, LoopDim.N)),
                List.of(oregB, dramB)));
        CostResult b = new CostModel(hb, 0).evaluate(w, m);
        assertEquals((4 * 2 + 2 * 1) * wO + 4 * 2 * rO + 2 * rO, b.levelEnergyPj().get(0), 1e-9);
        assertEquals((6 + 6) * rD + 2 * wD, b.levelEnergyPj().get(1), 1e-9);
    }
}
