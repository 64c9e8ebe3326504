package org.edgenn.train.export;

import java.io.IOException;
import java.nio.file.Path;
import org.edgenn.runtime.artifact.Int8Artifact;

/** Writes a trained int8 model as the artifact runtime-core reads. */
public final class Int8Files {
    private Int8Files() {}

    /**
     * Writes {@code m} under runtime-core's artifact contract ({@link Int8Artifact}): each tensor with its
     * {@code tensor.scale} (2- and 4-bit weights packed, their width and shape in the metadata), activations as {@code act.<name>.scale|zero_point}, and the metadata.
     */
    public static void writeSafetensors(Int8Model m, Path file) throws IOException {
        Int8Artifact.Writer w = new Int8Artifact.Writer();
        for (Int8Tensor t : m.tensors()) {
            if (t.type() == Int8Tensor.Type.INT8) w.weights(t.name(), t.shape(), t.int8Data(), t.scales(), t.bits());
            else if (t.type() == Int8Tensor.Type.INT32) w.int32(t.name(), t.shape(), t.int32Data(), t.scales());
            else w.float32(t.name(), t.shape(), t.floatData());
        }
        m.activations().forEach(w::activation);
        m.metadata().forEach(w::metadata);
        w.write(file);
    }
}
