package org.edgenn.train.classic;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/** The few dense helpers the algorithms need, on row-major {@code double[][]}. */
final class Mat {
    private Mat() {}

    /** {@code A x}. */
    static double[] mul(double[][] a, double[] x) {
        double[] y = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            double s = 0;
            double[] row = a[i];
            for (int j = 0; j < x.length; j++) s += row[j] * x[j];
            y[i] = s;
        }
        return y;
    }

    /** {@code Aᵀ r}. */
    static double[] mulT(double[][] a, double[] r) {
        double[] y = new double[a[0].length];
        for (int i = 0; i < a.length; i++) {
            double ri = r[i];
            double[] row = a[i];
            for (int j = 0; j < y.length; j++) y[j] += row[j] * ri;
        }
        return y;
    }

    static double[] sub(double[] a, double[] b) {
        double[] c = new double[a.length];
        for (int i = 0; i < a.length; i++) c[i] = a[i] - b[i];
        return c;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    static void requireMatrix(double[][] a) {
        if (a.length == 0 || a[0].length == 0) throw new IllegalArgumentException("empty matrix");
        for (double[] row : a) if (row.length != a[0].length) throw new IllegalArgumentException("ragged matrix");
    }

    /** The spectral norm squared {@code ||A||₂²}: the Lipschitz constant of the gradient of {@code ½||Ax − y||²}. */
    static double lipschitz(double[][] a) {
        double s = new SingularValueDecomposition(new Array2DRowRealMatrix(a, false)).getNorm();
        return s * s;
    }
}
