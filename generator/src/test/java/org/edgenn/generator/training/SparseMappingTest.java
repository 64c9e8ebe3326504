package org.edgenn.generator.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.edgenn.generator.inference.InferencePlanner;
import org.edgenn.generator.mapping.IrWorkloads;
import org.edgenn.generator.mapping.LayerMapping;
import org.edgenn.generator.mapping.NetworkMapper;
import org.edgenn.generator.mapping.NetworkMapping;
import org.edgenn.generator.mapping.Objective;
import org.edgenn.generator.mapping.ProgressListener;
import org.edgenn.generator.mapping.SearchOptions;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.ir.accel.Operand;
import org.edgenn.ir.graph.LayerStats;
import org.edgenn.ir.graph.MemoryFootprint;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Program;
import org.edgenn.runtime.cost.LoopNestSimulator;
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.edgenn.runtime.cost.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pruning changes cost, end to end from the text: a 2:4 layer on a zero-skipping N:M unit is mapped with its weight
 * bytes at params x bits/8 x density plus the unit's index bits, which the hardware model (the loop-nest simulator
 * walking the chosen mapping over actual 2:4 weights) confirms at every memory level; dense hardware is charged dense;
 * structured pruning shrinks the layers the counts, the mapper and the inference planner see.
 */
class SparseMappingTest {
    private static final String ACCELERATORS = """
            accelerator Nm {
              mac int8 accumulator int32
              clock 400 MHz
              axis rows 8 unrolls K
              axis cols 8 unrolls C
              memory rf size 64 B per pe holds W, I, O read 0.03 pJ/B write 0.03 pJ/B
              memory gbuf size 128 KiB bandwidth 64 B/cycle holds W, I, O read 1.5 pJ/B write 1.8 pJ/B
              memory dram bandwidth 4 B/cycle holds W, I, O read 80 pJ/B write 80 pJ/B
              sparse weights skip nm 2:4
            }
            accelerator Dense {
              mac int8 accumulator int32
              clock 400 MHz
              axis rows 8 unrolls K
              axis cols 8 unrolls C
              memory rf size 64 B per pe holds W, I, O read 0.03 pJ/B write 0.03 pJ/B
              memory gbuf size 128 KiB bandwidth 64 B/cycle holds W, I, O read 1.5 pJ/B write 1.8 pJ/B
              memory dram bandwidth 4 B/cycle holds W, I, O read 80 pJ/B write 80 pJ/B
            }
            """;

    private static final String SPARSE = ACCELERATORS + """
            network Sparse {
              input x: f32[64]
              layer fc = dense(64 -> 32, bias=false)
              let y = fc(x)
              output y
              compress {
                weights int8 per-channel
                activations int8
                prune 2:4 on fc
              }
            }
            """;

    private static final String CHANNELS = """
            network Cnn {
              input img: f32[1, 28, 28]
              layer conv1 = conv2d(1 -> 32, kernel=3, padding=1)
              layer conv2 = conv2d(32 -> 64, kernel=3, padding=1)
              layer fc = dense(3136 -> 128)
              layer head = dense(128 -> 10)
              let c1 = relu(conv1(img))
              let p1 = maxpool(c1, kernel=2)
              let c2 = relu(conv2(p1))
              let p2 = maxpool(c2, kernel=2)
              let h = relu(fc(flatten(p2)))
              let y = head(h)
              output y
              compress {
                weights int8 per-channel
                activations int8
                prune %s
              }
            }
            """;

    @TempDir
    Path dir;

    private static LayerMapping mapOnly(Network net, AcceleratorSpec acc) {
        NetworkMapping m = NetworkMapper.map(IrWorkloads.of(net, acc), acc, Objective.EDP, SearchOptions.quick(), ProgressListener.NONE);
        return m.layers().get(0);
    }

    @Test
    void twoOfFourWeightBytesOnAZeroSkippingUnitAreParamsTimesBitsTimesDensityPlusIndex() {
        Program p = Lowered.text(dir, "sparse.edgenn", SPARSE);
        Network net = p.network("Sparse").orElseThrow();
        AcceleratorSpec nm = p.accelerator("Nm").orElseThrow();
        AcceleratorSpec dense = p.accelerator("Dense").orElseThrow();
        long params = 64 * 32;
        assertEquals(params, LayerStats.totalParams(LayerStats.of(net)));
        assertEquals(params / 2, LayerStats.totalNonZeroParams(LayerStats.of(net)));

        LayerMapping l = mapOnly(net, nm);
        Workload w = l.workload();
        MemoryHierarchy h = MemoryHierarchy.of(nm);
        int dram = h.levelCount() - 1;
        assertEquals(params, l.cost().counts().reads(dram, Operand.W), "every weight fetched once from DRAM");
        // params x 8/8 x 1/2 (the kept values) + params x 1/2 x log2(4) bits / 8 (their indices)
        double expected = params * 8 / 8.0 * 0.5 + params * 0.5 * 2 / 8.0;
        assertEquals(1280.0, expected);
        assertEquals(expected, l.cost().counts().readBytes(dram, Operand.W, w), 1e-9);

        // the hardware model: the simulator walks the mapper's mapping over actual 2:4 weights, tile by tile
        Random r = new Random(7);
        boolean[][] keep = new boolean[32][64];
        for (int k = 0; k < 32; k++) {
            for (int c0 = 0; c0 < 64; c0 += 4) {
                int a = r.nextInt(4);
                int b = (a + 1 + r.nextInt(3)) % 4;
                keep[k][c0 + a] = true;
                keep[k][c0 + b] = true;
            }
        }
        double[] bits = LoopNestSimulator.weightReadBits(w, h, l.cost().mapping(), (g, k, c, fy, fx) -> keep[k][c], nm.sparse());
        assertEquals(expected, bits[dram] / 8, 1e-9);
        for (int level = 0; level < h.levelCount(); level++) {
            assertEquals(bits[level] / 8, l.cost().counts().readBytes(level, Operand.W, w), 1e-9, "level " + level);
        }
        assertEquals(params / 2, l.cost().effectiveMacs());

        // dense hardware: every weight position at 8 bits, every MAC
        LayerMapping d = mapOnly(net, dense);
        assertEquals(params * 1.0, d.cost().counts().readBytes(dram, Operand.W, d.workload())
                / d.cost().counts().reads(dram, Operand.W) * params, 1e-9);
        assertEquals(params, d.cost().effectiveMacs());
    }

    @Test
    void structuredPruningShrinksCountsMappingAndTheInferencePlan() {
        Program full = Lowered.text(dir, "dense.edgenn", String.format(CHANNELS, "1% unstructured"));
        Program half = Lowered.text(dir, "half.edgenn", String.format(CHANNELS, "50% channels on conv1, conv2, fc"));
        Network net = half.network("Cnn").orElseThrow();
        // by hand: conv1 1 -> 16 on 28x28, conv2 16 -> 32 on 14x14 (both 3x3), fc 32*7*7 -> 64, head 64 -> 10
        long macs = 28 * 28 * 16 * 9L + 14 * 14 * 32 * 16 * 9L + 32 * 49 * 64L + 64 * 10L;
        long params = (16 * 9 + 16) + (32 * 16 * 9 + 32) + (32 * 49 * 64 + 64) + (64 * 10 + 10);
        assertEquals(macs, LayerStats.totalMacs(LayerStats.of(net)));
        assertEquals(params, LayerStats.totalParams(LayerStats.of(net)));
        long denseMacs = LayerStats.totalMacs(LayerStats.of(full.network("Cnn").orElseThrow()));
        assertEquals(28 * 28 * 32 * 9L + 14 * 14 * 64 * 32 * 9L + 3136 * 128L + 1280L, denseMacs);

        AcceleratorSpec acc = Lowered.text(dir, "acc.edgenn", ACCELERATORS).accelerator("Dense").orElseThrow();
        List<Workload> ws = IrWorkloads.of(net, acc);
        Workload conv2 = ws.stream().filter(x -> x.name().equals("conv2")).findFirst().orElseThrow();
        assertEquals(32, conv2.bound(LoopDim.K));
        assertEquals(16, conv2.bound(LoopDim.C));
        Workload fc = ws.stream().filter(x -> x.name().equals("fc")).findFirst().orElseThrow();
        assertEquals(64, fc.bound(LoopDim.K));
        assertEquals(32 * 49, fc.bound(LoopDim.C));
        assertEquals(macs, ws.stream().filter(x -> x.kind().hasWeights()).mapToLong(Workload::macs).sum());

        var plan = InferencePlanner.plan(net);
        String code = org.edgenn.generator.inference.InferenceGenerator.generate(plan).source();
        // buffers of the compact layers: conv2 [32, 14, 14], p2 [32, 7, 7] flattened into fc's 1568 inputs
        assertTrue(code.contains("conv2 = new byte[batch * 6272]"), code);
        assertTrue(code.contains("p2 = new byte[batch * 1568]"), code);

        // memory: int8 weights, int32 biases, peak of live int8 activations: relu c1 reads conv1's [16,28,28] and
        // writes its own (every op its own buffer), by hand
        MemoryFootprint mem = MemoryFootprint.of(net);
        long weightBytes = (16 * 9) + (32 * 16 * 9) + (32 * 49 * 64) + 64 * 10 + 4L * (16 + 32 + 64 + 10);
        assertEquals(weightBytes, mem.weightBytes());
        assertEquals(2 * 16 * 28 * 28, mem.activationBytes());
        assertEquals("c1", mem.peakNode());
    }
}
