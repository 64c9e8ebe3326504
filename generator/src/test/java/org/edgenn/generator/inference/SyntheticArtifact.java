package org.edgenn.generator.inference;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.edgenn.generator.JavaNames;
import org.edgenn.generator.ops.QuantPlacement;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Node;
import org.edgenn.runtime.artifact.Int8Artifact;
import org.edgenn.runtime.artifact.WeightLayout;
import org.edgenn.runtime.quant.QuantParams;

/**
 * Test fixture: a deterministic int8 artifact for any network, written through {@link Int8Artifact.Writer} under
 * the trainer's naming contract. Weights are random int8 in the training layout with per-channel scales
 * {@code ~1/(127·sqrt(fan-in))}, so every layer keeps its input's magnitude; biases int32; thresholds and scalar
 * parameters small positive float32; every observed activation gets a fixed quantization (scale about 0.02,
 * small random zero point). Enough to exercise every layer's arithmetic, not a trained model.
 */
public final class SyntheticArtifact {
    private SyntheticArtifact() {
    }

    public static void write(Network net, Path file, long seed) throws IOException {
        Random r = new Random(seed);
        JavaNames names = JavaNames.forArtifact(net);
        Int8Artifact.Writer w = new Int8Artifact.Writer().metadata("network", net.name()).metadata("fixture", "synthetic seed " + seed);
        java.util.Set<String> written = new java.util.HashSet<>();
        java.util.Map<String, Integer> widths = QuantPlacement.activationBits(net);
        for (Node n : net.inferenceNodes()) {
            if (QuantPlacement.observed(n)) {
                int bits = widths.getOrDefault(n.name(), 8);
                // a 16-bit activation covers the same range as the int8 ones with 256 times finer steps
                w.activation(names.of(n.name()), bits > 8
                        ? new QuantParams((0.015f + 0.01f * r.nextFloat()) / 256, r.nextInt(5377) - 2688, 16)
                        : new QuantParams(0.015f + 0.01f * r.nextFloat(), r.nextInt(21) - 10));
            }
            for (String weight : n.weights()) {
                if (!written.add(weight)) {
                    continue;
                }
                String name = names.of(weight);
                long[] ir = longs(net.weight(weight).shape().dims());
                if (n.op() instanceof org.edgenn.ir.ops.Source) {
                    float[] v = new float[(int) net.weight(weight).shape().size()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = 0.01f + 0.05f * r.nextFloat();
                    }
                    w.float32(name, ir.length == 0 ? new long[] {1} : ir, v);
                } else if (ir.length == 1) {
                    int[] q = new int[(int) ir[0]];
                    float[] s = new float[q.length];
                    for (int k = 0; k < q.length; k++) {
                        q[k] = r.nextInt(2001) - 1000;
                        s[k] = 1e-5f;
                    }
                    w.int32(name, ir, q, s);
                } else {
                    int k = (int) ir[0];
                    int fan = (int) (net.weight(weight).shape().size() / k);
                    // the declared width of the layer's weights (2, 4 or 8 bits): values in [-qmax, qmax]
                    var declared = net.compression().weightsOf(net.weight(weight).layer());
                    int bits = declared == null ? 8 : declared.bits();
                    int qmax = (1 << (bits - 1)) - 1;
                    byte[] runtime = new byte[(int) net.weight(weight).shape().size()];
                    for (int i = 0; i < runtime.length; i++) {
                        runtime[i] = (byte) (r.nextInt(2 * qmax + 1) - qmax);
                    }
                    float[] s = new float[k];
                    for (int c = 0; c < k; c++) {
                        s[c] = (float) ((0.8 + 0.4 * r.nextDouble()) / (qmax * Math.sqrt(fan)));
                    }
                    // IR [out, in] / [out, in/g, kh, kw]; the runtime layout is [out][kh][kw][in/g]
                    if (ir.length == 2) {
                        w.weights(name, new long[] {ir[1], ir[0]}, WeightLayout.denseToTraining(runtime, (int) ir[1], k), s, bits);
                    } else {
                        int cg = (int) ir[1], kh = (int) ir[2], kw = (int) ir[3];
                        w.weights(name, new long[] {kh, kw, cg, k}, WeightLayout.convToTraining(runtime, kh, kw, cg, k), s, bits);
                    }
                }
            }
        }
        w.write(file);
    }

    private static long[] longs(int[] d) {
        long[] l = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            l[i] = d[i];
        }
        return l;
    }
}
