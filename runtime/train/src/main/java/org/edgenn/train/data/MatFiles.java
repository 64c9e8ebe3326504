package org.edgenn.train.data;

import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.format.Mat5File;
import us.hebi.matlab.mat.types.Array;
import us.hebi.matlab.mat.types.MatFile;
import us.hebi.matlab.mat.types.Matrix;
import us.hebi.matlab.mat.types.MatlabType;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * MATLAB {@code .mat} level-5 files (MATLAB's {@code save -v7} and {@code -v6}, scipy's {@code savemat}), read with
 * the mfl-core library. One named variable is read as a real double or single matrix; MATLAB stores column-major,
 * the result is row-major like every {@link NumericArray}. Version 7.3 files are HDF5 and not read (the error says so).
 */
public final class MatFiles {
    private MatFiles() {}

    /** Reads variable {@code name}; with {@code name == null}, the file must hold exactly one variable. */
    public static NumericArray read(Path file, String name) {
        if (!Files.isRegularFile(file)) throw new DataException(file + ": file not found");
        rejectHdf5(file);
        Mat5File mat;
        try {
            mat = Mat5.readFromFile(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new DataException(file + ": not a readable MATLAB v5 .mat file (" + e.getMessage() + ")", e);
        }
        try (mat) {
            List<String> names = new ArrayList<>();
            for (MatFile.Entry e : mat.getEntries()) names.add(e.getName());
            String var = name;
            if (var == null) {
                if (names.size() != 1)
                    throw new DataException(file + ": holds " + names.size() + " variables " + names + "; name the one to read");
                var = names.get(0);
            } else if (!names.contains(var)) {
                throw new DataException(file + ": no variable '" + var + "' (the file has " + names + ")");
            }
            Array a = mat.getArray(var);
            String where = file + ":" + var;
            if (a.getType() != MatlabType.Double && a.getType() != MatlabType.Single)
                throw new DataException(where + ": is a MATLAB " + a.getType().toString().toLowerCase(java.util.Locale.ROOT) + " array; a real double or single matrix is needed");
            Matrix m = (Matrix) a;
            if (m.isComplex() || m.isLogical()) throw new DataException(where + ": complex or logical arrays are not supported");
            if (m.getNumDimensions() != 2) throw new DataException(where + ": has " + m.getNumDimensions() + " dimensions; a matrix is needed");
            int rows = m.getNumRows(), cols = m.getNumCols();
            double[] v = new double[rows * cols];
            for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) v[i * cols + j] = m.getDouble(i, j);
            return new NumericArray(where, new int[] {rows, cols}, v);
        } catch (IOException e) {
            throw new DataException(file + ": " + e.getMessage(), e);
        }
    }

    private static void rejectHdf5(Path file) {
        byte[] head = new byte[116];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new DataException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        String text = new String(head, 0, n, StandardCharsets.ISO_8859_1);
        if (text.startsWith("MATLAB 7.3 MAT-file"))
            throw new DataException(file + ": is a MATLAB v7.3 (HDF5) file; save it with save(..., '-v7') to read it here");
    }
}
