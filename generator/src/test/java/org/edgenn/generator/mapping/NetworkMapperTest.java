package org.edgenn.generator.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.accel.ArrayAxis;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.ir.accel.MemoryLevel;
import org.edgenn.ir.accel.Operand;
import org.edgenn.runtime.cost.CostModel;
import org.edgenn.runtime.cost.InvalidAcceleratorException;
import org.edgenn.runtime.cost.LoopNestSimulator;
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.edgenn.runtime.cost.Workload;
import org.junit.jupiter.api.Test;

class NetworkMapperTest {
    static final Workload.Precision P = Workload.Precision.int8(32);

    static AcceleratorSpec tiny() {
        return new AcceleratorSpec("Tiny", 8, 32, 100e6,
                List.of(new ArrayAxis("rows", 4, EnumSet.of(LoopDim.C, LoopDim.G)),
                        new ArrayAxis("cols", 4, EnumSet.of(LoopDim.K, LoopDim.OX))),
                List.of(new MemoryLevel("rf", 16, true, Double.POSITIVE_INFINITY, EnumSet.allOf(Operand.class), 0.05, 0.05),
                        new MemoryLevel("gbuf", 2048, false, 16, EnumSet.allOf(Operand.class), 1.0, 1.2),
                        new MemoryLevel("dram", MemoryLevel.UNBOUNDED, false, 4, EnumSet.allOf(Operand.class), 60, 60)));
    }

    static List<Workload> smallNet() {
        return List.of(Workload.conv("c1", 1, 8, 3, 6, 6, 3, 3, 1, 1, P),
                Workload.pool("pool", 1, 8, 3, 3, 2, 2, 2, 0, true, 8, 32),
                Workload.conv("c2", 1, 8, 8, 3, 3, 3, 3, 1, 1, P),
                Workload.conv("c3", 1, 8, 8, 3, 3, 3, 3, 1, 1, P),
                Workload.elementwise("add", 1, 8, 3, 3, 8),
                Workload.dense("fc", 1, 10, 72, P));
    }

    @Test
    void everyLayerIsMappedValidlyAndItsCountsSurviveTheSimulator() {
        NetworkMapping nm = NetworkMapper.map(smallNet(), tiny(), Objective.EDP, SearchOptions.defaults(),
                ProgressListener.NONE);
        assertEquals(6, nm.layers().size());
        MemoryHierarchy h = MemoryHierarchy.of(tiny());
        CostModel model = new CostModel(h, nm.options().macEnergyPj());
        double energy = 0;
        for (LayerMapping l : nm.layers()) {
            // independent re-validation and re-costing of what the search returned
            assertEquals(model.evaluate(l.workload(), l.cost().mapping()).energyPj(), l.cost().energyPj(), 1e-6);
            assertEquals(LoopNestSimulator.simulate(l.workload(), h, l.cost().mapping()), l.cost().counts());
            assertTrue(l.cost().energyPj() > 0, "no layer is costed at zero: " + l.workload().name());
            assertTrue(l.cost().latencyCycles() > 0);
            energy += l.cost().energyPj();
        }
        assertEquals(energy, nm.totalEnergyPj(), 1e-6 * energy);
    }

    @Test
    void identicalShapesAreSearchedOnceAndKeepTheirNames() {
        NetworkMapping nm = NetworkMapper.map(smallNet(), tiny(), Objective.ENERGY, SearchOptions.defaults(),
                ProgressListener.NONE);
        LayerMapping c2 = nm.layers().get(2);
        LayerMapping c3 = nm.layers().get(3);
        assertEquals("c3", c3.workload().name());
        assertEquals("c3", c3.cost().layer());
        assertEquals(c2.cost().mapping(), c3.cost().mapping());
        assertEquals(0, c3.evaluated());
    }

    @Test
    void resultsDoNotDependOnThreadCountAndProgressIsReported() {
        List<ProgressListener.SearchProgress> seen = new ArrayList<>();
        NetworkMapping one = NetworkMapper.map(smallNet(), tiny(), Objective.EDP,
                SearchOptions.defaults().withThreads(1), seen::add);
        NetworkMapping two = NetworkMapper.map(smallNet(), tiny(), Objective.EDP,
                SearchOptions.defaults().withThreads(2), ProgressListener.NONE);
        for (int i = 0; i < one.layers().size(); i++) {
            assertEquals(one.layers().get(i).cost().mapping(), two.layers().get(i).cost().mapping());
        }
        assertTrue(seen.stream().anyMatch(p -> p.layerFraction() == 1.0), "each layer reports completion");
    }

    @Test
    void annealingNeverBeatsTheExhaustiveOptimumAndNearlyReachesIt() {
        Workload w = Workload.conv("c", 1, 4, 8, 4, 6, 3, 3, 1, 1, P);
        // two spatial candidates keep the test fast; exhaustive search is then the optimum over the same space
        SearchOptions base = SearchOptions.defaults().withSpatialCandidates(2);
        LayerMapping exact = NetworkMapper.mapLayer(w, tiny(), Objective.ENERGY,
                base.withStrategy(SearchOptions.Strategy.EXHAUSTIVE), ProgressListener.NONE);
        LayerMapping anneal = NetworkMapper.mapLayer(w, tiny(), Objective.ENERGY,
                base.withStrategy(SearchOptions.Strategy.ANNEALING), ProgressListener.NONE);
        assertEquals("exhaustive", exact.strategy());
        assertEquals("annealing", anneal.strategy());
        assertTrue(anneal.objectiveValue() >= exact.objectiveValue() * (1 - 1e-12));
        assertTrue(anneal.objectiveValue() <= exact.objectiveValue() * 1.10,
                "annealing within 10% of the optimum: " + anneal.objectiveValue() + " vs " + exact.objectiveValue());
    }

    @Test
    void badAcceleratorIsATypedErrorListingEveryViolation() {
        AcceleratorSpec bad = new AcceleratorSpec("Bad", 8, 32, 100e6,
                List.of(new ArrayAxis("rows", 4, EnumSet.noneOf(LoopDim.class))),
                List.of(new MemoryLevel("gbuf", 2048, false, 16, EnumSet.of(Operand.W), 1.0, 1.2),
                        new MemoryLevel("rf", 16, true, 0, EnumSet.of(Operand.W), 0.05, 0.05)));
        InvalidAcceleratorException e = assertThrows(InvalidAcceleratorException.class,
                () -> NetworkMapper.map(smallNet(), bad, Objective.EDP, SearchOptions.defaults(), ProgressListener.NONE));
        assertEquals(6, e.violations().size(), e.getMessage());
    }

    @Test
    void layerThatCannotFitIsATypedError() {
        AcceleratorSpec wide = new AcceleratorSpec("Wide", 8, 64, 100e6,
                List.of(new ArrayAxis("rows", 4, EnumSet.of(LoopDim.K))),
                List.of(new MemoryLevel("acc", 4, true, Double.POSITIVE_INFINITY, EnumSet.of(Operand.O), 0.05, 0.05),
                        new MemoryLevel("dram", MemoryLevel.UNBOUNDED, false, 4, EnumSet.allOf(Operand.class), 60, 60)));
        Workload w = Workload.dense("fc", 1, 4, 4, Workload.Precision.int8(64)); // one 8-byte psum > 4 B register
        assertThrows(NoValidMappingException.class, () -> NetworkMapper.mapLayer(w, wide, Objective.EDP,
                SearchOptions.defaults(), ProgressListener.NONE));
    }
}
