package org.edgenn.train.export;

import org.edgenn.runtime.quant.QuantParams;
import org.edgenn.runtime.quant.Quantization;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds an {@link Int8Model} from trained float arrays with the numerics of {@link org.edgenn.runtime.quant.Quantization}
 * (weights symmetric int8 per output channel = last axis; bias int32 = round(b / (s_in · s_w[k]));
 * activations asymmetric int8 from observer ranges). The weights passed are the raw trained arrays; with
 * pruning they already contain the exact zeros (masks are enforced on the raw weights), and a zero weight
 * quantizes to exactly 0.
 */
public final class Int8Export {
    private Int8Export() {}

    /** A weight tensor's declared width (2, 4 or 8 bits) and granularity, as the trainer fake-quantized it. */
    public record Format(int bits, boolean perChannel) {
        public Format {
            if (bits != 2 && bits != 4 && bits != 8) throw new IllegalArgumentException("weights are exported at 2, 4 or 8 bits, not " + bits);
        }
    }

    public static Builder builder(String modelName) {
        return new Builder(modelName);
    }

    /** Symmetric per-output-channel (last axis) int8 quantization of {@code w}. */
    public static Int8Tensor quantizeWeightsPerChannel(String name, INDArray w, int bits) {
        long[] shape = w.shape();
        int axis = shape.length - 1;
        int c = (int) shape[axis];
        float[] v = w.castTo(DataType.FLOAT).dup('c').data().asFloat();
        double[] maxAbs = new double[c];
        for (int i = 0; i < v.length; i++) maxAbs[i % c] = Math.max(maxAbs[i % c], Math.abs(v[i]));
        float[] scales = new float[c];
        for (int k = 0; k < c; k++) scales[k] = Quantization.weightScale(maxAbs[k], bits);
        byte[] q = new byte[v.length];
        for (int i = 0; i < v.length; i++) q[i] = (byte) Quantization.quantizeWeight(v[i], scales[i % c], bits);
        return Int8Tensor.quantized(name, shape, q, scales, new int[c], axis, bits);
    }

    /** Symmetric per-tensor int8 quantization. */
    public static Int8Tensor quantizeWeightsPerTensor(String name, INDArray w, int bits) {
        float[] v = w.castTo(DataType.FLOAT).dup('c').data().asFloat();
        double m = 0;
        for (float f : v) m = Math.max(m, Math.abs(f));
        float s = Quantization.weightScale(m, bits);
        byte[] q = new byte[v.length];
        for (int i = 0; i < v.length; i++) q[i] = (byte) Quantization.quantizeWeight(v[i], s, bits);
        return Int8Tensor.quantized(name, w.shape(), q, new float[] {s}, new int[1], -1, bits);
    }

    /** int32 bias {@code round(b[k] / (sIn · sW[k]))}; {@code sW} has one entry per channel (or one for per-tensor). */
    public static Int8Tensor quantizeBias(String name, INDArray b, float sIn, float[] sW) {
        float[] v = b.castTo(DataType.FLOAT).dup('c').data().asFloat();
        int[] q = new int[v.length];
        float[] scales = new float[v.length];
        for (int k = 0; k < v.length; k++) {
            float sw = sW.length == 1 ? sW[0] : sW[k];
            scales[k] = sIn * sw;
            q[k] = Quantization.quantizeBias(v[k], sIn, sw);
        }
        return Int8Tensor.int32(name, new long[] {v.length}, q, scales, 0);
    }

    public static final class Builder {
        private final String name;
        private final List<Int8Tensor> tensors = new ArrayList<>();
        private final Set<String> names = new HashSet<>();
        private final Map<String, QuantParams> acts = new LinkedHashMap<>();
        private final Map<String, String> meta = new LinkedHashMap<>();

        Builder(String name) { this.name = name; }

        private Builder add(Int8Tensor t) {
            if (!names.add(t.name())) throw new IllegalArgumentException("duplicate tensor name " + t.name());
            tensors.add(t);
            return this;
        }

        public Builder weightsPerChannel(String tensorName, INDArray w) {
            return add(quantizeWeightsPerChannel(tensorName, w, 8));
        }

        public Builder weightsPerTensor(String tensorName, INDArray w) {
            return add(quantizeWeightsPerTensor(tensorName, w, 8));
        }

        /** Weights at their declared width and granularity. */
        public Builder weights(String tensorName, INDArray w, Format f) {
            return add(f.perChannel() ? quantizeWeightsPerChannel(tensorName, w, f.bits()) : quantizeWeightsPerTensor(tensorName, w, f.bits()));
        }

        /** Bias of the layer whose weight tensor {@code weightTensor} was already added and whose input activation is {@code input}. */
        public Builder bias(String tensorName, INDArray b, QuantParams input, String weightTensor) {
            Int8Tensor w = tensors.stream().filter(t -> t.name().equals(weightTensor)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("add weight tensor " + weightTensor + " before its bias"));
            return add(quantizeBias(tensorName, b, input.scale(), w.scales()));
        }

        public Builder floatTensor(String tensorName, INDArray v) {
            return add(Int8Tensor.float32(tensorName, v.shape(), v.castTo(DataType.FLOAT).dup('c').data().asFloat()));
        }

        public Builder activation(String activationName, QuantParams p) {
            acts.put(activationName, p);
            return this;
        }

        public Builder metadata(String key, String value) {
            meta.put(key, value);
            return this;
        }

        public Int8Model build() {
            return new Int8Model(name, tensors, acts, meta);
        }
    }
}
