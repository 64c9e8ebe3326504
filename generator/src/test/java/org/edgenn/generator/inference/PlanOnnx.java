package org.edgenn.generator.inference;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.edgenn.generator.inference.InferencePlan.Step;
import org.edgenn.generator.inference.InferencePlan.Tensor;
import org.edgenn.runtime.artifact.Int8Artifact;
import org.edgenn.runtime.artifact.WeightLayout;
import org.edgenn.runtime.kernels.SoftThreshold;
import org.edgenn.runtime.onnx.OnnxModels;
import org.edgenn.runtime.quant.QuantParams;

/**
 * Test peer: an {@link InferencePlan} with its artifact as an ONNX model for ONNX Runtime. Activations are u8 by the
 * zero-point shift {@code x + 128, zp + 128} (ONNX Runtime's fast path; every {@code x − zp} is unchanged), weights s8
 * per output column. Dense → {@code QLinearMatMul}; add → {@code com.microsoft.QLinearAdd}; soft threshold →
 * {@code DequantizeLinear}, {@code Shrink(bias = lambd = θ_q·s)}, {@code QuantizeLinear} (exact: the threshold is a
 * whole number of steps); a zero state → a constant. Only what LISTA needs; anything else is refused.
 */
final class PlanOnnx {
    private PlanOnnx() {
    }

    /** The model; with {@code everyLayer} every step's output is also a graph output (for layer-by-layer checks). */
    static byte[] export(InferencePlan plan, Path artifact, int batch, boolean everyLayer) throws IOException {
        try (Int8Artifact a = Int8Artifact.open(artifact)) {
            OnnxModels.Graph g = new OnnxModels.Graph(plan.network()).opset("com.microsoft", 1);
            for (Tensor t : plan.tensors()) {
                QuantParams q = quant(a, t);
                g.floats(t.node() + "_scale", new float[] {q.scale()});
                g.initializer(t.node() + "_zp", OnnxModels.UINT8, new byte[] {(byte) (q.zeroPoint() + 128)});
                if (t.role() == InferencePlan.Role.ZEROS) {
                    byte[] zeros = new byte[batch * t.size()];
                    Arrays.fill(zeros, (byte) (q.zeroPoint() + 128));
                    g.initializer(t.node(), OnnxModels.UINT8, zeros, batch, t.size());
                }
            }
            Tensor in = plan.input();
            g.input(in.node(), OnnxModels.UINT8, batch, in.size());
            for (Step s : plan.steps()) {
                if (s instanceof InferencePlan.Mac m && m.dense() && m.bias() == null && m.activation().isNone()) {
                    int k = m.geometry().c(), n = m.geometry().k();
                    Int8Artifact.Weights w = a.dense(m.weight(), k, n);
                    g.initializer(m.weight(), OnnxModels.INT8, WeightLayout.denseToTraining(w.values(), k, n), k, n);
                    g.floats(m.weight() + "_scale", w.scales().toArray(), n);
                    g.initializer(m.weight() + "_zp", OnnxModels.INT8, new byte[n], n);
                    g.node("QLinearMatMul", args(m.input(), m.weight(), m.output()), new String[] {m.output()});
                } else if (s instanceof InferencePlan.Sum m && !m.subtract() && m.activation().isNone()) {
                    g.node("com.microsoft", "QLinearAdd", new String[] {m.a(), m.a() + "_scale", m.a() + "_zp", m.b(), m.b() + "_scale",
                            m.b() + "_zp", m.output() + "_scale", m.output() + "_zp"}, new String[] {m.output()});
                } else if (s instanceof InferencePlan.Shrink m && m.values() == 1 && m.threshold().isParameter()) {
                    QuantParams q = quant(a, plan.tensor(m.input()));
                    int theta = SoftThreshold.quantizeThresholds(a.floats(m.threshold().parameter(), 1), q)[0];
                    float real = theta * q.scale();
                    String x = m.input();
                    g.node("DequantizeLinear", new String[] {x, x + "_scale", x + "_zp"}, new String[] {m.node() + "_real"});
                    g.node("Shrink", new String[] {m.node() + "_real"}, new String[] {m.node() + "_shrunk"}, "bias", real, "lambd", real);
                    g.node("QuantizeLinear", new String[] {m.node() + "_shrunk", x + "_scale", x + "_zp"}, new String[] {m.output()});
                } else {
                    throw new UnsupportedOperationException("no ONNX peer for " + s);
                }
            }
            Tensor out = plan.output();
            g.output(out.node(), OnnxModels.UINT8, batch, out.size());
            if (everyLayer) {
                for (Step s : plan.steps()) {
                    if (!s.output().equals(out.node())) {
                        g.output(s.output(), OnnxModels.UINT8, batch, plan.tensor(s.output()).size());
                    }
                }
            }
            return g.toModelBytes();
        }
    }

    /** QLinearMatMul's operands: x with its quantization, the weight with its per-column scales, y's quantization. */
    private static String[] args(String x, String w, String y) {
        return new String[] {x, x + "_scale", x + "_zp", w, w + "_scale", w + "_zp", y + "_scale", y + "_zp"};
    }

    private static QuantParams quant(Int8Artifact a, Tensor t) throws IOException {
        InferencePlan.Quant q = t.quant();
        return q.isObserved() ? a.activation(q.activation()) : new QuantParams(q.scale(), q.zeroPoint());
    }
}
