package org.edgenn.generator.mapping.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.edgenn.generator.mapping.CapacityRepair;
import org.edgenn.generator.mapping.LayerMapping;
import org.edgenn.generator.mapping.NoValidMappingException;
import org.edgenn.generator.mapping.Objective;
import org.edgenn.generator.mapping.ProgressListener;
import org.edgenn.generator.mapping.SearchOptions;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.accel.MemoryLevel;
import org.edgenn.runtime.cost.CostModel;
import org.edgenn.runtime.cost.CostResult;
import org.edgenn.runtime.cost.MappingValidator;
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.edgenn.runtime.cost.Workload;
import org.junit.jupiter.api.Test;

/**
 * {@link CapacityRepair} over increasing buffer sizes of random small accelerators: a mapping found at a smaller
 * capacity validates at every larger one, and the repaired result at a larger capacity is the brute-force minimum of
 * its own search and every smaller capacity's mapping re-costed there (the reference: {@link CostModel#evaluate}, which
 * validates and costs on its own), so it is never worse than the smaller capacity's repaired mapping re-costed. The
 * search alone is not: the test also counts its inversions and requires some (else it checks nothing).
 */
class CapacityRepairTest {
    private static final Objective[] OBJECTIVES = {Objective.EDP, Objective.LATENCY, Objective.ENERGY};
    private static final long[] GBUF = {64, 128, 256, 512, 1024, 2048, 4096};

    @Test
    void theRepairedResultIsNeverWorseThanASmallerCapacitysMappingRecosted() {
        Random r = new Random(23);
        int ladders = 0;
        int defects = 0;
        int dearer = 0;
        for (int i = 0; i < 12; i++) {
            Workload w = RandomSmallAccelerator.nest(r, i);
            AcceleratorSpec a = RandomSmallAccelerator.draw(r, 1, 3);
            Objective o = OBJECTIVES[i % OBJECTIVES.length];
            List<LayerMapping> own = new ArrayList<>();
            List<LayerMapping> repaired = new ArrayList<>();
            List<CostModel> models = new ArrayList<>();
            for (long size : GBUF) {
                AcceleratorSpec s = withGbuf(a, size);
                if (!models.isEmpty()) {
                    assertTrue(CapacityRepair.fitsWithin(withGbuf(a, size / 2), s));
                    assertFalse(CapacityRepair.fitsWithin(s, withGbuf(a, size / 2)));
                }
                CostModel model = new CostModel(MemoryHierarchy.of(s), CostModel.DEFAULT_MAC_PJ);
                LayerMapping found = search(w, model, o);
                if (found == null) {
                    continue; // nothing fits yet: every smaller size had nothing either
                }
                // the reference: every smaller capacity's own mapping validated and costed here by the cost model
                double brute = found.objectiveValue();
                for (LayerMapping smaller : own) {
                    assertTrue(MappingValidator.violations(w, model.hierarchy(), smaller.cost().mapping()).isEmpty(),
                            () -> "a mapping of a smaller buffer does not fit a larger one: " + smaller.cost().mapping());
                    CostResult again = model.evaluate(w, smaller.cost().mapping());
                    brute = Math.min(brute, o.value(again));
                    defects += o.value(again) < found.objectiveValue() * (1 - 1e-12) ? 1 : 0;
                    dearer += o.value(again) > smaller.objectiveValue() * (1 + 1e-12) ? 1 : 0;
                }
                LayerMapping best = CapacityRepair.best(found, own, model, o);
                assertEquals(brute, best.objectiveValue(), 1e-12 * brute, () -> w + " at " + size + " B");
                assertEquals(o.value(model.evaluate(w, best.cost().mapping())), best.objectiveValue(),
                        1e-12 * best.objectiveValue());
                for (LayerMapping smaller : repaired) {
                    double recosted = o.value(model.evaluate(w, smaller.cost().mapping()));
                    assertTrue(best.objectiveValue() <= recosted * (1 + 1e-12),
                            () -> w + " at " + size + " B: " + best.objectiveValue() + " > " + recosted);
                }
                own.add(found);
                repaired.add(best);
                models.add(model);
            }
            ladders += own.size() > 1 ? 1 : 0;
        }
        System.out.println("capacity ladders " + ladders + ": the search's own result beaten by a smaller capacity's "
                + "mapping re-costed (defects) " + defects + ", a mapping dearer re-costed at a larger capacity " + dearer);
        assertTrue(ladders >= 8, "too few ladders mapped: " + ladders);
        assertTrue(defects >= 1, "the search alone never inverted: the test checks nothing");
    }

    @Test
    void onlyLargerMemoriesOfTheSameHardwareAreCompared() {
        AcceleratorSpec a = withGbuf(RandomSmallAccelerator.draw(new Random(3), 1, 3), 1024);
        assertTrue(CapacityRepair.fitsWithin(withGbuf(a, 512), a));
        assertFalse(CapacityRepair.fitsWithin(a, a), "the same accelerator is not a smaller one");
        List<MemoryLevel> m = new ArrayList<>(withGbuf(a, 512).memories());
        MemoryLevel g = m.get(1);
        // a smaller buffer whose accesses cost less: a larger one may legitimately map worse, so it is not compared
        m.set(1, new MemoryLevel(g.name(), g.sizeBytes(), g.perPe(), g.bandwidthBytesPerCycle(), g.holds(),
                g.readPjPerByte() / 2, g.writePjPerByte(), g.sharedAlong(), g.writeBandwidthBytesPerCycle(), g.wordBits()));
        AcceleratorSpec cheaper = new AcceleratorSpec(a.name(), a.macBits(), a.accumulatorBits(), a.clockHz(), a.axes(), m,
                a.macEnergyPj(), a.area(), a.sparse());
        assertFalse(CapacityRepair.fitsWithin(cheaper, a));
        Workload w = Workload.dense("fc", 1, 32, 32, Workload.Precision.int8(32));
        CostModel small = new CostModel(MemoryHierarchy.of(withGbuf(a, 64)), CostModel.DEFAULT_MAC_PJ);
        LayerMapping found = search(w, new CostModel(MemoryHierarchy.of(a), CostModel.DEFAULT_MAC_PJ), Objective.EDP);
        assertNotNull(found);
        // a larger capacity's mapping does not fit a smaller one: no re-costing
        boolean fits = MappingValidator.violations(w, small.hierarchy(), found.cost().mapping()).isEmpty();
        assertEquals(fits, CapacityRepair.recost(found, small, Objective.EDP) != null);
    }

    private static LayerMapping search(Workload w, CostModel model, Objective o) {
        SearchOptions opts = SearchOptions.quick().withThreads(1).withLoopLimit(5);
        try {
            return LayerSearch.search(w, model, o, opts, ProgressListener.NONE, 0, 1);
        } catch (NoValidMappingException e) {
            return null;
        }
    }

    private static AcceleratorSpec withGbuf(AcceleratorSpec a, long bytes) {
        List<MemoryLevel> m = new ArrayList<>(a.memories());
        m.set(1, m.get(1).withSizeBytes(bytes));
        return new AcceleratorSpec(a.name(), a.macBits(), a.accumulatorBits(), a.clockHz(), a.axes(), m, a.macEnergyPj(),
                a.area(), a.sparse());
    }
}
