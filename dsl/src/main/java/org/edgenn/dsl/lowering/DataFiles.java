package org.edgenn.dsl.lowering;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.EObject;
import org.edgenn.dsl.validation.IssueCodes;

/**
 * Files a {@code .edgenn} text names as values: known operators ({@code init=file("A.npy")}) and the synthetic
 * problem's matrix and held-out set ({@code synthetic_sparse(matrix="A.mat", x_test="x_test.npy")}). They are read
 * while the text is lowered, so a missing, malformed, non-finite or wrongly shaped file is a positioned diagnostic
 * ({@code badDataFile}) on the string that names it, before anything trains.
 * <p>The readers (numpy, MATLAB v5 through mfl-core, text) live with the training runtime, which this module must not
 * depend on; they come in as a {@link Reader} service (the generator provides it: the command line, the Maven plugin,
 * the language server). Without one, only the file's existence is checked.
 */
public final class DataFiles {

    /** Reads a file of numbers completely, as training will. */
    public interface Reader {
        /**
         * The array's shape ({@code [count]} for a text file of numbers).
         *
         * @throws IllegalArgumentException with a message naming the file and what is wrong (truncated, dtype, NaN, ...)
         */
        int[] shape(Path file, String variable);
    }

    private static final Reader READER = ServiceLoader.load(Reader.class, DataFiles.class.getClassLoader()).findFirst().orElse(null);

    private record Key(Path file, String variable, FileTime modified, long size) {}

    /** Results of earlier reads (an editor lowers the text on every change), by file, variable and modification. */
    private static final Map<Key, Object> CACHE = new LinkedHashMap<>(16, 0.75f, true) {
        @Override protected boolean removeEldestEntry(Map.Entry<Key, Object> e) { return size() > 32; }
    };

    private DataFiles() {
    }

    /** {@code path} relative to the directory of {@code at}'s {@code .edgenn} file (the working directory for texts without one). */
    static Path resolve(EObject at, String path) {
        Path p = Path.of(path);
        if (p.isAbsolute()) {
            return p;
        }
        URI uri = at.eResource() == null ? null : at.eResource().getURI();
        Path base = null;
        if (uri != null && uri.isFile()) {
            base = Path.of(uri.toFileString()).toAbsolutePath().getParent();
        }
        return base == null ? p.toAbsolutePath() : base.resolve(p);
    }

    /**
     * Reads {@code path} (relative to the text's file) and requires {@code want} ({@code -1}: any size; a text file
     * only its element count), reporting on {@code at} otherwise.
     *
     * @param what what the file holds, for messages ("the measurement matrix A")
     * @return the file's shape, or null after an error
     */
    static int[] check(EObject at, String path, String variable, String what, int[] want, Problems problems) {
        Path file = resolve(at, path);
        if (!Files.isRegularFile(file)) {
            problems.error(at, IssueCodes.BAD_DATA_FILE, path + ": file not found (" + what + "; looked in " + file.getParent() + ")");
            return null;
        }
        if (READER == null) {
            return null; // no reader on this class path: existence is all that can be checked here
        }
        Object result;
        try {
            Key key = new Key(file, variable, Files.getLastModifiedTime(file), Files.size(file));
            synchronized (CACHE) {
                result = CACHE.get(key);
            }
            if (result == null) {
                try {
                    result = READER.shape(file, variable);
                } catch (IllegalArgumentException e) {
                    result = e.getMessage();
                }
                synchronized (CACHE) {
                    CACHE.put(key, result);
                }
            }
        } catch (IOException e) {
            result = file + ": cannot read (" + e.getMessage() + ")";
        }
        if (result instanceof String message) {
            problems.error(at, IssueCodes.BAD_DATA_FILE, shortPath(message, file, path) + " (" + what + ")");
            return null;
        }
        int[] shape = (int[]) result;
        boolean text = shape.length == 1 && !isArrayFile(path);
        boolean ok;
        if (text) {
            long n = 1;
            for (int d : want) n *= d;
            ok = Arrays.stream(want).allMatch(d -> d >= 0) && shape[0] == n;
        } else {
            ok = shape.length == want.length;
            for (int d = 0; ok && d < want.length; d++) ok = want[d] < 0 || want[d] == shape[d];
        }
        if (!ok) {
            problems.error(at, IssueCodes.BAD_DATA_FILE, path + ": " + what + " must have " + (text ? sizeOf(want) + " values" : "shape " + shapeText(want))
                    + ", the file has " + (text ? shape[0] + " values" : shapeText(shape)));
            return null;
        }
        return shape;
    }

    /** Whether the name says numpy or MATLAB (an array with its shape) rather than text. */
    static boolean isArrayFile(String path) {
        String p = path.toLowerCase(java.util.Locale.ROOT);
        return p.endsWith(".npy") || p.endsWith(".mat");
    }

    /** Messages name the file as the text wrote it, not by its resolved absolute path. */
    private static String shortPath(String message, Path file, String written) {
        String m = message == null ? "unreadable" : message.replace(file.toString(), written);
        return m.startsWith(written) ? m : written + ": " + m;
    }

    private static long sizeOf(int[] shape) {
        long n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    /** {@code (250, 500)}, numpy's spelling; {@code any} for a free dimension. */
    static String shapeText(int[] shape) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) b.append(i > 0 ? ", " : "").append(shape[i] < 0 ? "any" : String.valueOf(shape[i]));
        return b.append(shape.length == 1 ? ",)" : ")").toString();
    }
}
