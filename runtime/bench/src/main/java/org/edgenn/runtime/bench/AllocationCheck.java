package org.edgenn.runtime.bench;

import java.lang.management.ManagementFactory;
import java.util.Random;
import org.edgenn.runtime.kernels.Backend;
import org.edgenn.runtime.kernels.Conv2d;
import org.edgenn.runtime.kernels.Conv2dSpec;
import org.edgenn.runtime.kernels.KernelBackend;
import org.edgenn.runtime.kernels.LayerQuant;
import org.edgenn.runtime.quant.ChannelScales;
import org.edgenn.runtime.quant.QuantParams;
import org.edgenn.runtime.quant.RequantMode;

/**
 * Measures heap allocation of {@code Conv2d.run} in steady state: after a time-based warm-up
 * (seconds, first argument, default 6), the bytes allocated by this thread over 20 calls (repeated until a round allocates nothing, at most 60 s), per
 * backend, requantization mode and layer kind (3×3 conv, dense, depthwise). Not a test: JIT
 * timing makes it machine-dependent; {@code -Dedgenn.winograd=false} checks the direct kernel instead of Winograd F(4×4,3×3) for the 3×3 conv. Usage:
 * {@code java --add-modules jdk.incubator.vector -cp runtime/bench/target/benchmarks.jar org.edgenn.runtime.bench.AllocationCheck 6}
 */
public final class AllocationCheck {
    public static void main(String[] args) {
        double warmSeconds = args.length > 0 ? Double.parseDouble(args[0]) : 6;
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        // KernelBench's 3x3 conv runs on Winograd F(4x4,3x3) unless it is switched off (-Dedgenn.winograd=false)
        Conv2dSpec[] specs = {Shape.CONV_3X3_64_56.spec, Shape.DENSE_250_500.spec,
                Conv2dSpec.of(1, 28, 28, 32, 32, 3, 3).withPadding(1).withGroups(32)};
        for (Backend be : Backend.values()) {
            if (!KernelBackend.isAvailable(be)) continue;
            for (RequantMode mode : RequantMode.values()) {
                for (Conv2dSpec s : specs) {
                    Random r = new Random(1);
                    byte[] in = new byte[s.inputSize()], w = new byte[s.weightSize()], out = new byte[s.outputSize()];
                    r.nextBytes(in);
                    r.nextBytes(w);
                    Conv2d c = Conv2d.prepare(s, w, null, LayerQuant.of(new QuantParams(0.02f, -3),
                            ChannelScales.perTensor(0.01f, s.k()), new QuantParams(0.5f, 5), mode), be);
                    long end = System.nanoTime() + (long) (warmSeconds * 1e9);
                    while (System.nanoTime() < end) c.run(in, out);
                    // then rounds of 20 calls until one allocates nothing (C2 may still be compiling), for at most 60 s
                    long tid = Thread.currentThread().getId(), bytes, deadline = System.nanoTime() + 60_000_000_000L;
                    int rounds = 0;
                    do {
                        long b0 = mx.getThreadAllocatedBytes(tid);
                        for (int i = 0; i < 20; i++) c.run(in, out);
                        bytes = mx.getThreadAllocatedBytes(tid) - b0;
                        rounds++;
                    } while (bytes != 0 && System.nanoTime() < deadline);
                    System.out.printf("%-6s %-15s K=%-3d groups=%-2d FY=%d %s: %d bytes in 20 calls (round %d)%n", be, mode, s.k(),
                            s.groups(), s.fy(), c.implementation(), bytes, rounds);
                }
            }
        }
    }
}
