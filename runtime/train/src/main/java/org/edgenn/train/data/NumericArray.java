package org.edgenn.train.data;

import java.util.Arrays;

/**
 * A dense real array read from a file ({@code .npy}, {@code .mat}): where it came from, its shape and its values in
 * row-major (C) order, widened to double (float32 values are exact in double).
 */
public record NumericArray(String source, int[] shape, double[] values) {
    public NumericArray {
        shape = shape.clone();
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException(source + ": negative dimension in " + Arrays.toString(shape));
            n *= d;
        }
        if (n != values.length)
            throw new IllegalArgumentException(source + ": shape " + Arrays.toString(shape) + " needs " + n + " values, got " + values.length);
    }

    @Override public int[] shape() { return shape.clone(); }

    public int rank() { return shape.length; }

    /** Size of dimension {@code d}. */
    public int dim(int d) { return shape[d]; }

    /** The value at a row-major flat index. */
    public double at(int flat) { return values[flat]; }

    /** Element {@code [i, j]} of a matrix. */
    public double at(int i, int j) { return values[i * shape[1] + j]; }

    /** A copy as a row-major {@code double[rows][cols]} (rank 2 only). */
    public double[][] toMatrix() {
        if (shape.length != 2) throw new IllegalStateException(source + ": rank " + shape.length + ", not a matrix");
        double[][] m = new double[shape[0]][shape[1]];
        for (int i = 0; i < shape[0]; i++) System.arraycopy(values, i * shape[1], m[i], 0, shape[1]);
        return m;
    }

    /** The shape as {@code (250, 500)}, as numpy prints it. */
    public String shapeText() { return shapeText(shape); }

    static String shapeText(int[] shape) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) b.append(i > 0 ? ", " : "").append(shape[i]);
        return b.append(shape.length == 1 ? ",)" : ")").toString();
    }

    /**
     * Requires the given shape exactly ({@code -1} = any size in that dimension), naming the file and what
     * it is for in the error: {@code A.npy: the measurement matrix must have shape (250, 500), the file has (500, 250)}.
     */
    public NumericArray requireShape(String what, int... want) {
        boolean ok = want.length == shape.length;
        for (int d = 0; ok && d < want.length; d++) ok = want[d] < 0 || want[d] == shape[d];
        if (!ok) {
            StringBuilder w = new StringBuilder("(");
            for (int i = 0; i < want.length; i++) w.append(i > 0 ? ", " : "").append(want[i] < 0 ? "any" : String.valueOf(want[i]));
            w.append(want.length == 1 ? ",)" : ")");
            throw new DataException(source + ": " + what + " must have shape " + w + ", the file has " + shapeText());
        }
        return this;
    }

    /** Fails on the first NaN or infinite value, naming its index: nothing is ever trained on such data. */
    public NumericArray requireFinite(String what) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i]))
                throw new DataException(source + ": " + what + " has the non-finite value " + values[i] + " at index " + indexText(i));
        }
        return this;
    }

    private String indexText(int flat) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = flat % shape[d];
            flat /= shape[d];
        }
        return Arrays.toString(idx);
    }
}
