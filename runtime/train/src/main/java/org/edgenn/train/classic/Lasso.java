package org.edgenn.train.classic;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * The lasso {@code min_x ½||A x − y||² + λ||x||₁} and its classical solvers, each returning every iterate
 * ({@code [0]} is the start, 0): the references that unrolled ISTA / FISTA / ADMM networks with classical
 * constants must reproduce, and the peers (ISTA-16, FISTA-16) of the trained networks.
 */
public final class Lasso {
    private final double[][] a;
    private final double lipschitz;

    public Lasso(double[][] a) {
        Mat.requireMatrix(a);
        this.a = a;
        this.lipschitz = Mat.lipschitz(a);
    }

    /** {@code L = ||A||₂²}; 1/L is the step of ISTA and FISTA. */
    public double lipschitz() { return lipschitz; }

    public int m() { return a.length; }

    public int n() { return a[0].length; }

    /** ISTA: {@code x_{k+1} = soft(x_k + Aᵀ(y − A x_k)/L, λ/L)}. */
    public double[][] ista(double[] y, double lambda, int iterations) {
        double[][] xs = new double[iterations + 1][];
        xs[0] = new double[n()];
        for (int k = 0; k < iterations; k++) xs[k + 1] = gradientStep(xs[k], y, lambda);
        return xs;
    }

    /**
     * FISTA (Beck and Teboulle 2009): {@code x_{k+1} = soft(z_k + Aᵀ(y − A z_k)/L, λ/L)},
     * {@code t_{k+1} = (1 + sqrt(1 + 4 t_k²))/2}, {@code z_{k+1} = x_{k+1} + (t_k − 1)/t_{k+1} (x_{k+1} − x_k)},
     * with {@code x_0 = z_0 = 0}, {@code t_0 = 1}. Returns the {@code x_k}.
     */
    public double[][] fista(double[] y, double lambda, int iterations) {
        double[][] xs = new double[iterations + 1][];
        xs[0] = new double[n()];
        double[] z = xs[0];
        for (int k = 0; k < iterations; k++) {
            xs[k + 1] = gradientStep(z, y, lambda);
            double c = momentum(k);
            z = new double[n()];
            for (int i = 0; i < z.length; i++) z[i] = xs[k + 1][i] + c * (xs[k + 1][i] - xs[k][i]);
        }
        return xs;
    }

    /** FISTA's step-dependent constant {@code (t_k − 1)/t_{k+1}} of step {@code k} (0-based; 0 for k = 0). */
    public static double momentum(int k) {
        double t = 1;
        for (int i = 0; i < k; i++) t = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
        double next = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
        return (t - 1) / next;
    }

    /**
     * ADMM for the lasso split {@code x = z} (Boyd et al. 2011, §6.4): {@code x_{k+1} = M (Aᵀy + ρ(z_k − u_k))} with
     * {@code M = (AᵀA + ρI)⁻¹}, {@code z_{k+1} = soft(x_{k+1} + u_k, λ/ρ)}, {@code u_{k+1} = u_k + x_{k+1} − z_{k+1}};
     * all start at 0. Returns the {@code z_k}.
     */
    public double[][] admm(double[] y, double lambda, double rho, int iterations) {
        double[][] mInv = admmMatrix(rho);
        double[] aty = Mat.mulT(a, y);
        double[][] zs = new double[iterations + 1][];
        zs[0] = new double[n()];
        double[] u = new double[n()];
        for (int k = 0; k < iterations; k++) {
            double[] rhs = new double[n()];
            for (int i = 0; i < rhs.length; i++) rhs[i] = aty[i] + rho * (zs[k][i] - u[i]);
            double[] x = Mat.mul(mInv, rhs);
            double[] z = new double[n()];
            for (int i = 0; i < z.length; i++) {
                z[i] = Thresholds.soft(x[i] + u[i], lambda / rho);
                u[i] += x[i] - z[i];
            }
            zs[k + 1] = z;
        }
        return zs;
    }

    /** ADMM's constant {@code (AᵀA + ρI)⁻¹} ({@code n × n}), by Cholesky. */
    public double[][] admmMatrix(double rho) {
        if (!(rho > 0)) throw new IllegalArgumentException("rho must be > 0");
        RealMatrix am = new Array2DRowRealMatrix(a, false);
        RealMatrix g = am.transpose().multiply(am);
        for (int i = 0; i < n(); i++) g.addToEntry(i, i, rho);
        return new CholeskyDecomposition(g).getSolver().getInverse().getData();
    }

    private double[] gradientStep(double[] x, double[] y, double lambda) {
        double[] g = Mat.mulT(a, Mat.sub(y, Mat.mul(a, x)));
        double[] v = new double[x.length];
        for (int i = 0; i < v.length; i++) v[i] = Thresholds.soft(x[i] + g[i] / lipschitz, lambda / lipschitz);
        return v;
    }

    /** {@code ½||A x − y||² + λ||x||₁}. */
    public double objective(double[] x, double[] y, double lambda) {
        double[] r = Mat.sub(Mat.mul(a, x), y);
        double l1 = 0;
        for (double v : x) l1 += Math.abs(v);
        return 0.5 * Mat.dot(r, r) + lambda * l1;
    }

    /**
     * How far {@code x} is from the lasso's optimality conditions, with {@code g = Aᵀ(y − A x)}: {@code g_i = λ sign(x_i)}
     * where {@code x_i ≠ 0}, {@code |g_i| ≤ λ} where {@code x_i = 0}. Returns the largest violation (0 at the minimiser).
     */
    public double optimalityGap(double[] x, double[] y, double lambda) {
        double[] g = Mat.mulT(a, Mat.sub(y, Mat.mul(a, x)));
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            double v = x[i] != 0 ? Math.abs(g[i] - lambda * Math.signum(x[i])) : Math.max(0, Math.abs(g[i]) - lambda);
            worst = Math.max(worst, v);
        }
        return worst;
    }
}
