package org.edgenn.train.classic;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * The analytic weight of ALISTA (Liu, Chen, Wang and Yin, ICLR 2019), solved from the operator alone, before any
 * data: {@code W = argmin ||Wᵀ A||_F²  s.t.  diag(Wᵀ A) = 1}. The problem separates by column: {@code w_i} minimises
 * {@code w_iᵀ G w_i} with {@code G = A Aᵀ} subject to {@code a_iᵀ w_i = 1}, whose Lagrange conditions
 * {@code 2 G w_i = μ a_i} give the exact solution {@code w_i = G⁻¹ a_i / (a_iᵀ G⁻¹ a_i)}. {@code G} must be positive
 * definite ({@code A} of full row rank, as a Gaussian {@code m < n} matrix is); one Cholesky factorisation serves all
 * columns.
 */
public final class AlistaWeight {
    private AlistaWeight() {}

    /** {@code W} ({@code m × n}, like {@code A}); the ALISTA step is {@code x + γ_k Wᵀ(y − A x)}. */
    public static double[][] solve(double[][] a) {
        Mat.requireMatrix(a);
        int m = a.length, n = a[0].length;
        RealMatrix am = new Array2DRowRealMatrix(a, false);
        RealMatrix g = am.multiply(am.transpose());
        RealMatrix ginvA;
        try {
            ginvA = new CholeskyDecomposition(g, 1e-12, 1e-12).getSolver().solve(am);
        } catch (NonPositiveDefiniteMatrixException e) {
            throw new IllegalArgumentException("A Aᵀ is not positive definite: A (" + m + "x" + n + ") needs full row rank for the ALISTA weight", e);
        }
        double[][] w = ginvA.getData();
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int i = 0; i < m; i++) s += a[i][j] * w[i][j];
            if (!(s > 0)) throw new IllegalArgumentException("column " + j + " of A is zero: no weight can satisfy (Wᵀ A)_jj = 1");
            for (int i = 0; i < m; i++) w[i][j] /= s;
        }
        return w;
    }

    /** The objective {@code ||Wᵀ A||_F²}. */
    public static double objective(double[][] w, double[][] a) {
        RealMatrix p = new Array2DRowRealMatrix(w, false).transpose().multiply(new Array2DRowRealMatrix(a, false));
        double f = p.getFrobeniusNorm();
        return f * f;
    }

    /** The largest off-diagonal {@code |w_iᵀ a_j|}: the generalised mutual coherence that ALISTA's bound depends on. */
    public static double coherence(double[][] w, double[][] a) {
        RealMatrix p = new Array2DRowRealMatrix(w, false).transpose().multiply(new Array2DRowRealMatrix(a, false));
        double c = 0;
        for (int i = 0; i < p.getRowDimension(); i++)
            for (int j = 0; j < p.getColumnDimension(); j++) if (i != j) c = Math.max(c, Math.abs(p.getEntry(i, j)));
        return c;
    }
}
