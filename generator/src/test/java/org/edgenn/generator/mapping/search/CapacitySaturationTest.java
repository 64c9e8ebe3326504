package org.edgenn.generator.mapping.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.edgenn.generator.mapping.LayerMapping;
import org.edgenn.generator.mapping.Objective;
import org.edgenn.generator.mapping.ProgressListener;
import org.edgenn.generator.mapping.SearchOptions;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.accel.ArrayAxis;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.ir.accel.MemoryLevel;
import org.edgenn.ir.accel.Operand;
import org.edgenn.runtime.cost.CostModel;
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.edgenn.runtime.cost.Workload;
import org.junit.jupiter.api.Test;

/**
 * {@link CapacitySaturation}: the pass search's cache treats every size at or above a level's saturation as one, so the
 * layer search must give the same mapping and cost at any of them. Random small nests (convolutions with strides and
 * windows, pooling, depthwise, dense; with and without resident operands, EdgeNN's and ZigZag's allocation) are
 * searched with the shared buffer exactly at its saturation and far above it: same mapping, same energy and latency.
 * And the saturation is not vacuous: just below it, some nest's search changes (a clipped key would then be wrong).
 */
class CapacitySaturationTest {

    @Test
    void sameSearchAtAndAboveTheSaturation() {
        Random r = new Random(5);
        int below = 0;
        for (int i = 0; i < 40; i++) {
            Workload w = nest(r, i);
            AcceleratorSpec a = accelerator(r, 1 << 20);
            MemoryHierarchy h = MemoryHierarchy.of(a);
            long[] sat = CapacitySaturation.of(w, h);
            int gbuf = 1;
            Set<Operand> resident = r.nextBoolean() ? Set.of() : EnumSet.of(r.nextBoolean() ? Operand.I : Operand.O);
            boolean zigzag = r.nextInt(3) == 0;
            SearchOptions opts = (zigzag ? SearchOptions.quick().withZigZagAllocation(true) : SearchOptions.quick())
                    .withThreads(1);
            LayerMapping at = search(w, withGbuf(a, sat[gbuf]), resident, opts);
            LayerMapping above = search(w, withGbuf(a, 64L * sat[gbuf] + 12345), resident, opts);
            String where = "case " + i + " " + w + " saturation " + sat[gbuf];
            assertEquals(above.cost().mapping().toString(), at.cost().mapping().toString(), where);
            assertEquals(above.cost().energyPj(), at.cost().energyPj(), 0, where);
            assertEquals(above.cost().latencyCycles(), at.cost().latencyCycles(), 0, where);
            assertEquals(CapacitySaturation.key(MemoryHierarchy.of(withGbuf(a, sat[gbuf])), sat),
                    CapacitySaturation.key(MemoryHierarchy.of(withGbuf(a, 64L * sat[gbuf] + 12345)), sat), where);
            LayerMapping tight = search(w, withGbuf(a, Math.max(1, sat[gbuf] / 8)), resident, opts);
            if (tight == null || !tight.cost().mapping().toString().equals(at.cost().mapping().toString())
                    || tight.cost().latencyCycles() != at.cost().latencyCycles()) {
                below++;
            }
        }
        assertTrue(below >= 5, "the buffer's size never mattered below the saturation: " + below);
    }

    private static LayerMapping search(Workload w, AcceleratorSpec a, Set<Operand> resident, SearchOptions opts) {
        CostModel model = new CostModel(MemoryHierarchy.of(a), CostModel.DEFAULT_MAC_PJ)
                .withZigZagRules(opts.zigzagAllocation()).withResident(resident);
        try {
            return org.edgenn.generator.mapping.NetworkMapper.searchLayer(w, model, Objective.EDP, opts,
                    ProgressListener.NONE, 0, 1);
        } catch (org.edgenn.generator.mapping.NoValidMappingException e) {
            return null;
        }
    }

    private static Workload nest(Random r, int i) {
        Workload.Precision p = Workload.Precision.int8(32);
        int k = 1 + r.nextInt(12);
        int c = 1 + r.nextInt(12);
        int oy = 1 + r.nextInt(9);
        int ox = 1 + r.nextInt(9);
        int f = 1 + 2 * r.nextInt(2);
        int s = 1 + r.nextInt(2);
        return switch (i % 4) {
            case 0 -> Workload.conv("conv" + i, 1, k, c, oy, ox, f, f, s, 0, p);
            case 1 -> Workload.depthwise("dw" + i, 1, c, oy, ox, f, f, s, 0, p);
            case 2 -> Workload.pool("pool" + i, 1, c, oy, ox, 2, 2, 2, 0, true, 8, 32);
            default -> Workload.dense("fc" + i, 1 + r.nextInt(3), k * 4, c * 4, p);
        };
    }

    private static AcceleratorSpec accelerator(Random r, long gbuf) {
        return new AcceleratorSpec("a", 8, 32, 1e8,
                List.of(new ArrayAxis("rows", 2 + r.nextInt(3), EnumSet.of(LoopDim.K)),
                        new ArrayAxis("cols", 2 + r.nextInt(3), EnumSet.of(r.nextBoolean() ? LoopDim.C : LoopDim.OX))),
                List.of(new MemoryLevel("rf", 8 << r.nextInt(3), true, Double.POSITIVE_INFINITY,
                                EnumSet.allOf(Operand.class), 0.03, 0.03),
                        new MemoryLevel("gbuf", gbuf, false, 4 << r.nextInt(3), EnumSet.allOf(Operand.class), 1.5, 1.8),
                        new MemoryLevel("dram", MemoryLevel.UNBOUNDED, false, 2 << r.nextInt(2),
                                EnumSet.allOf(Operand.class), 80, 80)));
    }

    private static AcceleratorSpec withGbuf(AcceleratorSpec a, long bytes) {
        List<MemoryLevel> m = new java.util.ArrayList<>(a.memories());
        m.set(1, m.get(1).withSizeBytes(bytes));
        return new AcceleratorSpec(a.name(), a.macBits(), a.accumulatorBits(), a.clockHz(), a.axes(), m, a.macEnergyPj(),
                a.area(), a.sparse());
    }
}
