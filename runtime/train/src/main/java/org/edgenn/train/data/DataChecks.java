package org.edgenn.train.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The checks a generated trainer makes on its data before the first step, each failing with a DataException that says what to fix. */
public final class DataChecks {
    private DataChecks() {}

    /** {@code dir}, which must be a directory ({@code what} names it in the message: "fashion_mnist dir"). */
    public static Path requireDir(Path dir, String what) {
        if (!Files.isDirectory(dir))
            throw new DataException(what + " " + dir.toAbsolutePath().normalize() + " does not exist or is not a directory");
        return dir;
    }

    /** {@code file}, which must be a regular file. */
    public static Path requireFile(Path file, String what) {
        if (!Files.isRegularFile(file))
            throw new DataException(what + " file " + file.toAbsolutePath().normalize() + " does not exist");
        return file;
    }

    /** The batch array {@code a} for placeholder {@code name} of {@code network} must be {@code [batch, dims...]}. */
    public static void checkShape(String network, String name, INDArray a, long... dims) {
        long[] s = a.shape();
        boolean ok = s.length == dims.length + 1;
        for (int i = 0; ok && i < dims.length; i++) ok = s[i + 1] == dims[i];
        if (!ok)
            throw new DataException("the data for '" + name + "' has shape " + Arrays.toString(s) + " but network " + network
                    + " expects [batch, " + Arrays.toString(dims).replaceAll("[\\[\\]]", "") + "]");
    }
}
