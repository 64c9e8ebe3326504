package org.edgenn.train.classic;

/** The proximal maps of the l1 norm (soft) and the l0 "norm" (hard), element-wise. */
public final class Thresholds {
    private Thresholds() {}

    /** {@code sign(v) max(|v| − θ, 0)}. */
    public static double soft(double v, double theta) {
        return v > theta ? v - theta : v < -theta ? v + theta : 0;
    }

    /** {@code v} where {@code |v| > θ}, else 0. */
    public static double hard(double v, double theta) {
        return Math.abs(v) > theta ? v : 0;
    }

    public static double[] soft(double[] v, double theta) {
        double[] o = new double[v.length];
        for (int i = 0; i < v.length; i++) o[i] = soft(v[i], theta);
        return o;
    }
}
