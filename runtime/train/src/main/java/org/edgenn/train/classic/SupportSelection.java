package org.edgenn.train.classic;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Support selection of LISTA-SS / LISTA-CPSS (Chen et al. 2018): in each sample, the entries among the largest
 * {@code p %} magnitudes that also exceed the threshold are trusted to be in the support and pass unchanged; every
 * other entry is soft-thresholded. Here {@code p} is a percentage of the vector length, the count is
 * {@code floor(p · n / 100)}, and magnitude ties are broken by the lower index (so that the int8 kernel and the
 * hardware model can select the same entries bit for bit).
 */
public final class SupportSelection {
    private SupportSelection() {}

    /** The number of entries that may bypass the threshold in a vector of length {@code n} at {@code percent} %. */
    public static int count(int n, double percent) {
        if (!(percent >= 0 && percent <= 100)) throw new IllegalArgumentException("percent must be in [0, 100], got " + percent);
        return (int) Math.floor(percent * n / 100.0 + 1e-9);
    }

    /** The per-step schedule of the papers: {@code min(p · (k + 1), pMax)} for step {@code k} (0-based). */
    public static double schedule(double p, double pMax, int k) {
        return Math.min(p * (k + 1), pMax);
    }

    /** Which entries of {@code v} bypass the threshold {@code theta}. */
    public static boolean[] selected(double[] v, double theta, double percent) {
        int c = count(v.length, percent);
        Integer[] order = new Integer[v.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -Math.abs(v[i])).thenComparingInt(i -> i));
        boolean[] sel = new boolean[v.length];
        for (int r = 0; r < c; r++) {
            int i = order[r];
            if (Math.abs(v[i]) > theta) sel[i] = true;
        }
        return sel;
    }

    /** The support-selecting shrinkage {@code ss_θ^p(v)}. */
    public static double[] apply(double[] v, double theta, double percent) {
        boolean[] sel = selected(v, theta, percent);
        double[] o = new double[v.length];
        for (int i = 0; i < v.length; i++) o[i] = sel[i] ? v[i] : Thresholds.soft(v[i], theta);
        return o;
    }
}
