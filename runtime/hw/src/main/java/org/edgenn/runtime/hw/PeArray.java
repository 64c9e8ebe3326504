package org.edgenn.runtime.hw;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.edgenn.ir.accel.ArrayAxis;
import org.edgenn.ir.accel.MemoryLevel;
import org.edgenn.runtime.cost.Mapping;

/** The PE array of a mapping's spatial unrolling: which instance of a memory level serves each PE. */
final class PeArray {
    private PeArray() {
    }

    /**
     * The instances of {@code memory}: PEs grouped by their spatial indices on the axes the memory is not shared along
     * (one instance per group). Fills {@code instanceOf[p]} with PE p's instance and returns each instance's PEs.
     */
    static int[][] instances(List<ArrayAxis> axes, MemoryLevel memory, Mapping m, List<int[]> spatialIdx, int[] instanceOf) {
        Map<List<Integer>, Integer> ids = new HashMap<>();
        List<List<Integer>> groups = new ArrayList<>();
        for (int p = 0; p < instanceOf.length; p++) {
            List<Integer> key = new ArrayList<>();
            int i = 0;
            for (int a = 0; a < m.spatial().perAxis().size(); a++) {
                for (int k = 0; k < m.spatial().perAxis().get(a).size(); k++, i++) {
                    key.add(memory.sharesAlong(axes.get(a).name()) ? -1 : spatialIdx.get(p)[i]);
                }
            }
            Integer id = ids.get(key);
            if (id == null) {
                id = groups.size();
                ids.put(key, id);
                groups.add(new ArrayList<>());
            }
            groups.get(id).add(p);
            instanceOf[p] = id;
        }
        return groups.stream().map(g -> g.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
    }
}
