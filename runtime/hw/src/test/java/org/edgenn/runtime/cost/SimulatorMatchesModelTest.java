package org.edgenn.runtime.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.accel.ArrayAxis;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.ir.accel.MemoryLevel;
import org.edgenn.ir.accel.Operand;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The loop-nest simulator and the analytical model agree exactly on randomized small layers, accelerators
 * and mappings (random spatial unrollings incl. padded ones, random loop orders and splits, random cuts).
 */
class SimulatorMatchesModelTest {
    private static final LoopDim[] DIMS = LoopDim.values();

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void countsAreEqual(long seed) {
        Random r = new Random(seed);
        for (int trial = 0; trial < 40; trial++) {
            AcceleratorSpec spec = randomAccelerator(r);
            MemoryHierarchy h = MemoryHierarchy.of(spec);
            Workload w = randomWorkload(r);
            Mapping m = randomMapping(r, w, h);
            AccessCounts model = new CostModel(h, 0).evaluate(w, m).counts();
            AccessCounts sim = LoopNestSimulator.simulate(w, h, m);
            assertEquals(sim, model, () -> "seed " + seed + "\n" + w + "\n" + m + "\nsimulated:\n" + sim
                    + "model:\n" + model);
        }
    }

    static AcceleratorSpec randomAccelerator(Random r) {
        int axes = 1 + r.nextInt(2);
        List<ArrayAxis> ax = new ArrayList<>();
        for (int a = 0; a < axes; a++) {
            Set<LoopDim> u = EnumSet.noneOf(LoopDim.class);
            int n = 1 + r.nextInt(3);
            for (int i = 0; i < n; i++) {
                u.add(DIMS[r.nextInt(DIMS.length)]);
            }
            ax.add(new ArrayAxis("a" + a, 2 + r.nextInt(3), u));
        }
        List<MemoryLevel> mems = new ArrayList<>();
        for (Operand op : Operand.values()) {
            if (r.nextBoolean()) {
                mems.add(new MemoryLevel("rf" + op, 1 << 20, true, 1, EnumSet.of(op), 0.1, 0.2));
            }
        }
        if (r.nextBoolean()) {
            mems.add(new MemoryLevel("rfWIO", 1 << 20, true, 2, EnumSet.allOf(Operand.class), 0.3, 0.3));
        }
        for (int s = r.nextInt(3); s > 0; s--) {
            Set<Operand> holds = EnumSet.noneOf(Operand.class);
            for (Operand op : Operand.values()) {
                if (r.nextBoolean()) {
                    holds.add(op);
                }
            }
            if (holds.isEmpty()) {
                holds.add(Operand.I);
            }
            mems.add(new MemoryLevel("buf" + s, 1 << 30, false, 8, holds, 1.5, 2.0));
        }
        mems.add(new MemoryLevel("dram", MemoryLevel.UNBOUNDED, false, 4, EnumSet.allOf(Operand.class), 80, 90));
        return new AcceleratorSpec("rand", 8, 32, 1e8, ax, mems);
    }

    static Workload randomWorkload(Random r) {
        Workload.Precision p = Workload.Precision.int8(32);
        int stride = 1 + r.nextInt(2);
        return switch (r.nextInt(6)) {
            case 0 -> Workload.dense("fc", 1 + r.nextInt(2), 1 + r.nextInt(5), 1 + r.nextInt(5), p);
            case 1 -> Workload.depthwise("dw", 1, 1 + r.nextInt(4), 1 + r.nextInt(4), 1 + r.nextInt(3),
                    1 + r.nextInt(3), 1 + r.nextInt(3), stride, 0, p);
            case 2 -> Workload.pool("pool", 1, 1 + r.nextInt(3), 1 + r.nextInt(3), 1 + r.nextInt(3), 2, 2, 2, 0,
                    r.nextBoolean(), 8, 32);
            case 3 -> Workload.elementwise("add", 1, 1 + r.nextInt(4), 1 + r.nextInt(4), 1 + r.nextInt(3), 8);
            // strides and dilations up to 3 reach the general sliding-window case (steps 2 and 3 coprime)
            default -> Workload.conv("conv", 1 + r.nextInt(2), 1 + r.nextInt(2), 1 + r.nextInt(3),
                    1 + r.nextInt(3), 1 + r.nextInt(5), 1 + r.nextInt(3), 1 + r.nextInt(4), 1 + r.nextInt(2),
                    1 + r.nextInt(3), 1 + r.nextInt(2), 1 + r.nextInt(3), 1 + r.nextInt(2), 0, 0, p);
        };
    }

    static Mapping randomMapping(Random r, Workload w, MemoryHierarchy h) {
        List<ArrayAxis> axes = h.spec().axes();
        int[] spatial = new int[DIMS.length];
        java.util.Arrays.fill(spatial, 1);
        List<List<Loop>> per = new ArrayList<>();
        for (ArrayAxis a : axes) {
            List<Loop> onAxis = new ArrayList<>();
            List<LoopDim> allowed = new ArrayList<>(a.unrolls());
            Collections.sort(allowed);
            LoopDim d = allowed.get(r.nextInt(allowed.size()));
            int room = w.bound(d) / spatial[d.ordinal()];
            int f = Math.min(a.size(), room);
            if (f >= 2) {
                f = 2 + r.nextInt(f - 1); // any factor, divisor or not: padded factorizations included
                onAxis.add(new Loop(d, f));
                spatial[d.ordinal()] *= f;
            }
            per.add(onAxis);
        }
        List<Loop> temporal = new ArrayList<>();
        for (LoopDim d : DIMS) {
            int rest = (w.bound(d) + spatial[d.ordinal()] - 1) / spatial[d.ordinal()];
            List<Integer> primes = new ArrayList<>();
            for (int p = 2; rest > 1; ) {
                if (rest % p == 0) {
                    primes.add(p);
                    rest /= p;
                } else {
                    p++;
                }
            }
            Collections.shuffle(primes, r);
            int acc = 1;
            for (int i = 0; i < primes.size(); i++) {
                acc *= primes.get(i);
                if (i == primes.size() - 1 || r.nextBoolean()) {
                    temporal.add(new Loop(d, acc));
                    acc = 1;
                }
            }
        }
        Collections.shuffle(temporal, r);
        Map<Operand, int[]> cuts = new EnumMap<>(Operand.class);
        for (Operand op : w.operands()) {
            int[] c = new int[h.chainLength(op)];
            for (int j = 0; j < c.length; j++) {
                int lo = j == 0 ? 0 : c[j - 1];
                c[j] = j == c.length - 1 ? temporal.size() : lo + r.nextInt(temporal.size() - lo + 1);
            }
            cuts.put(op, c);
        }
        return new Mapping(new SpatialMapping(per), temporal, cuts);
    }
}
