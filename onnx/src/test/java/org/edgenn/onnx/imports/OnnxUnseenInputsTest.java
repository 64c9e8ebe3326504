package org.edgenn.onnx.imports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.edgenn.onnx.proto.OnnxModels;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * ONNX files nobody here exported: broken weights and geometry are one error naming the tensor or node (never a
 * stack trace, never a "graph only" import that silently drops the weights), and half-precision weights import.
 */
class OnnxUnseenInputsTest {
    private static final int FLOAT16 = 10, BFLOAT16 = 16;

    /** x[1, 2, 5, 5] -> Conv(W[3, 2, 3, 3], b[3]) -> y: each case breaks one thing of it. */
    private static OnnxModels.Graph conv(Consumer<OnnxModels.Graph> weights, Object... attrs) {
        OnnxModels.Graph g = new OnnxModels.Graph("g").input("x", OnnxModels.FLOAT, 1, 2, 5, 5);
        weights.accept(g);
        Object[] all = new Object[attrs.length + 2];
        all[0] = "kernel_shape";
        all[1] = new long[] {3, 3};
        System.arraycopy(attrs, 0, all, 2, attrs.length);
        g.node("Conv", new String[] {"x", "W", "b"}, new String[] {"y"}, all);
        return g.output("y", OnnxModels.FLOAT, 1, 3, 3, 3);
    }

    private static float[] ramp(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (i % 7) * 0.25f - 0.5f;
        return v;
    }

    private static Consumer<OnnxModels.Graph> good() {
        return g -> g.floats("W", ramp(54), 3, 2, 3, 3).floats("b", ramp(3), 3);
    }

    private static DynamicTest refused(String name, OnnxModels.Graph g, String message) {
        return DynamicTest.dynamicTest(name, () -> {
            OnnxImportException e = assertThrows(OnnxImportException.class,
                    () -> OnnxImporter.translate(OnnxGraph.parse(g.toModelBytes()), "G", "g.onnx"));
            assertTrue(e.getMessage().contains(message), e.getMessage());
        });
    }

    @TestFactory
    Stream<DynamicTest> brokenFilesAreOneErrorNamingTheTensorOrNode() {
        float[] nan = ramp(54);
        nan[17] = Float.NaN;
        float[] inf = ramp(3);
        inf[2] = Float.NEGATIVE_INFINITY;
        byte[] truncated = new byte[54 * 4 - 6];
        return Stream.of(
            refused("truncated raw weights", conv(g -> g.initializer("W", OnnxModels.FLOAT, truncated, 3, 2, 3, 3).floats("b", ramp(3), 3)),
                    "initializer W: raw_data holds 210 bytes, FLOAT [3, 2, 3, 3] needs 216"),
            refused("NaN weight", conv(g -> g.floats("W", nan, 3, 2, 3, 3).floats("b", ramp(3), 3)),
                    "node Conv_0 (Conv): weights W hold the non-finite value NaN at index 17"),
            refused("infinite bias", conv(g -> g.floats("W", ramp(54), 3, 2, 3, 3).floats("b", inf, 3)),
                    "weights b hold the non-finite value -Infinity at index 2"),
            refused("negative dimension", conv(g -> g.floats("W", ramp(54), 3, 2, 3, 3).floats("b", ramp(3), -3)),
                    "initializer b: negative dimension in [-3]"),
            refused("int8 weights", conv(g -> g.initializer("W", OnnxModels.INT8, new byte[54], 3, 2, 3, 3).floats("b", ramp(3), 3)),
                    "initializer W: data type INT8 is not imported"),
            refused("bias of the wrong length", conv(g -> g.floats("W", ramp(54), 3, 2, 3, 3).floats("b", ramp(4), 4)),
                    "node Conv_0 (Conv): bias of 4 values for 3 output channels"),
            refused("zero stride", conv(good(), "strides", new long[] {0, 1}),
                    "node Conv_0 (Conv): strides [0, 1] must be at least 1"),
            refused("negative pads", conv(good(), "pads", new long[] {-1, -1, -1, -1}),
                    "node Conv_0 (Conv): pads [-1, -1, -1, -1] must not be negative"),
            refused("kernel larger than the padded input", conv(good(), "dilations", new long[] {3, 3}),
                    "node Conv_0 (Conv): the kernel 3 x 3 (dilation 3 x 3) does not fit the input 5 x 5 with padding 0 x 0"),
            refused("concat of maps of other sizes", concatenated(), "node Concat_2 (Concat): operands [2, 5, 5] and [2, 4, 4] differ in more than the channels"),
            refused("pool with one stride", pooled(new long[] {2, 2}, new long[] {2}),
                    "node MaxPool_0 (MaxPool): strides [2] must be two values of at least 1"),
            refused("pool window larger than the input", pooled(new long[] {7, 7}, new long[] {1, 1}),
                    "node MaxPool_0 (MaxPool): the kernel 7 x 7 (dilation 1 x 1) does not fit the input 5 x 5 with padding 0 x 0"));
    }

    /** x[1, 2, 5, 5] concatenated along channels with its own 2 x 2 max pooling (4 x 4). */
    private static OnnxModels.Graph concatenated() {
        OnnxModels.Graph g = new OnnxModels.Graph("c").input("x", OnnxModels.FLOAT, 1, 2, 5, 5);
        g.node("MaxPool", new String[] {"x"}, new String[] {"p"}, "kernel_shape", new long[] {2, 2});
        g.node("Relu", new String[] {"x"}, new String[] {"r"});
        g.node("Concat", new String[] {"r", "p"}, new String[] {"y"}, "axis", 1L);
        return g.output("y", OnnxModels.FLOAT, 1, 4, 5, 5);
    }

    /** MaxPool over x[1, 2, 5, 5]. */
    private static OnnxModels.Graph pooled(long[] kernel, long[] strides) {
        OnnxModels.Graph g = new OnnxModels.Graph("p").input("x", OnnxModels.FLOAT, 1, 2, 5, 5);
        g.node("MaxPool", new String[] {"x"}, new String[] {"y"}, "kernel_shape", kernel, "strides", strides);
        return g.output("y", OnnxModels.FLOAT, 1, 2, 2, 2);
    }

    @Test
    void batchNormWithANegativeVarianceIsRefusedNotFoldedIntoNaN() throws Exception {
        OnnxModels.Graph g = new OnnxModels.Graph("bn").input("x", OnnxModels.FLOAT, 1, 2, 5, 5);
        good().accept(g);
        g.node("Conv", new String[] {"x", "W", "b"}, new String[] {"y"}, "kernel_shape", new long[] {3, 3});
        g.floats("gamma", new float[] {1, 1, 1}, 3).floats("beta", new float[] {0, 0, 0}, 3)
                .floats("mean", new float[] {0, 0, 0}, 3).floats("var", new float[] {1, -2, 1}, 3);
        g.node("BatchNormalization", new String[] {"y", "gamma", "beta", "mean", "var"}, new String[] {"z"});
        g.output("z", OnnxModels.FLOAT, 1, 3, 3, 3);
        OnnxImportException e = assertThrows(OnnxImportException.class,
                () -> OnnxImporter.translate(OnnxGraph.parse(g.toModelBytes()), "G", "g.onnx"));
        assertTrue(e.getMessage().contains("variance + epsilon of channel 1 is -1.99999"), e.getMessage());
    }

    /** Half-precision weights (fp16 and bfloat16 exports) import with their values, no longer as "graph only". */
    @Test
    void halfPrecisionWeightsImportWithTheirValues() throws Exception {
        // values exact in both formats, and the IEEE half bits written out by hand: 0.5, -2, 1.5, 0.25, 2^-24 (subnormal), -0
        short[] half = {0x3800, (short) 0xC000, 0x3E00, 0x3400, 0x0001, (short) 0x8000};
        float[] expected = {0.5f, -2f, 1.5f, 0.25f, 0x1p-24f, -0f};
        for (int type : new int[] {FLOAT16, BFLOAT16}) {
            ByteBuffer w = ByteBuffer.allocate(2 * 54).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < 54; i++) {
                float v = expected[i % expected.length];
                w.putShort(type == FLOAT16 ? half[i % half.length] : (short) (Float.floatToIntBits(v) >>> 16));
            }
            ByteBuffer b = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN);
            b.putShort(half[0]).putShort(half[1]).putShort(half[2]);
            if (type == BFLOAT16) {
                b.clear();
                b.putShort((short) 0x3F00).putShort((short) 0xC000).putShort((short) 0x3FC0);
            }
            OnnxModels.Graph g = conv(x -> x.initializer("W", type, w.array(), 3, 2, 3, 3).initializer("b", type, b.array(), 3));
            ImportedNetwork net = OnnxImporter.translate(OnnxGraph.parse(g.toModelBytes()), "G", "g.onnx");
            assertTrue(net.text().contains("// Weights: G.safetensors"), net.text());
            assertArrayEquals(new float[] {0.5f, -2f, 1.5f}, net.weights().get("Conv_0.bias").values(), "type " + type);
            float[] ohwi = net.weights().get("Conv_0.weight").values();
            // ONNX [K][C][FY][FX] index ((o*2 + c)*3 + y)*3 + x lands at OHWI ((o*3 + y)*3 + x)*2 + c
            for (int o = 0; o < 3; o++)
                for (int c = 0; c < 2; c++)
                    for (int y = 0; y < 3; y++)
                        for (int x = 0; x < 3; x++) {
                            int onnx = ((o * 2 + c) * 3 + y) * 3 + x;
                            assertEquals(Float.floatToIntBits(expected[onnx % expected.length]),
                                    Float.floatToIntBits(ohwi[((o * 3 + y) * 3 + x) * 2 + c]), "type " + type + " index " + onnx);
                        }
        }
    }
}
