package org.edgenn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.edgenn.generator.training.LoweredExamples;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Node;
import org.edgenn.ir.ops.Activation;
import org.edgenn.ir.ops.Clamp;
import org.edgenn.ir.ops.Concat;
import org.edgenn.ir.ops.Constant;
import org.edgenn.ir.ops.Conv2d;
import org.edgenn.ir.ops.Dense;
import org.edgenn.ir.ops.Elementwise;
import org.edgenn.ir.ops.Flatten;
import org.edgenn.ir.ops.PixelShuffle;
import org.edgenn.ir.ops.Pool;
import org.edgenn.ir.ops.Reshape;
import org.edgenn.ir.ops.Source;
import org.edgenn.ir.ops.Upsample;
import org.edgenn.ir.ops.Window;
import org.edgenn.runtime.artifact.SafetensorsReader;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Imported float model → the imported network's float outputs equal ONNX Runtime's on the original model. The
 * imported {@code .edgenn} is lowered by the language (as {@code edgenn check} does) and its IR is run in float with the
 * weights of the written safetensors file, by the plain loops below (the IR's meaning: NCHW values, OHWI convolution
 * weights, dense [OUT, IN]); ONNX Runtime runs the original PyTorch export on the input PyTorch used.
 */
class ImportedFloatTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tiny_cnn", "mlp"})
    void importedNetworkComputesWhatOnnxRuntimeComputes(String model, @TempDir Path dir) throws Exception {
        Path onnx = ImportOnnxCommandTest.MODELS.resolve("torch/" + model + ".onnx");
        CliRun run = CliRun.of("import-onnx", onnx.toString(), "--out", dir.toString());
        assertEquals(0, run.exit(), run.err());
        String name = ImportOnnxCommand.networkName(onnx);
        Network net = LoweredExamples.text(dir, name + ".edgenn", Files.readString(dir.resolve(name + ".edgenn")), name);
        JsonNode ref = new ObjectMapper().readTree(ImportOnnxCommandTest.MODELS.resolve("torch/" + model + ".fused.json").toFile());
        float[] input = floats(ref.get("input"));

        float[] ours;
        try (SafetensorsReader weights = SafetensorsReader.open(dir.resolve(name + ".safetensors"))) {
            ours = new FloatInterpreter(net, weights).run(input);
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[] theirs;
        try (OrtSession s = env.createSession(Files.readAllBytes(onnx), new OrtSession.SessionOptions())) {
            long[] shape = s.getInputInfo().values().iterator().next().getInfo() instanceof ai.onnxruntime.TensorInfo t ? t.getShape() : null;
            try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), shape);
                 OrtSession.Result r = s.run(Map.of(s.getInputNames().iterator().next(), in))) {
                FloatBuffer b = ((OnnxTensor) r.get(0)).getFloatBuffer();
                theirs = new float[b.remaining()];
                b.get(theirs);
            }
        }
        assertEquals(theirs.length, ours.length);
        double max = 0;
        for (int i = 0; i < ours.length; i++) {
            max = Math.max(max, Math.abs(ours[i] - theirs[i]));
            assertEquals(theirs[i], ours[i], 1e-4 * Math.max(1, Math.abs(theirs[i])), model + " output " + i);
        }
        System.out.printf("%s: imported network vs ONNX Runtime, max |difference| %.2e%n", model, max);
    }

    private static float[] floats(JsonNode a) {
        float[] f = new float[a.size()];
        for (int i = 0; i < f.length; i++) f[i] = (float) a.get(i).asDouble();
        return f;
    }

    /** The IR in float, node by node; values are row-major in their logical shape ([C, H, W] = NCHW at batch 1). */
    static final class FloatInterpreter {
        private final Network net;
        private final SafetensorsReader weights;
        private final Map<String, float[]> values = new HashMap<>();
        private final Map<String, int[]> shapes = new HashMap<>();

        FloatInterpreter(Network net, SafetensorsReader weights) {
            this.net = net;
            this.weights = weights;
        }

        float[] run(float[] input) throws Exception {
            for (Node n : net.nodes()) {
                if (n.trainingOnly()) continue;
                shapes.put(n.name(), n.shape().dims());
                values.put(n.name(), node(n, input));
            }
            return values.get(net.outputs().get(0));
        }

        private float[] in(Node n, int i) {
            return values.get(n.inputs().get(i));
        }

        private int[] shapeOf(Node n, int i) {
            return shapes.get(n.inputs().get(i));
        }

        private float[] weight(String name) throws Exception {
            ByteBuffer b = ByteBuffer.wrap(weights.readBytes(name)).order(ByteOrder.LITTLE_ENDIAN);
            float[] f = new float[b.remaining() / 4];
            b.asFloatBuffer().get(f);
            return f;
        }

        private float[] node(Node n, float[] input) throws Exception {
            if (n.op() instanceof Source s) {
                if (s.role() != Source.Role.INPUT) throw new AssertionError("unexpected source " + s);
                return input;
            }
            if (n.op() instanceof Constant c) return new float[] {(float) c.value()};
            if (n.op() instanceof Conv2d c) return conv(n, c);
            if (n.op() instanceof Dense d) {
                float[] x = in(n, 0), w = weight(n.weights().get(0)), y = new float[d.out()];
                float[] b = d.bias() ? weight(n.weights().get(1)) : null;
                for (int o = 0; o < d.out(); o++) {
                    double acc = b == null ? 0 : b[o];
                    for (int i = 0; i < d.in(); i++) acc += (double) w[o * d.in() + i] * x[i];
                    y[o] = (float) acc;
                }
                return y;
            }
            if (n.op() instanceof Activation a) {
                float[] x = in(n, 0), y = new float[x.length];
                for (int i = 0; i < x.length; i++) {
                    y[i] = switch (a.function()) {
                        case RELU -> Math.max(0, x[i]);
                        case RELU6 -> Math.min(6, Math.max(0, x[i]));
                        default -> throw new AssertionError("activation " + a);
                    };
                }
                return y;
            }
            if (n.op() instanceof Clamp c) {
                float[] x = in(n, 0), y = new float[x.length];
                for (int i = 0; i < x.length; i++) y[i] = (float) Math.min(c.max(), Math.max(c.min(), x[i]));
                return y;
            }
            if (n.op() instanceof Elementwise e) {
                float[] a = in(n, 0), b = in(n, 1);
                float[] y = new float[Math.max(a.length, b.length)];
                for (int i = 0; i < y.length; i++) {
                    float p = a[a.length == 1 ? 0 : i], q = b[b.length == 1 ? 0 : i];
                    y[i] = switch (e.operator()) {
                        case ADD -> p + q;
                        case SUB -> p - q;
                        case MUL -> p * q;
                        case DIV -> p / q;
                    };
                }
                return y;
            }
            if (n.op() instanceof Pool p) return pool(n, p);
            if (n.op() instanceof Concat) {
                float[] y = new float[(int) n.shape().size()];
                int at = 0;
                for (int i = 0; i < n.inputs().size(); i++) {
                    float[] x = in(n, i);
                    System.arraycopy(x, 0, y, at, x.length);
                    at += x.length;
                }
                return y;
            }
            if (n.op() instanceof Flatten || n.op() instanceof Reshape) return in(n, 0);
            if (n.op() instanceof Upsample u) {
                int[] s = shapeOf(n, 0);
                int c = s[0], h = s[1], w = s[2], f = u.factor();
                float[] x = in(n, 0), y = new float[c * h * f * w * f];
                for (int ch = 0; ch < c; ch++)
                    for (int oy = 0; oy < h * f; oy++)
                        for (int ox = 0; ox < w * f; ox++) y[(ch * h * f + oy) * w * f + ox] = x[(ch * h + oy / f) * w + ox / f];
                return y;
            }
            if (n.op() instanceof PixelShuffle p) {
                int[] s = shapeOf(n, 0);
                int r = p.factor(), c = s[0] / (r * r), h = s[1], w = s[2];
                float[] x = in(n, 0), y = new float[x.length];
                // out[c][y*r+i][x*r+j] = in[c*r*r + i*r + j][y][x] (CRD, PyTorch's pixel_shuffle)
                for (int ch = 0; ch < c; ch++)
                    for (int i = 0; i < r; i++)
                        for (int j = 0; j < r; j++)
                            for (int yy = 0; yy < h; yy++)
                                for (int xx = 0; xx < w; xx++)
                                    y[(ch * h * r + yy * r + i) * w * r + xx * r + j] = x[((ch * r * r + i * r + j) * h + yy) * w + xx];
                return y;
            }
            throw new AssertionError("op " + n.op().kind() + " not interpreted");
        }

        private float[] conv(Node n, Conv2d c) throws Exception {
            int[] s = shapeOf(n, 0);
            int h = s[1], w = s[2];
            Window win = c.window();
            int oh = win.outH(h), ow = win.outW(w), g = c.groups(), cg = c.in() / g, kg = c.out() / g;
            float[] x = in(n, 0), wt = weight(n.weights().get(0));
            float[] b = c.bias() ? weight(n.weights().get(1)) : null;
            float[] y = new float[c.out() * oh * ow];
            for (int k = 0; k < c.out(); k++) {
                int group = k / kg;
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++) {
                        double acc = b == null ? 0 : b[k];
                        for (int fy = 0; fy < win.kh(); fy++)
                            for (int fx = 0; fx < win.kw(); fx++) {
                                int iy = oy * win.sh() - win.padding().top() + fy * win.dh();
                                int ix = ox * win.sw() - win.padding().left() + fx * win.dw();
                                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                                for (int ci = 0; ci < cg; ci++) {
                                    acc += (double) wt[((k * win.kh() + fy) * win.kw() + fx) * cg + ci] * x[((group * cg + ci) * h + iy) * w + ix];
                                }
                            }
                        y[(k * oh + oy) * ow + ox] = (float) acc;
                    }
            }
            return y;
        }

        private float[] pool(Node n, Pool p) throws Exception {
            int[] s = shapeOf(n, 0);
            int c = s[0], h = s[1], w = s[2];
            Window win = p.window();
            int oh = win.outH(h), ow = win.outW(w);
            float[] x = in(n, 0), y = new float[c * oh * ow];
            for (int ch = 0; ch < c; ch++)
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++) {
                        double acc = p.pool() == Pool.Kind.MAX ? Double.NEGATIVE_INFINITY : 0;
                        int count = 0;
                        for (int fy = 0; fy < win.kh(); fy++)
                            for (int fx = 0; fx < win.kw(); fx++) {
                                int iy = oy * win.sh() - win.padding().top() + fy, ix = ox * win.sw() - win.padding().left() + fx;
                                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                                float v = x[(ch * h + iy) * w + ix];
                                acc = p.pool() == Pool.Kind.MAX ? Math.max(acc, v) : acc + v;
                                count++;
                            }
                        y[(ch * oh + oy) * ow + ox] = (float) (p.pool() == Pool.Kind.MAX ? acc : acc / count);
                    }
            return y;
        }
    }
}
