package org.edgenn.runtime.artifact;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.edgenn.runtime.quant.ChannelScales;
import org.edgenn.runtime.quant.QuantParams;
import org.edgenn.runtime.quant.Quantization;

/**
 * The int8 model artifact a generated trainer writes and a generated inference class reads: one
 * safetensors file whose tensor names follow this contract (names are the generated code's
 * identifiers: {@code S[3].weight} is {@code S_3_weight}, node {@code x[0].add} is {@code x_0_add}).
 *
 * <ul>
 *   <li>{@code <weight>}: int8 in the training layout ({@link WeightLayout}) — or, for 2- and 4-bit weights, U8
 *       bytes packed by {@link SubByte} with metadata {@code edgenn.bits.<weight>} (the width) and
 *       {@code edgenn.shape.<weight>} (the logical shape, comma-separated), unpacked on reading — with
 *       {@code <weight>.scale}: float32, one scale per output channel (the last axis) or one for the tensor.</li>
 *   <li>{@code <bias>}: int32 {@code round(b / (s_in · s_w[k]))} with {@code <bias>.scale} = {@code s_in · s_w[k]},
 *       or float32 when no input quantization was known.</li>
 *   <li>{@code act.<node>.scale} (float32 [1]) and {@code act.<node>.zero_point} (int32 [1]): the
 *       activation quantization observed at {@code node}; its width in metadata {@code edgenn.bits.act.<node>}
 *       when it is not 8.</li>
 *   <li>any other float32 tensor (effective thresholds, learned scalars) under its name.</li>
 * </ul>
 * Reads convert to the inference layout; a missing or mis-shaped tensor is an
 * {@link ArtifactFormatException} naming the tensor and the file.
 */
public final class Int8Artifact implements Closeable {
    public static final String SCALE = ".scale";
    public static final String ACTIVATION = "act.";
    public static final String ZERO_POINT = ".zero_point";
    /** Metadata key prefix: the width of a packed tensor ({@code edgenn.bits.fc1_weight = 4}). */
    public static final String BITS = "edgenn.bits.";
    /** Metadata key prefix: the logical shape of a packed tensor ({@code edgenn.shape.fc1_weight = 3136,128}). */
    public static final String PACKED_SHAPE = "edgenn.shape.";
    /** Metadata key of the packing's description, written into every artifact with packed tensors. */
    public static final String PACKING = "edgenn.packing";
    static final String PACKING_TEXT = "int2/int4 tensors: dtype U8, shape [bytes]; values row-major over "
            + "edgenn.shape.<name>, 8/bits per byte, first value in the lowest bits, two's complement (ONNX INT4 order)";

    /** int8 weights in the inference layout with their symmetric per-output-channel scales. */
    public record Weights(byte[] values, ChannelScales scales) {}

    private final Path file;
    private final SafetensorsReader reader;

    private Int8Artifact(Path file, SafetensorsReader reader) {
        this.file = file;
        this.reader = reader;
    }

    public static Int8Artifact open(Path file) throws IOException {
        return new Int8Artifact(file, SafetensorsReader.open(file));
    }

    public Path file() {
        return file;
    }

    public boolean has(String tensor) {
        return reader.names().contains(tensor);
    }

    /** Dense weights {@code [out][in]} from the training layout {@code [in, out]}. */
    public Weights dense(String tensor, int in, int out) throws IOException {
        return weights(tensor, new long[] {in, out}, 1, 1, in, out);
    }

    /**
     * The transpose of dense layer {@code tensor} ({@code A^T}: {@code in} = A's outputs, {@code out} = A's inputs) as
     * {@code [out][in]}: A's training layout {@code [in_A, out_A]} = {@code [out, in]} read as stored. A weight used
     * transposed has one scale (per-row scales of A would fall inside the sums of Aᵀ); more is an error.
     */
    public Weights denseTransposed(String tensor, int in, int out) throws IOException {
        int bits = weightBits(tensor);
        long[] training = {out, in};
        byte[] q = bits == 8 ? read(tensor, DType.I8, training) : unpacked(tensor, bits, training);
        float[] s = reader.readFloat32(require(tensor + SCALE, DType.F32));
        if (s.length != 1 && !allEqual(s)) {
            throw new ArtifactFormatException(file + ": tensor '" + tensor + SCALE + "' has " + s.length
                    + " different scales; a weight used transposed is quantized per tensor");
        }
        return new Weights(q, ChannelScales.perTensor(s[0], out));
    }

    private static boolean allEqual(float[] s) {
        for (float v : s) {
            if (Float.compare(v, s[0]) != 0) {
                return false;
            }
        }
        return true;
    }

    /** Convolution weights {@code [k][fy][fx][cg]} from the training layout {@code [fy, fx, cg, k]}. */
    public Weights conv(String tensor, int k, int fy, int fx, int cg) throws IOException {
        return weights(tensor, new long[] {fy, fx, cg, k}, fy, fx, cg, k);
    }

    private Weights weights(String tensor, long[] training, int fy, int fx, int cg, int k) throws IOException {
        int bits = weightBits(tensor);
        byte[] q = bits == 8 ? read(tensor, DType.I8, training) : unpacked(tensor, bits, training);
        float[] s = scales(tensor, k);
        try {
            return new Weights(WeightLayout.convToRuntime(q, fy, fx, cg, k), ChannelScales.perChannel(s));
        } catch (IllegalArgumentException e) {
            throw new ArtifactFormatException(file + ": tensor '" + tensor + SCALE + "': " + e.getMessage(), e);
        }
    }

    /** The declared width of weight tensor {@code tensor}: 8 unless the metadata names a packed width. */
    public int weightBits(String tensor) throws ArtifactFormatException {
        String b = reader.metadata().get(BITS + tensor);
        if (b == null) {
            return 8;
        }
        int bits;
        try {
            bits = Integer.parseInt(b.trim());
        } catch (NumberFormatException e) {
            bits = -1;
        }
        if (!SubByte.packed(bits)) {
            throw new ArtifactFormatException(file + ": metadata '" + BITS + tensor + "' is '" + b + "'; packed weights are 2 or 4 bits");
        }
        return bits;
    }

    /** A packed tensor unpacked to one byte per value, after checking its dtype, logical shape and byte count. */
    private byte[] unpacked(String tensor, int bits, long[] shape) throws IOException {
        require(tensor, DType.U8);
        String written = reader.metadata().get(PACKED_SHAPE + tensor);
        String expected = java.util.Arrays.stream(shape).mapToObj(Long::toString).collect(java.util.stream.Collectors.joining(","));
        if (written == null || !written.replace(" ", "").equals(expected)) {
            throw new ArtifactFormatException(file + ": packed tensor '" + tensor + "' has logical shape '" + written
                    + "', expected " + expected);
        }
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        byte[] bytes = reader.readBytes(tensor);
        try {
            return SubByte.unpack(bytes, count, bits);
        } catch (IllegalArgumentException e) {
            throw new ArtifactFormatException(file + ": packed tensor '" + tensor + "': " + e.getMessage(), e);
        }
    }

    /** {@code <tensor>.scale}: {@code channels} values, or one for the whole tensor (repeated). */
    private float[] scales(String tensor, int channels) throws IOException {
        String name = tensor + SCALE;
        float[] s = reader.readFloat32(require(name, DType.F32));
        if (s.length == 1 && channels > 1) {
            float[] all = new float[channels];
            Arrays.fill(all, s[0]);
            return all;
        }
        if (s.length != channels) {
            throw new ArtifactFormatException(file + ": tensor '" + name + "' has " + s.length + " scales, expected " + channels + " or 1");
        }
        return s;
    }

    /** A bias as real numbers: int32 times its per-channel scale, or the float32 values. */
    public float[] biasReal(String tensor, int channels) throws IOException {
        require(tensor, null);
        if (reader.info(tensor).dtype() == DType.F32) {
            return read32(tensor, channels);
        }
        int[] q = reader.readInt32(require(tensor, DType.I32));
        if (q.length != channels) throw shape(tensor, new long[] {channels});
        float[] s = scales(tensor, channels);
        float[] r = new float[channels];
        for (int k = 0; k < channels; k++) r[k] = q[k] * s[k];
        return r;
    }

    /**
     * A bias as the int32 accumulator offset of a layer with input quantization {@code in} and weight scales
     * {@code weights}: {@code round(b[k] / (s_in · s_w[k]))} ({@link Quantization#quantizeBias}), whatever input scale
     * the trainer stored it with.
     */
    public int[] bias(String tensor, QuantParams in, ChannelScales weights) throws IOException {
        float[] real = biasReal(tensor, weights.channels());
        int[] q = new int[real.length];
        for (int k = 0; k < q.length; k++) {
            try {
                q[k] = Quantization.quantizeBias(real[k], in.scale(), weights.scale(k));
            } catch (ArithmeticException e) {
                throw new ArtifactFormatException(file + ": bias '" + tensor + "'[" + k + "]: " + e.getMessage(), e);
            }
        }
        return q;
    }

    /** The activation quantization observed at {@code node}. */
    public QuantParams activation(String node) throws IOException {
        String scale = ACTIVATION + node + SCALE;
        String zero = ACTIVATION + node + ZERO_POINT;
        float[] s = read32(scale, 1);
        int[] z = reader.readInt32(require(zero, DType.I32));
        if (z.length != 1) throw shape(zero, new long[] {1});
        String b = reader.metadata().get(BITS + ACTIVATION + node);
        int bits;
        try {
            bits = b == null ? 8 : Integer.parseInt(b.trim());
        } catch (NumberFormatException e) {
            throw new ArtifactFormatException(file + ": metadata '" + BITS + ACTIVATION + node + "' is '" + b + "', not a width");
        }
        try {
            return new QuantParams(s[0], z[0], bits);
        } catch (IllegalArgumentException e) {
            throw new ArtifactFormatException(file + ": activation '" + node + "': " + e.getMessage(), e);
        }
    }

    public boolean hasActivation(String node) {
        return has(ACTIVATION + node + SCALE);
    }

    /** A float32 tensor of {@code size} elements (any shape). */
    public float[] floats(String tensor, int size) throws IOException {
        return read32(tensor, size);
    }

    private float[] read32(String tensor, int size) throws IOException {
        float[] v = reader.readFloat32(require(tensor, DType.F32));
        if (v.length != size) throw shape(tensor, new long[] {size});
        return v;
    }

    private byte[] read(String tensor, DType type, long[] shape) throws IOException {
        require(tensor, type);
        if (!Arrays.equals(reader.info(tensor).shape(), shape)) throw shape(tensor, shape);
        return reader.readBytes(tensor);
    }

    private String require(String tensor, DType type) throws ArtifactFormatException {
        if (!has(tensor)) throw new ArtifactFormatException(file + ": tensor '" + tensor + "' is missing");
        DType actual = reader.info(tensor).dtype();
        if (type != null && actual != type) {
            throw new ArtifactFormatException(file + ": tensor '" + tensor + "' is " + actual + ", expected " + type);
        }
        return tensor;
    }

    private ArtifactFormatException shape(String tensor, long[] expected) {
        return new ArtifactFormatException(file + ": tensor '" + tensor + "' has shape " + Arrays.toString(reader.info(tensor).shape())
                + ", expected " + Arrays.toString(expected));
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }

    /** Writes an artifact under the same naming contract (tensors in the training layout), atomically. */
    public static final class Writer {
        private final SafetensorsWriter w = new SafetensorsWriter();

        /** int8 weights in the training layout with per-output-channel (or one) scales. */
        public Writer int8(String name, long[] shape, byte[] values, float[] scales) {
            w.addInt8(name, shape, values);
            w.addFloat32(name + SCALE, new long[] {scales.length}, scales);
            return this;
        }

        /**
         * Weights of {@code bits} bits (values already in that range) in the training layout: int8 as {@link #int8},
         * 2 and 4 bits packed ({@link SubByte}) with their width and logical shape in the metadata.
         */
        public Writer weights(String name, long[] shape, byte[] values, float[] scales, int bits) {
            if (bits == 8) {
                return int8(name, shape, values, scales);
            }
            if (!SubByte.packed(bits)) {
                throw new IllegalArgumentException("int" + bits + " weights have no artifact format (2, 4 or 8 bits)");
            }
            byte[] packed = SubByte.pack(values, bits);
            w.add(name, DType.U8, new long[] {packed.length}, packed);
            w.addFloat32(name + SCALE, new long[] {scales.length}, scales);
            w.metadata(BITS + name, Integer.toString(bits));
            w.metadata(PACKED_SHAPE + name, java.util.Arrays.stream(shape).mapToObj(Long::toString)
                    .collect(java.util.stream.Collectors.joining(",")));
            w.metadata(PACKING, PACKING_TEXT);
            return this;
        }

        /** int32 values (a bias) with their per-channel scales. */
        public Writer int32(String name, long[] shape, int[] values, float[] scales) {
            w.addInt32(name, shape, values);
            w.addFloat32(name + SCALE, new long[] {scales.length}, scales);
            return this;
        }

        public Writer float32(String name, long[] shape, float[] values) {
            w.addFloat32(name, shape, values);
            return this;
        }

        public Writer activation(String node, QuantParams q) {
            w.addFloat32(ACTIVATION + node + SCALE, new long[] {1}, new float[] {q.scale()});
            w.addInt32(ACTIVATION + node + ZERO_POINT, new long[] {1}, new int[] {q.zeroPoint()});
            if (q.bits() != 8) {
                w.metadata(BITS + ACTIVATION + node, Integer.toString(q.bits()));
            }
            return this;
        }

        public Writer metadata(String key, String value) {
            w.metadata(key, value);
            return this;
        }

        /** Replaces {@code file} atomically (see {@link SafetensorsWriter#write}). */
        public void write(Path file) throws IOException {
            w.write(file);
        }
    }
}
