package org.edgenn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.edgenn.runtime.artifact.SafetensorsReader;
import org.edgenn.train.data.MatFiles;
import org.edgenn.train.data.NumericArray;
import org.edgenn.train.data.Npy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Known operators and held-out sets from files named in the language ({@code init=file("A.npy")},
 * {@code synthetic_sparse(matrix="A.mat", x_test="x.npy")}): a bad file is an error at the string that names it when
 * the text is checked, a good one is what training uses. Fixtures: runtime-train's numpy files and a MATLAB v5 file
 * written by scipy (ops.mat: A 3x4, B 2x5, C int16, name char).
 */
class OperatorFilesTest {

    private static final Path FIXTURES = Path.of("..", "runtime", "train", "src", "test", "resources", "npy").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @BeforeEach
    void copyFixtures() throws Exception {
        for (String f : new String[] {"ops.mat", "c_f4_2x3.npy", "nan_f4_2x3.npy", "int32_2x2.npy"}) {
            Files.copy(FIXTURES.resolve(f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** {@code edgenn check} of a network with one layer {@code dense(IN -> OUT, init=INIT)} on line 3. */
    private CliRun checkLayer(int in, int out, String init) throws Exception {
        Path f = dir.resolve("n.edgenn");
        Files.writeString(f, "network N {\n  input y: f32[" + in + "]\n  fixed layer A = dense(" + in + " -> " + out + ", bias=false, init=" + init
                + ")\n  let z = A(y)\n  output z\n}\n");
        return CliRun.of("check", f.toString());
    }

    private String at(int line, int column) {
        return dir.resolve("n.edgenn") + ":" + line + ":" + column + ": error: ";
    }

    @Test
    void badOperatorFilesArePositionedErrors() throws Exception {
        int col = "  fixed layer A = dense(4 -> 3, bias=false, init=".length() + 1;
        CliRun missing = checkLayer(4, 3, "file(\"nope.npy\")");
        assertEquals(1, missing.exit());
        assertTrue(missing.err().startsWith(at(3, col) + "nope.npy: file not found (the weight of layer A"), missing.err());

        CliRun shape = checkLayer(4, 3, "file(\"c_f4_2x3.npy\")");
        assertEquals(1, shape.exit());
        assertTrue(shape.err().startsWith(at(3, col) + "c_f4_2x3.npy: the weight of layer A must have shape (3, 4), the file has (2, 3)"), shape.err());

        CliRun nan = checkLayer(3, 2, "file(\"nan_f4_2x3.npy\")");
        assertTrue(nan.err().startsWith(at(3, col) + "nan_f4_2x3.npy: the array has the non-finite value NaN at index [1, 2]"), nan.err());

        CliRun dtype = checkLayer(2, 2, "file(\"int32_2x2.npy\")");
        assertTrue(dtype.err().startsWith(at(3, col) + "int32_2x2.npy: ") && dtype.err().contains("<i4"), dtype.err());

        CliRun variable = checkLayer(4, 3, "file(\"ops.mat\", var=\"D\")");
        assertTrue(variable.err().startsWith(at(3, col) + "ops.mat: no variable 'D'"), variable.err());
        CliRun integers = checkLayer(4, 3, "file(\"ops.mat\", var=\"C\")");
        assertTrue(integers.err().contains("int16"), integers.err());
        CliRun npyVar = checkLayer(3, 2, "file(\"c_f4_2x3.npy\", var=\"A\")");
        assertTrue(npyVar.err().startsWith(at(3, col) + "c_f4_2x3.npy: var names a variable of a MATLAB .mat file"), npyVar.err());

        Path truncated = dir.resolve("cut.npy");
        byte[] whole = Files.readAllBytes(dir.resolve("c_f4_2x3.npy"));
        Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length - 5));
        CliRun cut = checkLayer(3, 2, "file(\"cut.npy\")");
        assertTrue(cut.err().startsWith(at(3, col) + "cut.npy: ") && cut.err().contains("truncated"), cut.err());
    }

    @Test
    void goodOperatorFilesCheckClean() throws Exception {
        CliRun mat = checkLayer(4, 3, "file(\"ops.mat\", var=\"A\")");
        assertEquals(0, mat.exit(), mat.err());
        CliRun npy = checkLayer(3, 2, "file(\"c_f4_2x3.npy\")");
        assertEquals(0, npy.exit(), npy.err());
    }

    private static final String OPS = """
            network Ops {
              input y: f32[3]
              label x_true: f32[4]
              fixed layer A = dense(4 -> 3, bias=false, init=file("ops.mat", var="A"))
              layer Wt = dense(3 -> 4, bias=false, init=dictionary_t)
              param theta: f32[1] = 0.05
              state x: f32[4] = 0
              unroll 2 as k {
                x = shrink(x + Wt(y - A(x)), theta)
              }
              output x
              loss nmse(x, x_true)
            }

            train Ops {
              data synthetic_sparse(sparsity=0.5, samples=64, test=8, DATA) -> y, x_true
              optimizer adam(lr=1e-3)
              epochs 1
              batch 8
              seed 3
            }
            """;

    private Path ops(String data) throws Exception {
        Path f = dir.resolve("ops.edgenn");
        Files.writeString(f, OPS.replace("DATA", data));
        return f;
    }

    @Test
    void badProblemFilesArePositionedErrors() throws Exception {
        Path f = ops("matrix=\"c_f4_2x3.npy\"");
        CliRun r = CliRun.of("check", f.toString());
        assertEquals(1, r.exit());
        int col = "  data synthetic_sparse(sparsity=0.5, samples=64, test=8, matrix=".length() + 1;
        assertTrue(r.err().startsWith(f + ":16:" + col + ": error: c_f4_2x3.npy: the measurement matrix A must have shape (3, 4), the file has (2, 3)"), r.err());

        Npy.write(dir.resolve("x5.npy"), new int[] {2, 5}, new double[10], true);
        CliRun x = CliRun.of("check", ops("matrix=\"ops.mat\", matrix_var=\"A\", x_test=\"x5.npy\"").toString());
        assertTrue(x.err().contains("x5.npy: the held-out codes, one row per example must have shape (any, 4), the file has (2, 5)"), x.err());

        Npy.write(dir.resolve("x4.npy"), new int[] {2, 4}, new double[8], true);
        Npy.write(dir.resolve("y3.npy"), new int[] {3, 3}, new double[9], true);
        CliRun y = CliRun.of("check", ops("matrix=\"ops.mat\", matrix_var=\"A\", x_test=\"x4.npy\", y_test=\"y3.npy\"").toString());
        assertTrue(y.err().contains("y3.npy: the measurements of the 2 held-out codes must have shape (2, 3), the file has (3, 3)"), y.err());

        CliRun onlyY = CliRun.of("check", ops("y_test=\"y3.npy\"").toString());
        assertTrue(onlyY.err().contains("y_test holds the measurements of x_test's codes"), onlyY.err());
    }

    /** The trained network's fixed A is the file's matrix (int8 in the artifact: within half a quantization step). */
    @Test
    void trainingUsesTheFilesMatrixAndHeldOutSet() throws Exception {
        double[] codes = new double[8 * 4];
        java.util.Random r = new java.util.Random(5);
        for (int i = 0; i < codes.length; i++) codes[i] = r.nextDouble() < 0.5 ? r.nextGaussian() : 0;
        Npy.write(dir.resolve("x_test.npy"), new int[] {8, 4}, codes, false);
        Path f = ops("matrix=\"ops.mat\", matrix_var=\"A\", x_test=\"x_test.npy\"");
        Path out = dir.resolve("out");
        CliRun run = CliRun.of("train", f.toString(), "--network", "Ops", "--batches-per-epoch", "2", "--out", out.toString());
        assertEquals(0, run.exit(), run.out() + run.err());
        String trainer = Files.readString(out.resolve("src/OpsTrainer.java").toFile().exists() ? out.resolve("src/OpsTrainer.java")
                : Files.walk(out.resolve("src")).filter(p -> p.endsWith("OpsTrainer.java")).findFirst().orElseThrow());
        assertTrue(trainer.contains("Operators.load(dataDir.resolve(\"ops.mat\"), \"A\")"), trainer);
        assertTrue(trainer.contains("heldOutFromFiles(dataDir.resolve(\"x_test.npy\"), null"), trainer);
        NumericArray a = MatFiles.read(dir.resolve("ops.mat"), "A");
        try (SafetensorsReader st = SafetensorsReader.open(out.resolve("Ops.safetensors"))) {
            byte[] q = st.readInt8("A_weight");          // training layout [in, out] = [4, 3]
            float[] s = st.readFloat32("A_weight.scale"); // one per output row of A
            assertEquals(12, q.length);
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 4; j++) {
                    assertEquals(a.at(i, j), q[j * 3 + i] * s[i], s[i] / 2 + 1e-6, "A[" + i + "][" + j + "]");
                }
            }
        }
    }
}
