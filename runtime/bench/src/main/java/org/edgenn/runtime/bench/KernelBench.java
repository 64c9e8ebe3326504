package org.edgenn.runtime.bench;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.edgenn.onnx.export.Nchw;
import org.edgenn.runtime.kernels.Backend;
import org.edgenn.runtime.kernels.Conv2d;
import org.edgenn.runtime.kernels.Conv2dSpec;
import org.edgenn.runtime.kernels.KernelBackend;
import org.edgenn.runtime.kernels.LayerQuant;
import org.edgenn.onnx.proto.OnnxModels;
import org.edgenn.runtime.quant.ChannelScales;
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
import org.openjdk.jmh.annotations.TearDown;

/**
 * One full int8 layer per op (input → requantized int8 output), single thread:
 * {@code edgenn} = the backend chosen at class load (the native oneDNN family when runtime/native is on the class
 * path and loads, else the Vector API when run with {@code --add-modules jdk.incubator.vector}), including the
 * per-run input conversion/padding; {@code java} = the best pure-Java family (Vector API or scalar);
 * {@code scalar} = the scalar reference; {@code ort} = ONNX Runtime QLinearConv/QLinearMatMul,
 * u8 activations × s8 weights (its fast path), intra-op threads = 1, session.run per op.
 * Sample mode: every call is timed, so the report can use the median and the minimum, which
 * resist the noise of a shared machine better than the mean. GMAC/s = {@link Conv2dSpec#macs()} / time;
 * see {@link BenchReport}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class KernelBench {
    @Param({"GEMM_256", "CONV_1X1_64_56", "CONV_3X3_64_56", "DW_3X3_112_32", "DENSE_250_500"})
    public Shape shape;

    private Conv2d fast, pure, scalar;
    private byte[] in, out;
    private OrtEnvironment env;
    private OrtSession session;
    private OnnxTensor ortIn;
    private String ortInput;

    @Setup(Level.Trial)
    public void setup() throws OrtException {
        Conv2dSpec s = shape.spec;
        Random r = new Random(42);
        in = new byte[s.inputSize()];
        r.nextBytes(in);
        byte[] w = new byte[s.weightSize()];
        r.nextBytes(w);
        int[] bias = new int[s.k()];
        for (int i = 0; i < bias.length; i++) bias[i] = r.nextInt(2000) - 1000;
        float[] ws = new float[s.k()];
        for (int i = 0; i < ws.length; i++) ws[i] = 0.001f + r.nextFloat() * 0.01f;
        float sx = 0.02f, sy = 0.5f;
        LayerQuant q = LayerQuant.of(new QuantParams(sx, -3), ChannelScales.perChannel(ws), new QuantParams(sy, 5), RequantMode.DOUBLE_ROUNDING);
        fast = Conv2d.prepare(s, w, bias, q, KernelBackend.defaultBackend());
        pure = Conv2d.prepare(s, w, bias, q, KernelBackend.bestJavaBackend());
        scalar = Conv2d.prepare(s, w, bias, q, Backend.SCALAR);
        out = new byte[s.outputSize()];

        env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
        opts.setIntraOpNumThreads(1);
        opts.setInterOpNumThreads(1);
        opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        byte[] model;
        long[] inShape;
        if (shape.matmul) {
            int m = s.w(), k = s.c(), n = s.k();
            byte[] bKn = new byte[k * n];
            for (int i = 0; i < n; i++) for (int j = 0; j < k; j++) bKn[j * n + i] = w[i * k + j];
            ortInput = "a";
            inShape = new long[] {m, k};
            model = new OnnxModels.Graph("bench_matmul")
                    .input("a", OnnxModels.UINT8, m, k)
                    .floats("a_scale", new float[] {sx}).initializer("a_zp", OnnxModels.UINT8, new byte[] {(byte) 125})
                    .initializer("b", OnnxModels.INT8, bKn, k, n)
                    .floats("b_scale", new float[] {ws[0]}).initializer("b_zp", OnnxModels.INT8, new byte[1])
                    .floats("y_scale", new float[] {sy}).initializer("y_zp", OnnxModels.UINT8, new byte[] {(byte) 133})
                    .node("QLinearMatMul", new String[] {"a", "a_scale", "a_zp", "b", "b_scale", "b_zp", "y_scale", "y_zp"}, new String[] {"y"})
                    .output("y", OnnxModels.UINT8, m, n)
                    .toModelBytes();
        } else {
            int cg = s.inC();
            byte[] oihw = new byte[w.length];
            for (int o = 0; o < s.k(); o++) for (int i = 0; i < cg; i++) for (int y = 0; y < s.fy(); y++) for (int x = 0; x < s.fx(); x++)
                oihw[((o * cg + i) * s.fy() + y) * s.fx() + x] = w[((o * s.fy() + y) * s.fx() + x) * cg + i];
            ortInput = "x";
            inShape = new long[] {s.n(), s.c(), s.h(), s.w()};
            model = new OnnxModels.Graph("bench_conv")
                    .input("x", OnnxModels.UINT8, inShape)
                    .floats("x_scale", new float[] {sx}).initializer("x_zp", OnnxModels.UINT8, new byte[] {(byte) 125})
                    .initializer("w", OnnxModels.INT8, oihw, s.k(), cg, s.fy(), s.fx())
                    .floats("w_scale", ws, s.k()).initializer("w_zp", OnnxModels.INT8, new byte[s.k()], s.k())
                    .floats("y_scale", new float[] {sy}).initializer("y_zp", OnnxModels.UINT8, new byte[] {(byte) 133})
                    .ints("b", bias, s.k())
                    .node("QLinearConv", new String[] {"x", "x_scale", "x_zp", "w", "w_scale", "w_zp", "y_scale", "y_zp", "b"}, new String[] {"y"},
                            "kernel_shape", new long[] {s.fy(), s.fx()}, "strides", new long[] {s.strideY(), s.strideX()},
                            "pads", new long[] {s.padTop(), s.padLeft(), s.padBottom(), s.padRight()},
                            "dilations", new long[] {s.dilationY(), s.dilationX()}, "group", (long) s.groups())
                    .output("y", OnnxModels.UINT8, s.n(), s.k(), s.outH(), s.outW())
                    .toModelBytes();
        }
        session = env.createSession(model, opts);
        ByteBuffer buf = ByteBuffer.allocateDirect(in.length);
        buf.put(Nchw.toU8(in)).flip();
        ortIn = OnnxTensor.createTensor(env, buf, inShape, OnnxJavaType.UINT8);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws OrtException {
        ortIn.close();
        session.close();
    }

    @Benchmark
    public byte[] edgenn() {
        fast.run(in, out);
        return out;
    }

    @Benchmark
    public byte[] java() {
        pure.run(in, out);
        return out;
    }

    @Benchmark
    public byte[] scalar() {
        scalar.run(in, out);
        return out;
    }

    @Benchmark
    public Object ort() throws OrtException {
        try (OrtSession.Result r = session.run(Map.of(ortInput, ortIn))) {
            return r.get(0);
        }
    }
}
