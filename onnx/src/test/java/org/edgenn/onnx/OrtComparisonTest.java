package org.edgenn.onnx;

import static org.edgenn.runtime.testutil.Mismatch.assertSame;
import static org.edgenn.runtime.testutil.Mismatch.randomBytes;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.util.Map;
import java.util.Random;
import org.edgenn.onnx.export.Nchw;
import org.edgenn.onnx.proto.OnnxModels;
import org.edgenn.runtime.kernels.Conv2d;
import org.edgenn.runtime.kernels.Conv2dSpec;
import org.edgenn.runtime.kernels.Dense;
import org.edgenn.runtime.kernels.KernelBackend;
import org.edgenn.runtime.kernels.LayerQuant;
import org.edgenn.runtime.quant.ChannelScales;
import org.edgenn.runtime.quant.QuantParams;
import org.edgenn.runtime.quant.RequantMode;
import org.edgenn.runtime.tensor.Layouts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * External check against ONNX Runtime (CPU, one thread): int32 accumulators equal ConvInteger /
 * MatMulInteger bit for bit; requantized outputs in {@link RequantMode#FLOAT_SCALE} equal
 * QLinearConv / QLinearMatMul bit for bit. Our kernels take s8 activations; ORT's fast path is
 * u8 activations, so activations are mapped by the zero-point shift x_u8 = x_s8 + 128,
 * zp_u8 = zp_s8 + 128, which leaves every (x − zp) and therefore every result unchanged.
 * ConvInteger's weights also go as u8 with zero point 128 (its CPU kernel takes u8 weights).
 */
class OrtComparisonTest {
    static OrtEnvironment env;
    static OrtSession.SessionOptions opts;

    @BeforeAll
    static void init() throws OrtException {
        env = OrtEnvironment.getEnvironment();
        opts = new OrtSession.SessionOptions();
        opts.setIntraOpNumThreads(1);
        opts.setInterOpNumThreads(1);
    }

    @AfterAll
    static void close() throws OrtException {
        opts.close();
    }

    static Conv2dSpec randomSpec(Random r) {
        while (true) {
            int groups = r.nextInt(3) == 0 ? 1 + r.nextInt(3) : 1;
            boolean dw = r.nextInt(4) == 0;
            int cg = dw ? 1 : 1 + r.nextInt(24), kg = dw ? 1 : 1 + r.nextInt(40);
            if (dw) groups = 2 + r.nextInt(20);
            try {
                return new Conv2dSpec(1 + r.nextInt(2), 1 + r.nextInt(10), 1 + r.nextInt(10), groups * cg, groups * kg,
                        1 + r.nextInt(4), 1 + r.nextInt(4), 1 + r.nextInt(2), 1 + r.nextInt(2),
                        r.nextInt(2), r.nextInt(2), r.nextInt(2), r.nextInt(2), 1 + r.nextInt(2), 1 + r.nextInt(2), groups);
            } catch (IllegalArgumentException e) {
                // draw again
            }
        }
    }

    record Out(byte[] bytes, int[] ints) {}

    /** Guards against a vacuous comparison: the scales must leave the outputs spread, not saturated. */
    static void assertSpread(byte[] v) {
        long distinct = java.util.stream.IntStream.range(0, v.length).map(i -> v[i]).distinct().count();
        org.junit.jupiter.api.Assertions.assertTrue(distinct >= Math.min(8, v.length / 4), "outputs too uniform: " + distinct + " distinct values");
    }

    static byte[] scalarU8(int v) {
        return new byte[] {(byte) v};
    }

    static Object[] convAttrs(Conv2dSpec s) {
        return new Object[] {"kernel_shape", new long[] {s.fy(), s.fx()}, "strides", new long[] {s.strideY(), s.strideX()},
                "pads", new long[] {s.padTop(), s.padLeft(), s.padBottom(), s.padRight()},
                "dilations", new long[] {s.dilationY(), s.dilationX()}, "group", (long) s.groups()};
    }

    static long[] nchw(Conv2dSpec s) {
        return new long[] {s.n(), s.c(), s.h(), s.w()};
    }

    static byte[] weightsOihw(Conv2dSpec s, byte[] ohwi) {
        byte[] out = new byte[ohwi.length];
        int cg = s.inC();
        for (int o = 0; o < s.k(); o++) for (int i = 0; i < cg; i++) for (int y = 0; y < s.fy(); y++) for (int x = 0; x < s.fx(); x++)
            out[((o * cg + i) * s.fy() + y) * s.fx() + x] = ohwi[((o * s.fy() + y) * s.fx() + x) * cg + i];
        return out;
    }

    static Out run(byte[] model, String input, byte[] data, long[] shape) throws OrtException {
        try (OrtSession session = env.createSession(model, opts);
             OnnxTensor x = OnnxTensor.createTensor(env, ByteBuffer.wrap(data), shape, OnnxJavaType.UINT8);
             OrtSession.Result res = session.run(Map.of(input, x))) {
            OnnxTensor y = (OnnxTensor) res.get(0);
            return y.getInfo().type == OnnxJavaType.INT32 ? new Out(null, toArray(y.getIntBuffer())) : new Out(toArray(y.getByteBuffer()), null);
        }
    }

    static byte[] toArray(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }

    static int[] toArray(IntBuffer b) {
        int[] a = new int[b.remaining()];
        b.get(a);
        return a;
    }

    static int[] nhwcToNchw(int[] v, int n, int h, int w, int c) {
        int[] out = new int[v.length];
        for (int b = 0; b < n; b++) for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) for (int ch = 0; ch < c; ch++)
            out[((b * c + ch) * h + y) * w + x] = v[((b * h + y) * w + x) * c + ch];
        return out;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11})
    void convIntegerAccumulatorsAreIdentical(int seed) throws OrtException {
        Random r = new Random(1000 + seed);
        Conv2dSpec s = randomSpec(r);
        byte[] x = randomBytes(r, s.inputSize()), w = randomBytes(r, s.weightSize());
        int zx = r.nextInt(256) - 128;
        LayerQuant q = LayerQuant.of(new QuantParams(0.1f, zx), ChannelScales.perTensor(0.1f, s.k()), new QuantParams(1f, 0), RequantMode.DOUBLE_ROUNDING);
        int[] acc = new int[s.outputSize()];
        Conv2d.prepare(s, w, null, q, KernelBackend.defaultBackend()).accumulate(x, acc);

        byte[] model = new OnnxModels.Graph("conv_integer")
                .input("x", OnnxModels.UINT8, nchw(s))
                .initializer("w", OnnxModels.UINT8, Nchw.toU8(weightsOihw(s, w)), s.k(), s.inC(), s.fy(), s.fx())
                .initializer("x_zp", OnnxModels.UINT8, scalarU8(zx + 128))
                .initializer("w_zp", OnnxModels.UINT8, scalarU8(128))
                .node("ConvInteger", new String[] {"x", "w", "x_zp", "w_zp"}, new String[] {"y"}, convAttrs(s))
                .output("y", OnnxModels.INT32, s.n(), s.k(), s.outH(), s.outW())
                .toModelBytes();
        byte[] xNchw = new byte[x.length];
        Layouts.nhwcToNchw(x, xNchw, s.n(), s.h(), s.w(), s.c());
        int[] ort = run(model, "x", Nchw.toU8(xNchw), nchw(s)).ints();
        assertSame("ConvInteger " + s, ort, nhwcToNchw(acc, s.n(), s.outH(), s.outW(), s.k()));
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7})
    void matMulIntegerAccumulatorsAreIdentical(int seed) throws OrtException {
        Random r = new Random(2000 + seed);
        int m = 1 + r.nextInt(40), k = 1 + r.nextInt(300), n = 1 + r.nextInt(200);
        byte[] a = randomBytes(r, m * k), wNk = randomBytes(r, n * k);
        int za = r.nextInt(256) - 128;
        int[] acc = new int[m * n];
        Dense.prepare(m, k, n, wNk, null, LayerQuant.of(new QuantParams(0.1f, za), ChannelScales.perTensor(0.1f, n), new QuantParams(1f, 0), RequantMode.DOUBLE_ROUNDING))
                .accumulate(a, acc);
        byte[] bKn = transpose(wNk, n, k);
        byte[] model = new OnnxModels.Graph("matmul_integer")
                .input("a", OnnxModels.UINT8, m, k)
                .initializer("b", OnnxModels.INT8, bKn, k, n)
                .initializer("a_zp", OnnxModels.UINT8, scalarU8(za + 128))
                .node("MatMulInteger", new String[] {"a", "b", "a_zp"}, new String[] {"y"})
                .output("y", OnnxModels.INT32, m, n)
                .toModelBytes();
        assertSame("MatMulInteger " + m + "x" + k + "x" + n, run(model, "a", Nchw.toU8(a), new long[] {m, k}).ints(), acc);
    }

    static byte[] transpose(byte[] rowsCols, int rows, int cols) {
        byte[] t = new byte[rowsCols.length];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) t[j * rows + i] = rowsCols[i * cols + j];
        return t;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
    void qlinearConvEqualsFloatScaleMode(int seed) throws OrtException {
        Random r = new Random(3000 + seed);
        Conv2dSpec s = randomSpec(r);
        byte[] x = randomBytes(r, s.inputSize()), w = randomBytes(r, s.weightSize());
        int zx = r.nextInt(256) - 128, zy = r.nextInt(256) - 128;
        float sx = 0.01f + r.nextFloat() * 0.05f;
        float[] ws = new float[s.k()];
        for (int i = 0; i < ws.length; i++) ws[i] = 0.001f + r.nextFloat() * 0.02f;
        float sy = (float) (sx * 0.01 * Math.sqrt(s.fy() * s.fx() * s.inC()) * 40 * (0.3 + r.nextFloat()));
        int[] bias = new int[s.k()];
        for (int i = 0; i < bias.length; i++) bias[i] = r.nextInt(20000) - 10000;
        LayerQuant q = LayerQuant.of(new QuantParams(sx, zx), ChannelScales.perChannel(ws), new QuantParams(sy, zy), RequantMode.FLOAT_SCALE);
        byte[] out = new byte[s.outputSize()];
        Conv2d.prepare(s, w, bias, q, KernelBackend.defaultBackend()).run(x, out);

        byte[] model = new OnnxModels.Graph("qlinear_conv")
                .input("x", OnnxModels.UINT8, nchw(s))
                .floats("x_scale", new float[] {sx})
                .initializer("x_zp", OnnxModels.UINT8, scalarU8(zx + 128))
                .initializer("w", OnnxModels.INT8, weightsOihw(s, w), s.k(), s.inC(), s.fy(), s.fx())
                .floats("w_scale", ws, s.k())
                .initializer("w_zp", OnnxModels.INT8, new byte[s.k()], s.k())
                .floats("y_scale", new float[] {sy})
                .initializer("y_zp", OnnxModels.UINT8, scalarU8(zy + 128))
                .ints("b", bias, s.k())
                .node("QLinearConv", new String[] {"x", "x_scale", "x_zp", "w", "w_scale", "w_zp", "y_scale", "y_zp", "b"},
                        new String[] {"y"}, convAttrs(s))
                .output("y", OnnxModels.UINT8, s.n(), s.k(), s.outH(), s.outW())
                .toModelBytes();
        byte[] xNchw = new byte[x.length];
        Layouts.nhwcToNchw(x, xNchw, s.n(), s.h(), s.w(), s.c());
        byte[] ort = Nchw.toS8(run(model, "x", Nchw.toU8(xNchw), nchw(s)).bytes());
        byte[] ours = new byte[out.length];
        Layouts.nhwcToNchw(out, ours, s.n(), s.outH(), s.outW(), s.k());
        assertSame("QLinearConv " + s, ort, ours);
        assertSpread(ours);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7})
    void qlinearMatMulEqualsFloatScaleMode(int seed) throws OrtException {
        Random r = new Random(4000 + seed);
        int m = 1 + r.nextInt(40), k = 1 + r.nextInt(300), n = 1 + r.nextInt(200);
        byte[] a = randomBytes(r, m * k), wNk = randomBytes(r, n * k);
        int za = r.nextInt(256) - 128, zy = r.nextInt(256) - 128;
        float sa = 0.01f + r.nextFloat() * 0.05f, sb = 0.001f + r.nextFloat() * 0.02f;
        float sy = (float) (sa * sb * Math.sqrt(k) * 40 * 4 * (0.3 + r.nextFloat()));
        byte[] out = new byte[m * n];
        Dense.prepare(m, k, n, wNk, null, LayerQuant.of(new QuantParams(sa, za), ChannelScales.perTensor(sb, n), new QuantParams(sy, zy), RequantMode.FLOAT_SCALE))
                .run(a, out);
        byte[] model = new OnnxModels.Graph("qlinear_matmul")
                .input("a", OnnxModels.UINT8, m, k)
                .floats("a_scale", new float[] {sa})
                .initializer("a_zp", OnnxModels.UINT8, scalarU8(za + 128))
                .initializer("b", OnnxModels.INT8, transpose(wNk, n, k), k, n)
                .floats("b_scale", new float[] {sb})
                .initializer("b_zp", OnnxModels.INT8, new byte[1])
                .floats("y_scale", new float[] {sy})
                .initializer("y_zp", OnnxModels.UINT8, scalarU8(zy + 128))
                .node("QLinearMatMul", new String[] {"a", "a_scale", "a_zp", "b", "b_scale", "b_zp", "y_scale", "y_zp"}, new String[] {"y"})
                .output("y", OnnxModels.UINT8, m, n)
                .toModelBytes();
        assertSame("QLinearMatMul " + m + "x" + k + "x" + n, Nchw.toS8(run(model, "a", Nchw.toU8(a), new long[] {m, k}).bytes()), out);
        assertSpread(out);
    }
}
