package org.edgenn.train.classic;

import org.edgenn.train.data.NumericArray;
import org.edgenn.train.data.Operators;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class AlistaWeightTest {
    static double[][] gaussian(int m, int n, long seed) {
        return Operators.gaussianUnitColumns(m, n, seed).toMatrix();
    }

    /**
     * The plain reference: projected gradient descent on each column's problem min w'Gw s.t. a'w = 1, with step
     * 1/(2 λmax(G)) (λmax by power iteration) and the exact projection onto the hyperplane after each step.
     */
    static double[][] projectedGradient(double[][] a, int iterations) {
        int m = a.length, n = a[0].length;
        double[][] g = new double[m][m];
        for (int i = 0; i < m; i++) for (int k = 0; k < m; k++) for (int j = 0; j < n; j++) g[i][k] += a[i][j] * a[k][j];
        double[] v = new double[m];
        java.util.Arrays.fill(v, 1);
        double lmax = 0;
        for (int it = 0; it < 500; it++) {
            double[] gv = Mat.mul(g, v);
            lmax = Math.sqrt(Mat.dot(gv, gv));
            for (int i = 0; i < m; i++) v[i] = gv[i] / lmax;
        }
        double step = 1 / (2 * lmax);
        double[][] w = new double[m][n];
        for (int j = 0; j < n; j++) {
            double[] aj = new double[m];
            for (int i = 0; i < m; i++) aj[i] = a[i][j];
            double[] wj = aj.clone(); // feasible start: a'a = 1 for unit columns
            for (int it = 0; it < iterations; it++) {
                double[] grad = Mat.mul(g, wj);
                for (int i = 0; i < m; i++) wj[i] -= step * 2 * grad[i];
                double off = (1 - Mat.dot(aj, wj)) / Mat.dot(aj, aj);
                for (int i = 0; i < m; i++) wj[i] += off * aj[i];
            }
            for (int i = 0; i < m; i++) w[i][j] = wj[i];
        }
        return w;
    }

    @Test
    void closedFormEqualsProjectedGradientAndIsFeasible() {
        double[][] a = gaussian(8, 20, 5);
        double[][] w = AlistaWeight.solve(a);
        double[][] ref = projectedGradient(a, 20_000);
        for (int i = 0; i < 8; i++) for (int j = 0; j < 20; j++) assertEquals(ref[i][j], w[i][j], 1e-7, "W[" + i + "," + j + "]");
        for (int j = 0; j < 20; j++) {
            double d = 0;
            for (int i = 0; i < 8; i++) d += w[i][j] * a[i][j];
            assertEquals(1.0, d, 1e-12, "diag(WᵀA)");
        }
    }

    @Test
    void noFeasiblePerturbationLowersTheObjective() {
        double[][] a = gaussian(30, 60, 9);
        double[][] w = AlistaWeight.solve(a);
        double f = AlistaWeight.objective(w, a);
        java.util.Random r = new java.util.Random(2);
        for (int t = 0; t < 20; t++) {
            double[][] p = new double[30][60];
            for (int j = 0; j < 60; j++) {
                double[] d = new double[30];
                for (int i = 0; i < 30; i++) d[i] = r.nextGaussian() * 1e-3;
                double along = 0, norm = 0;
                for (int i = 0; i < 30; i++) { along += d[i] * a[i][j]; norm += a[i][j] * a[i][j]; }
                for (int i = 0; i < 30; i++) p[i][j] = w[i][j] + d[i] - along / norm * a[i][j]; // keeps a_j'w_j = 1
            }
            assertTrue(AlistaWeight.objective(p, a) > f, "perturbation " + t);
        }
    }

    @Test
    void papersSettingLowersCoherenceAndRejectsRankDeficientA() {
        NumericArray a = Operators.gaussianUnitColumns(250, 500, 1);
        double[][] am = a.toMatrix();
        double[][] w = AlistaWeight.solve(am);
        double own = AlistaWeight.coherence(am, am);
        double alista = AlistaWeight.coherence(w, am);
        assertTrue(alista < own, "generalised coherence " + alista + " vs mutual coherence of A " + own);
        double[][] deficient = {{1, 0, 1}, {2, 0, 2}};
        assertThrows(IllegalArgumentException.class, () -> AlistaWeight.solve(deficient));
    }
}
