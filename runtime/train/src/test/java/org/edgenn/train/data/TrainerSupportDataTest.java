package org.edgenn.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.edgenn.train.metrics.Evaluate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The data helpers generated trainers call: batch limits, shape and path checks, PSNR. */
class TrainerSupportDataTest {
    @TempDir Path dir;

    private static ArrayBatches batches(int n) {
        float[] v = new float[n * 4];
        for (int i = 0; i < v.length; i++) v[i] = (float) Math.sin(0.7 * i);
        INDArray x = Nd4j.create(v, new long[] {n, 4}, 'c');
        return ArrayBatches.of(x, x.mul(0.5), 2, false, 1);
    }

    @Test
    void limitKeepsTheFirstBatchesOrTheSourceItself() {
        ArrayBatches all = batches(10);
        assertEquals(5, all.batchesPerEpoch());
        assertSame(all, Batches.limit(all, 0));
        assertSame(all, Batches.limit(all, 5));
        assertSame(all, Batches.limit(all, 9));
        BatchSource three = Batches.limit(all, 3);
        assertEquals(3, three.batchesPerEpoch());
        for (int b = 0; b < 3; b++) {
            assertEquals(all.batch(1, b).getFeatures(0), three.batch(1, b).getFeatures(0));
        }
    }

    @Test
    void shapeCheckNamesThePlaceholderAndTheExpectedShape() {
        INDArray a = Nd4j.zeros(DataType.FLOAT, 8, 1, 28, 28);
        DataChecks.checkShape("Net", "image", a, 1, 28, 28);
        DataException e = assertThrows(DataException.class, () -> DataChecks.checkShape("Net", "image", a, 28, 28));
        assertEquals("the data for 'image' has shape [8, 1, 28, 28] but network Net expects [batch, 28, 28]", e.getMessage());
        assertThrows(DataException.class, () -> DataChecks.checkShape("Net", "image", a, 1, 28, 27));
    }

    @Test
    void pathChecksSayWhatIsMissing() throws Exception {
        Path file = Files.writeString(dir.resolve("f.txt"), "x");
        assertSame(dir, DataChecks.requireDir(dir, "images dir"));
        assertSame(file, DataChecks.requireFile(file, "idx images"));
        DataException e = assertThrows(DataException.class, () -> DataChecks.requireDir(file, "images dir"));
        assertTrue(e.getMessage().startsWith("images dir ") && e.getMessage().endsWith("does not exist or is not a directory"), e.getMessage());
        e = assertThrows(DataException.class, () -> DataChecks.requireFile(dir.resolve("none"), "idx labels"));
        assertTrue(e.getMessage().startsWith("idx labels file ") && e.getMessage().endsWith("does not exist"), e.getMessage());
    }

    /** PSNR of an identity graph against labels x/2, against the mean squared error computed element by element. */
    @Test
    void psnrPoolsTheSquaredErrorOverAllExamples() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 4);
        sd.identity("y", x);
        ArrayBatches data = batches(6);
        double err = 0;
        long n = 0;
        for (int b = 0; b < data.batchesPerEpoch(); b++) {
            float[] in = data.batch(0, b).getFeatures(0).dup('c').data().asFloat();
            float[] t = data.batch(0, b).getLabels(0).dup('c').data().asFloat();
            for (int i = 0; i < in.length; i++) {
                err += (in[i] - t[i]) * (double) (in[i] - t[i]);
                n++;
            }
        }
        double expected = 10 * Math.log10(1.0 / (err / n));
        assertEquals(expected, Evaluate.psnr(sd, data, List.of("x"), "y", 1.0), 1e-6);
    }
}
