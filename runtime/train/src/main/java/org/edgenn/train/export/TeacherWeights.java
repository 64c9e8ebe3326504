package org.edgenn.train.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.edgenn.runtime.artifact.SafetensorsReader;
import org.edgenn.train.data.DataException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A teacher network's trained weights for distillation, read from its {@code <Teacher>.safetensors}: int8 or int32
 * tensors dequantized with their per-channel (or per-tensor) scales, float32 ones as stored. Without the file the
 * teacher distils from its initial weights (with a warning on stderr).
 */
public final class TeacherWeights implements AutoCloseable {
    private final SafetensorsReader reader;

    private TeacherWeights(SafetensorsReader reader) {
        this.reader = reader;
    }

    public static TeacherWeights open(Path file) {
        if (!Files.isRegularFile(file)) {
            System.err.println("warning: " + file + " not found: the teacher distils from its initial (untrained) weights");
            return new TeacherWeights(null);
        }
        try {
            return new TeacherWeights(SafetensorsReader.open(file));
        } catch (IOException e) {
            throw new DataException("cannot read teacher weights " + file + ": " + e.getMessage(), e);
        }
    }

    /** The stored weight {@code name} in the shape of {@code fallback}; {@code fallback} when absent or of another size. */
    public INDArray weight(String name, INDArray fallback) {
        if (reader == null || !reader.names().contains(name)) return fallback;
        try {
            float[] v;
            if (reader.names().contains(name + ".scale")) {
                float[] s = reader.readFloat32(name + ".scale");
                String type = reader.info(name).dtype().toString();
                String bits = reader.metadata().get(org.edgenn.runtime.artifact.Int8Artifact.BITS + name);
                byte[] q8 = bits != null ? org.edgenn.runtime.artifact.SubByte.unpack(reader.readBytes(name), fallback.length(), Integer.parseInt(bits))
                        : type.contains("8") ? reader.readInt8(name) : null;   // packed 2/4-bit weights, or int8
                int[] q32 = q8 == null ? reader.readInt32(name) : null;
                if ((q8 != null ? q8.length : q32.length) != fallback.length()) return fallback;
                v = new float[(int) fallback.length()];
                for (int i = 0; i < v.length; i++) v[i] = (q8 != null ? q8[i] : q32[i]) * s[s.length == 1 ? 0 : i % s.length];
            } else {
                v = reader.readFloat32(name);
            }
            if (v.length != fallback.length()) return fallback;
            return Nd4j.create(v, fallback.shape(), 'c');
        } catch (IOException | IllegalArgumentException e) {
            throw new DataException("cannot read teacher weight " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            if (reader != null) reader.close();
        } catch (IOException e) {
            // read-only: nothing to flush
        }
    }
}
