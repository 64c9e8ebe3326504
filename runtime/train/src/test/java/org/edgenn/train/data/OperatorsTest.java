package org.edgenn.train.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.edgenn.train.data.NpyTest.fixture;
import static org.junit.jupiter.api.Assertions.*;

class OperatorsTest {
    @TempDir Path tmp;

    @Test
    void matFilesWrittenByScipyReadRowMajor() {
        NumericArray a = MatFiles.read(fixture("ops.mat"), "A");
        assertArrayEquals(new int[] {3, 4}, a.shape());
        for (int i = 0; i < 12; i++) assertEquals(0.5 * i - 1, a.at(i), 0.0);
        NumericArray b = Operators.load(fixture("ops.mat"), "B");
        assertArrayEquals(new int[] {2, 5}, b.shape());
        assertEquals(0.5 * 7 - 1, b.at(1, 2), 0.0);
    }

    @Test
    void matFileErrorsNameFileAndVariable() throws IOException {
        DataException missing = assertThrows(DataException.class, () -> MatFiles.read(fixture("ops.mat"), "D"));
        assertTrue(missing.getMessage().contains("no variable 'D'"), missing.getMessage());
        assertTrue(assertThrows(DataException.class, () -> MatFiles.read(fixture("ops.mat"), "name")).getMessage().contains("char"));
        String c = assertThrows(DataException.class, () -> MatFiles.read(fixture("ops.mat"), "C")).getMessage();
        assertTrue(c.contains("ops.mat:C") && c.contains("int16"), c);
        assertTrue(assertThrows(DataException.class, () -> MatFiles.read(fixture("ops.mat"), null)).getMessage().contains("4 variables"));
        byte[] whole = Files.readAllBytes(fixture("ops.mat"));
        Path cut = tmp.resolve("cut.mat");
        Files.write(cut, java.util.Arrays.copyOf(whole, 200));
        assertThrows(DataException.class, () -> MatFiles.read(cut, "A"));
        Path h5 = tmp.resolve("h5.mat");
        Files.writeString(h5, "MATLAB 7.3 MAT-file, Platform: GLNXA64, Created on: ... HDF5 schema 1.00 .");
        assertTrue(assertThrows(DataException.class, () -> MatFiles.read(h5, "A")).getMessage().contains("v7.3"));
    }

    @Test
    void loadRejectsOtherTypesNonMatricesAndNaN() {
        assertTrue(assertThrows(DataException.class, () -> Operators.load(tmp.resolve("A.csv"), null)).getMessage().contains("unknown file type"));
        assertTrue(assertThrows(DataException.class, () -> Operators.load(fixture("vector_f8_5.npy"), null)).getMessage().contains("a matrix is needed"));
        assertTrue(assertThrows(DataException.class, () -> Operators.load(fixture("nan_f4_2x3.npy"), null)).getMessage().contains("NaN at index [1, 2]"));
    }

    @Test
    void gaussianRuleHasUnitColumnsIsSeededAndIsTheSparseCodingMatrix() {
        NumericArray a = Operators.gaussianUnitColumns(250, 500, 7);
        for (int j = 0; j < 500; j++) {
            double s = 0;
            for (int i = 0; i < 250; i++) s += a.at(i, j) * a.at(i, j);
            assertEquals(1.0, s, 1e-12);
        }
        double mean = 0, sq = 0;
        for (double v : a.values()) { mean += v; sq += v * v; }
        mean /= a.values().length;
        assertEquals(0, mean, 5 * Math.sqrt(1.0 / 250 / a.values().length), "zero-mean entries");
        assertArrayEquals(a.values(), Operators.gaussianUnitColumns(250, 500, 7).values());
        INDArray d = SparseCoding.lista(7).dictionary();
        for (int i = 0; i < 250; i += 37) for (int j = 0; j < 500; j += 41) assertEquals((float) a.at(i, j), d.getFloat(i, j), 0f);
    }

    @Test
    void problemFromAFileAndHeldOutFromFiles() throws IOException {
        NumericArray a = Operators.gaussianUnitColumns(6, 10, 3);
        Path af = tmp.resolve("A.npy");
        Npy.write(af, a.shape(), a.values(), false);
        SparseCoding p = new SparseCoding(Operators.load(af, null), 0.3, Double.POSITIVE_INFINITY);
        SparseCoding q = new SparseCoding(a, 0.3, Double.POSITIVE_INFINITY);
        assertEquals(q.dictionary(), p.dictionary());
        MultiDataSet b = p.batch(5, new Random(1));
        Path xf = tmp.resolve("x_test.npy"), yf = tmp.resolve("y_test.npy");
        INDArray x = b.getLabels(0), y = b.getFeatures(0);
        Npy.write(xf, new int[] {5, 10}, x.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).data().asDouble(), true);
        ArrayBatches held = p.heldOutFromFiles(xf, null, 2, 9);
        assertEquals(5, held.examples());
        INDArray x0 = held.batch(0, 0).getLabels(0), y0 = held.batch(0, 0).getFeatures(0);
        assertEquals(0, x0.sub(x.getRow(0).reshape(1, 10)).getRow(0).amaxNumber().doubleValue(), 0.0);
        assertEquals(0, y0.getRow(0).sub(y.getRow(0)).amaxNumber().doubleValue(), 1e-6, "noiseless y measured as A x");
        // y_test with the wrong number of rows: named, nothing trains on it
        Npy.write(yf, new int[] {4, 6}, new double[24], true);
        DataException e = assertThrows(DataException.class, () -> p.heldOutFromFiles(xf, yf, 2, 9));
        assertTrue(e.getMessage().contains("y_test.npy") && e.getMessage().contains("must have shape (5, 6), the file has (4, 6)"), e.getMessage());
        Npy.write(yf, new int[] {5, 6}, new double[30], true);
        assertEquals(5, p.heldOutFromFiles(xf, yf, 2, 9).examples());
        Npy.write(xf, new int[] {5, 9}, new double[45], true);
        assertTrue(assertThrows(DataException.class, () -> p.heldOutFromFiles(xf, null, 2, 9)).getMessage().contains("must have shape (any, 10)"));
    }
}
