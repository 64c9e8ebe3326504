package org.edgenn.runtime.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.edgenn.runtime.kernels.Add;
import org.edgenn.runtime.kernels.Backend;
import org.edgenn.runtime.kernels.KernelBackend;
import org.edgenn.runtime.kernels.SoftThreshold;
import org.edgenn.runtime.quant.QuantParams;
import org.edgenn.runtime.quant.RequantMode;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The element-wise int8 ops of the unrolled sparse-coding networks, per call: a requantizing add
 * (double rounding) and a soft threshold, at LISTA's size (500 values, one threshold channel) and the
 * CSC denoiser's (64×64 pixels × 64 channels, a threshold per channel); {@code edgenn} is the backend
 * chosen at class load, {@code scalar} the reference. Run with {@code --add-modules jdk.incubator.vector}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ElementwiseBench {
    /** values:channels. */
    @Param({"500:1", "262144:64"})
    public String size;

    private Add add, addScalar;
    private SoftThreshold shrink, shrinkScalar;
    private byte[] a, b, out;

    @Setup(Level.Trial)
    public void setup() {
        String[] p = size.split(":");
        int n = Integer.parseInt(p[0]), c = Integer.parseInt(p[1]);
        Random r = new Random(42);
        a = new byte[n];
        b = new byte[n];
        out = new byte[n];
        r.nextBytes(a);
        r.nextBytes(b);
        QuantParams qa = new QuantParams(0.05f, 3), qb = new QuantParams(0.07f, -5), qo = new QuantParams(0.1f, 1);
        add = Add.prepare(qa, qb, qo, RequantMode.DOUBLE_ROUNDING, -128, 127, KernelBackend.defaultBackend());
        addScalar = Add.prepare(qa, qb, qo, RequantMode.DOUBLE_ROUNDING, -128, 127, Backend.SCALAR);
        byte[] th = new byte[c];
        for (int i = 0; i < c; i++) th[i] = (byte) r.nextInt(20);
        shrink = SoftThreshold.prepare(th, 3, KernelBackend.defaultBackend());
        shrinkScalar = SoftThreshold.prepare(th, 3, Backend.SCALAR);
    }

    @Benchmark
    public byte[] addEdgenn() {
        add.run(a, b, out);
        return out;
    }

    @Benchmark
    public byte[] addScalar() {
        addScalar.run(a, b, out);
        return out;
    }

    @Benchmark
    public byte[] shrinkEdgenn() {
        shrink.run(a, out);
        return out;
    }

    @Benchmark
    public byte[] shrinkScalar() {
        shrinkScalar.run(a, out);
        return out;
    }
}
