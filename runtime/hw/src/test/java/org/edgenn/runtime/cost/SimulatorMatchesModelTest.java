package org.edgenn.runtime.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /**
     * Arrays of up to 4 axes with a level shared along a random subset of them (ZigZag's
     * {@code served_dimensions}), between the per-PE and the fully shared levels; unrollings that split a
     * window dimension across such a level's shared and other axes are invalid and redrawn.
     */
    @ParameterizedTest
    @ValueSource(longs = {101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112})
    void countsAreEqualWithLevelsSharedAlongSomeAxes(long seed) {
        Random r = new Random(seed);
        int partial = 0;
        for (int trial = 0; trial < 30; trial++) {
            AcceleratorSpec spec = randomAccelerator(r, 4, true);
            MemoryHierarchy h = MemoryHierarchy.of(spec);
            Workload w = randomWorkload(r);
            Mapping m = randomMapping(r, w, h);
            for (int redraw = 0; redraw < 20 && !MappingValidator.violations(w, h, m).isEmpty(); redraw++) {
                m = randomMapping(r, w, h);
            }
            if (!MappingValidator.violations(w, h, m).isEmpty()) {
                continue;
            }
            partial += spec.memories().stream().anyMatch(l -> !l.sharedAlong().isEmpty()) ? 1 : 0;
            Mapping mapping = m;
            AccessCounts model = new CostModel(h, 0).evaluate(w, mapping).counts();
            AccessCounts sim = LoopNestSimulator.simulate(w, h, mapping);
            assertEquals(sim, model, () -> "seed " + seed + "\n" + spec + "\n" + w + "\n" + mapping
                    + "\nsimulated:\n" + sim + "model:\n" + model);
        }
        assertTrue(partial >= 5, "too few accelerators with a partially shared level: " + partial);
    }

    static AcceleratorSpec randomAccelerator(Random r) {
        return randomAccelerator(r, 2, false);
    }

    static AcceleratorSpec randomAccelerator(Random r, int maxAxes, boolean partial) {
        int axes = 1 + r.nextInt(maxAxes);
        List<ArrayAxis> ax = new ArrayList<>();
        for (int a = 0; a < axes; a++) {
            Set<LoopDim> u = EnumSet.noneOf(LoopDim.class);
            int n = 1 + r.nextInt(3);
            for (int i = 0; i < n; i++) {
                u.add(DIMS[r.nextInt(DIMS.length)]);
            }
            ax.add(new ArrayAxis("a" + a, 2 + r.nextInt(partial ? 2 : 3), u));
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
        if (partial && axes > 1 && r.nextInt(4) > 0) {
            Set<String> along = new java.util.TreeSet<>();
            for (int a = 0; a < axes; a++) {
                if (r.nextBoolean()) {
                    along.add("a" + a);
                }
            }
            if (along.isEmpty() || along.size() == axes) {
                along = Set.of("a" + r.nextInt(axes));
            }
            Set<Operand> holds = EnumSet.noneOf(Operand.class);
            for (Operand op : Operand.values()) {
                if (r.nextBoolean()) {
                    holds.add(op);
                }
            }
            if (holds.isEmpty()) {
                holds.add(Operand.values()[r.nextInt(3)]);
            }
            mems.add(new MemoryLevel("part", 1 << 20, false, 3, holds, 0.5, 0.6, along,
                    r.nextBoolean() ? Double.NaN : 2));
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
