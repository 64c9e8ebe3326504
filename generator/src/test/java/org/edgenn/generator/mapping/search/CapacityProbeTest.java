package org.edgenn.generator.mapping.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.edgenn.generator.mapping.LayerMapping;
import org.edgenn.generator.mapping.NetworkMapper;
import org.edgenn.generator.mapping.NoValidMappingException;
import org.edgenn.generator.mapping.Objective;
import org.edgenn.generator.mapping.ProgressListener;
import org.edgenn.generator.mapping.SearchOptions;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.accel.MemoryLevel;
import org.edgenn.ir.accel.Operand;
import org.edgenn.runtime.cost.CapacityProbe;
import org.edgenn.runtime.cost.CostModel;
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.edgenn.runtime.cost.Workload;
import org.junit.jupiter.api.Test;

/**
 * {@link CapacityProbe}: the pass search reuses a search's result on any capacities its probe admits, so the layer
 * search must give the same mapping and cost there. Random small nests (convolutions with strides and windows,
 * depthwise, pooling, dense; resident operands; EdgeNN's allocation and ZigZag's) are searched, probed, on a shared
 * buffer of sizes doubling from 48-64 B to 16 KiB (the size does change the search: the mappings differ between
 * sizes), and again, unprobed, at random sizes the probe admits: the same mapping, energy and latency. A size decision
 * the probe does not see (a size compared directly) lets it admit sizes on which the search differs.
 */
class CapacityProbeTest {

    @Test
    void searchesAreEqualWhereTheProbeAdmitsTheSizes() {
        Random r = new Random(5);
        int admitted = 0;
        int differ = 0;
        for (int i = 0; i < 12; i++) {
            Workload w = nest(r, i);
            AcceleratorSpec a = accelerator(r);
            Set<Operand> resident = r.nextBoolean() ? Set.of() : EnumSet.of(r.nextBoolean() ? Operand.I : Operand.O);
            boolean zigzag = r.nextInt(3) == 0;
            SearchOptions opts = (zigzag ? SearchOptions.quick().withZigZagAllocation(true) : SearchOptions.quick())
                    .withThreads(1);
            String previous = null;
            for (long size = 48 + r.nextInt(16); size < 1 << 14; size *= 2) {
                CapacityProbe probe = new CapacityProbe(3);
                LayerMapping m = search(w, withGbuf(a, size), resident, zigzag, opts, probe);
                if (m == null) {
                    continue;
                }
                String text = text(m);
                differ += previous != null && !previous.equals(text) ? 1 : 0;
                previous = text;
                // other sizes of the buffer the probe admits (inside its interval, a byte and 1e-9 from the ends)
                double lo = probe.needed()[1] + Math.max(1, probe.needed()[1] * 1e-9);
                double hi = Double.isFinite(probe.refused()[1]) ? probe.refused()[1] - Math.max(1, probe.refused()[1] * 1e-9)
                        : 4 * Math.max(lo, size);
                for (int k = 0; k < 2 && hi - lo >= 2; k++) {
                    long other = (long) Math.ceil(lo + r.nextDouble() * (hi - lo - 1));
                    double[] sizes = withGbuf(a, other).memories().stream().mapToDouble(MemoryLevel::sizeBytes).toArray();
                    double[] searched = withGbuf(a, size).memories().stream().mapToDouble(MemoryLevel::sizeBytes).toArray();
                    if (other == size || !probe.admits(sizes, searched)) {
                        continue;
                    }
                    admitted++;
                    LayerMapping fresh = search(w, withGbuf(a, other), resident, zigzag, opts, null);
                    assertEquals(text, fresh == null ? "no mapping" : text(fresh),
                            "case " + i + " " + w + ": searched at " + size + " B, admitted at " + other + " B");
                }
            }
        }
        assertTrue(admitted >= 10, "the probe admitted too few other sizes: " + admitted);
        assertTrue(differ >= 10, "the buffer's size never changed a search: " + differ);
    }

    private static String text(LayerMapping m) {
        return m.cost().mapping() + " " + m.cost().energyPj() + " pJ " + m.cost().latencyCycles() + " cycles";
    }

    private static LayerMapping search(Workload w, AcceleratorSpec a, Set<Operand> resident, boolean zigzag,
                                       SearchOptions opts, CapacityProbe probe) {
        MemoryHierarchy h = probe == null ? MemoryHierarchy.of(a) : MemoryHierarchy.of(a).probed(probe);
        CostModel model = new CostModel(h, CostModel.DEFAULT_MAC_PJ).withZigZagRules(zigzag).withResident(resident);
        try {
            return NetworkMapper.searchLayer(w, model, Objective.EDP, opts, ProgressListener.NONE, 0, 1);
        } catch (NoValidMappingException e) {
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

    private static AcceleratorSpec accelerator(Random r) {
        return RandomSmallAccelerator.draw(r, 2, 2);
    }

    private static AcceleratorSpec withGbuf(AcceleratorSpec a, long bytes) {
        List<MemoryLevel> m = new ArrayList<>(a.memories());
        m.set(1, m.get(1).withSizeBytes(bytes));
        return new AcceleratorSpec(a.name(), a.macBits(), a.accumulatorBits(), a.clockHz(), a.axes(), m, a.macEnergyPj(),
                a.area(), a.sparse());
    }
}
