package org.edgenn.generator.mapping.depthfirst;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.edgenn.generator.mapping.LayerMapping;
import org.edgenn.generator.mapping.NetworkScheduler;
import org.edgenn.generator.mapping.NoValidMappingException;
import org.edgenn.generator.mapping.Objective;
import org.edgenn.generator.mapping.ProgressListener;
import org.edgenn.generator.mapping.SearchOptions;
import org.edgenn.generator.mapping.schedule.FusedStack;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.accel.Operand;

/** What the depth-first tests give a stack's cost model: no resident operands, the quick one-thread tile-nest search. */
public final class StackSearches {
    private StackSearches() {
    }

    /** No operand resident for any of {@code passes} passes. */
    public static List<Set<Operand>> none(int passes) {
        List<Set<Operand>> out = new ArrayList<>();
        for (int i = 0; i < passes; i++) {
            out.add(Set.of());
        }
        return out;
    }

    /** Each tile nest searched as the network schedule searches a pass (quick, EDP, one thread); null when none fits. */
    public static StackCost.TileSearch search(AcceleratorSpec a) {
        NetworkScheduler.PassSearch pass = NetworkScheduler.cachedSearch(a, Objective.EDP,
                SearchOptions.quick().withThreads(1), ProgressListener.NONE);
        return (tile, spec, resident, index) -> {
            try {
                LayerMapping m = pass.search(tile, spec, resident, index, 1);
                return new FusedStack.TileMapping(0, 0, 1, tile, m.cost(), m.objectiveValue());
            } catch (NoValidMappingException e) {
                return null;
            }
        };
    }
}
