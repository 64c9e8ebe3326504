package org.edgenn.generator.bench;

import ai.onnxruntime.OrtException;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.edgenn.runtime.kernels.KernelBackend;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * End-to-end single-thread latency of one int8 inference (batch 1) of each example network: the generated
 * {@code <Network>Int8} class on runtime-core's kernels ({@link #edgenn}) against the same int8 network in ONNX
 * Runtime Java with one intra-op thread and all graph optimizations ({@link #ort}), in the same fork. Both sides
 * get a prepared input; EdgeNN writes into its output array, ONNX Runtime's time includes its Java binding
 * (session call and the output buffer it hands over), which is what a Java user of it pays. Run:
 * {@code java --add-modules jdk.incubator.vector -cp <bench classpath> org.openjdk.jmh.Main EndToEndBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class EndToEndBench {
    /** {@code file:Network} of examples/src/main/edgenn. */
    @Param({"lista/lista.edgenn:Lista", "denoise/csc_denoiser.edgenn:CscDenoiser", "denoise/unrolled_gradient.edgenn:UnrolledGradient",
            "fmnist/fashion_cnn.edgenn:FashionCnn", "fmnist/fashion_cnn.edgenn:FashionTiny"})
    public String network;

    private ExampleInt8 example;

    @Setup(Level.Trial)
    public void load() throws Exception {
        String[] p = network.split(":");
        example = ExampleInt8.load(p[0], p[1], KernelBackend.defaultBackend(), Files.createTempDirectory("edgenn-e2e"));
    }

    @TearDown(Level.Trial)
    public void close() throws OrtException {
        example.close();
    }

    @Benchmark
    public byte[] edgenn() {
        return example.runEdgeNN();
    }

    @Benchmark
    public java.nio.ByteBuffer ort() throws OrtException {
        return example.runOrtRaw();
    }
}
