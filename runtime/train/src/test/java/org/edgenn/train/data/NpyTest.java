package org.edgenn.train.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The reader against files written by numpy itself (src/test/resources/npy, made by make_fixtures.py with numpy
 * 2.4.6): every fixture holds {@code v[flat] = 0.5 flat − 1} in row-major order, whatever its layout on disk.
 */
class NpyTest {
    @TempDir Path tmp;

    static Path fixture(String name) {
        try {
            return Path.of(NpyTest.class.getResource("/npy/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertFormula(NumericArray a, int... shape) {
        assertArrayEquals(shape, a.shape());
        for (int i = 0; i < a.values().length; i++) assertEquals(0.5 * i - 1, a.at(i), 0.0, "flat index " + i);
    }

    @Test
    void readsNumpyFilesInEveryLayoutAndVersion() {
        assertFormula(Npy.read(fixture("c_f4_2x3.npy")), 2, 3);
        assertFormula(Npy.read(fixture("fortran_f8_3x4.npy")), 3, 4);
        assertFormula(Npy.read(fixture("fortran_f4_2x3x4.npy")), 2, 3, 4);
        assertFormula(Npy.read(fixture("vector_f8_5.npy")), 5);
        assertFormula(Npy.read(fixture("bigendian_f8_2x2.npy")), 2, 2);
        assertFormula(Npy.read(fixture("v2_f4_2x3.npy")), 2, 3);
        assertEquals(0.5 * 5 - 1, Npy.read(fixture("fortran_f8_3x4.npy")).at(1, 1), "row 1, column 1 of a Fortran-ordered file");
    }

    @Test
    void writerRoundTripsAndMatchesNumpyBytes() throws IOException {
        double[] v = new double[6];
        for (int i = 0; i < v.length; i++) v[i] = 0.5 * i - 1;
        assertArrayEquals(Files.readAllBytes(fixture("c_f4_2x3.npy")), Npy.encode(new int[] {2, 3}, v, true), "same bytes as np.save");
        Path f = tmp.resolve("x.npy");
        Npy.write(f, new int[] {3, 2}, v, false);
        assertFormula(Npy.read(f), 3, 2);
    }

    @Test
    void unsupportedDtypeNamesFileAndDtype() {
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.read(fixture("int32_2x2.npy")));
        assertTrue(e.getMessage().contains("int32_2x2.npy") && e.getMessage().contains("'<i4'"), e.getMessage());
    }

    @Test
    void truncatedDataAndTrailingBytesAreErrors() throws IOException {
        byte[] good = Files.readAllBytes(fixture("c_f4_2x3.npy"));
        NpyFormatException t = assertThrows(NpyFormatException.class, () -> Npy.decode(Arrays.copyOf(good, good.length - 3), "t.npy"));
        assertEquals("t.npy: truncated data: shape (2, 3) of <f4 needs 24 bytes, the file has 21", t.getMessage());
        NpyFormatException x = assertThrows(NpyFormatException.class, () -> Npy.decode(Arrays.copyOf(good, good.length + 4), "x.npy"));
        assertTrue(x.getMessage().contains("4 unexpected bytes"), x.getMessage());
        NpyFormatException h = assertThrows(NpyFormatException.class, () -> Npy.decode(Arrays.copyOf(good, 40), "h.npy"));
        assertTrue(h.getMessage().startsWith("h.npy: truncated .npy header"), h.getMessage());
        assertThrows(NpyFormatException.class, () -> Npy.decode("PK\3\4 a zip file, not npy".getBytes(StandardCharsets.ISO_8859_1), "z.npy"));
        assertThrows(DataException.class, () -> Npy.read(tmp.resolve("missing.npy")));
    }

    @Test
    void malformedHeadersAreErrors() {
        for (String header : new String[] {
                "{'descr': '<f4', 'shape': (2,), }",                                    // no fortran_order
                "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}",      // unknown key
                "{'descr': '<f4', 'fortran_order': False, 'shape': (2), }",             // (2) is not a tuple
                "{'descr': '<f4', 'fortran_order': 0, 'shape': (2,), }",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (-2,), }",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), } trailing"}) {
            byte[] h = (header + "\n").getBytes(StandardCharsets.ISO_8859_1);
            byte[] b = new byte[10 + h.length + 8];
            System.arraycopy(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) h.length, 0}, 0, b, 0, 10);
            System.arraycopy(h, 0, b, 10, h.length);
            assertThrows(NpyFormatException.class, () -> Npy.decode(b, "bad.npy"), header);
        }
    }

    @Test
    void nonFiniteValuesAndWrongShapesNameFileAndIndex() {
        NumericArray a = Npy.read(fixture("nan_f4_2x3.npy"));
        DataException e = assertThrows(DataException.class, () -> a.requireFinite("x_test"));
        assertTrue(e.getMessage().endsWith("nan_f4_2x3.npy: x_test has the non-finite value NaN at index [1, 2]"), e.getMessage());
        DataException s = assertThrows(DataException.class, () -> Npy.read(fixture("fortran_f8_3x4.npy")).requireShape("A", 250, 500));
        assertTrue(s.getMessage().endsWith("fortran_f8_3x4.npy: A must have shape (250, 500), the file has (3, 4)"), s.getMessage());
        Npy.read(fixture("fortran_f8_3x4.npy")).requireShape("A", -1, 4);
    }
}
