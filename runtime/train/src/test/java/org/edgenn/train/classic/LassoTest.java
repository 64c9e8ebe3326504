package org.edgenn.train.classic;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class LassoTest {
    private static double[] sparseMeasurement(double[][] a, long seed, double[] xOut) {
        Random r = new Random(seed);
        for (int i = 0; i < xOut.length; i++) xOut[i] = r.nextDouble() < 0.1 ? r.nextGaussian() : 0;
        return Mat.mul(a, xOut);
    }

    @Test
    void identityOperatorOneStepIsTheSoftThreshold() {
        Lasso l = new Lasso(new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}});
        assertEquals(1.0, l.lipschitz(), 1e-12);
        assertArrayEquals(new double[] {1.5, 0, -0.25}, l.ista(new double[] {2, 0.3, -0.75}, 0.5, 1)[1], 1e-15);
        assertArrayEquals(new double[] {1.5, 0, -0.25}, l.fista(new double[] {2, 0.3, -0.75}, 0.5, 1)[1], 1e-15);
    }

    @Test
    void allThreeSolversReachTheLassoMinimiser() {
        double[][] a = AlistaWeightTest.gaussian(40, 80, 3);
        Lasso l = new Lasso(a);
        double[] x = new double[80];
        double[] y = sparseMeasurement(a, 4, x);
        double lambda = 0.05;
        double[][] ista = l.ista(y, lambda, 20_000);
        double[][] fista = l.fista(y, lambda, 3_000);
        double[][] admm = l.admm(y, lambda, 1.0, 3_000);
        double[] xi = ista[ista.length - 1], xf = fista[fista.length - 1], xa = admm[admm.length - 1];
        assertTrue(l.optimalityGap(xi, y, lambda) < 1e-9, "ISTA KKT gap " + l.optimalityGap(xi, y, lambda));
        assertTrue(l.optimalityGap(xf, y, lambda) < 1e-9, "FISTA KKT gap " + l.optimalityGap(xf, y, lambda));
        assertTrue(l.optimalityGap(xa, y, lambda) < 1e-7, "ADMM KKT gap " + l.optimalityGap(xa, y, lambda));
        assertArrayEquals(xi, xf, 1e-8);
        assertArrayEquals(xi, xa, 1e-7);
        for (int k = 1; k < 200; k++) // ISTA with step 1/L is a descent method
            assertTrue(l.objective(ista[k], y, lambda) <= l.objective(ista[k - 1], y, lambda) + 1e-12, "step " + k);
    }

    @Test
    void fistaMomentumAndAdmmMatrix() {
        assertEquals(0.0, Lasso.momentum(0), 0.0);
        double t1 = (1 + Math.sqrt(5)) / 2, t2 = (1 + Math.sqrt(1 + 4 * t1 * t1)) / 2;
        assertEquals((t1 - 1) / t2, Lasso.momentum(1), 1e-15);
        double[][] a = AlistaWeightTest.gaussian(5, 7, 8);
        double[][] mInv = new Lasso(a).admmMatrix(0.7);
        for (int i = 0; i < 7; i++) for (int j = 0; j < 7; j++) { // (AᵀA + ρI) M = I
            double s = 0;
            for (int k = 0; k < 7; k++) {
                double g = (k == i ? 0.7 : 0);
                for (int r = 0; r < 5; r++) g += a[r][i] * a[r][k];
                s += g * mInv[k][j];
            }
            assertEquals(i == j ? 1 : 0, s, 1e-12);
        }
    }
}
