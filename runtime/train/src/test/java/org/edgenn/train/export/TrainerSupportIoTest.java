package org.edgenn.train.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Path;
import org.edgenn.runtime.artifact.Int8Artifact;
import org.edgenn.runtime.artifact.SafetensorsReader;
import org.edgenn.runtime.quant.QuantParams;
import org.edgenn.runtime.quant.Quantization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** What generated trainers call to write their artifact and to read a teacher's: round trips through the file. */
class TrainerSupportIoTest {
    @TempDir Path dir;

    private Int8Model model() {
        QuantParams in = Quantization.activationParams(-1, 2);
        return Int8Export.builder("net").metadata("network", "net")
                .weightsPerChannel("w", Nd4j.create(new float[][] {{0.5f, -1f, 0.1f}, {0.25f, 0f, -0.3f}}))
                .bias("b", Nd4j.create(new float[] {0.1f, -0.2f, 0.05f}), in, "w")
                .floatTensor("theta", Nd4j.create(new float[] {0.01f, 0.02f}))
                .activation("x", in).build();
    }

    @Test
    void writtenArtifactHoldsEveryTensorScaleActivationAndMetadata() throws Exception {
        Int8Model m = model();
        Path f = dir.resolve("net.safetensors");
        Int8Files.writeSafetensors(m, f);
        try (SafetensorsReader r = SafetensorsReader.open(f)) {
            assertArrayEquals(m.tensor("w").int8Data(), r.readInt8("w"));
            assertArrayEquals(m.tensor("w").scales(), r.readFloat32("w.scale"));
            assertArrayEquals(m.tensor("b").int32Data(), r.readInt32("b"));
            assertArrayEquals(m.tensor("theta").floatData(), r.readFloat32("theta"));
            assertEquals("net", r.metadata().get("network"));
        }
        try (Int8Artifact a = Int8Artifact.open(f)) {
            assertEquals(m.activation("x"), a.activation("x"));
        }
    }

    @Test
    void teacherWeightsAreDequantizedOrFallBack() throws Exception {
        Int8Model m = model();
        Path f = dir.resolve("teacher.safetensors");
        Int8Files.writeSafetensors(m, f);
        INDArray fallback = Nd4j.zeros(DataType.FLOAT, 2, 3);
        try (TeacherWeights t = TeacherWeights.open(f)) {
            INDArray w = t.weight("w", fallback);
            byte[] q = m.tensor("w").int8Data();
            float[] s = m.tensor("w").scales();
            for (int i = 0; i < 6; i++) assertEquals(q[i] * s[i % s.length], w.getFloat(i / 3, i % 3), 0, "w[" + i + "]");
            assertArrayEquals(m.tensor("theta").floatData(), t.weight("theta", Nd4j.zeros(DataType.FLOAT, 2)).toFloatVector());
            assertSame(fallback, t.weight("missing", fallback));
            INDArray wrongSize = Nd4j.zeros(DataType.FLOAT, 4);
            assertSame(wrongSize, t.weight("w", wrongSize), "a stored tensor of another size is not used");
        }
        try (TeacherWeights none = TeacherWeights.open(dir.resolve("absent.safetensors"))) {
            assertSame(fallback, none.weight("w", fallback));
        }
    }
}
