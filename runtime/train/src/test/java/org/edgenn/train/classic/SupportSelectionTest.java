package org.edgenn.train.classic;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class SupportSelectionTest {
    /** Brute force: entry i bypasses iff |v_i| > θ and fewer than c entries rank above it (larger, or equal with a lower index). */
    private static double[] bruteForce(double[] v, double theta, double percent) {
        int c = (int) Math.floor(percent * v.length / 100.0 + 1e-9);
        double[] o = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            int above = 0;
            for (int j = 0; j < v.length; j++)
                if (Math.abs(v[j]) > Math.abs(v[i]) || (Math.abs(v[j]) == Math.abs(v[i]) && j < i)) above++;
            boolean bypass = above < c && Math.abs(v[i]) > theta;
            double soft = Math.signum(v[i]) * Math.max(Math.abs(v[i]) - theta, 0);
            o[i] = bypass ? v[i] : soft;
        }
        return o;
    }

    @Test
    void equalsBruteForceOnRandomAndTiedVectors() {
        Random r = new Random(11);
        for (int t = 0; t < 300; t++) {
            int n = 1 + r.nextInt(60);
            double[] v = new double[n];
            // quantised values so that magnitude ties (and ±equal values) occur often
            for (int i = 0; i < n; i++) v[i] = (r.nextInt(21) - 10) / 4.0;
            double theta = r.nextInt(8) / 4.0;
            double p = r.nextInt(101);
            assertArrayEquals(bruteForce(v, theta, p), SupportSelection.apply(v, theta, p), 0.0, "trial " + t);
        }
    }

    @Test
    void edgeCasesAndSchedule() {
        double[] v = {3, -2, 0.5, -4};
        assertArrayEquals(new double[] {2, -1, 0, -3}, SupportSelection.apply(v, 1, 0), 0.0, "p = 0: plain soft threshold");
        assertArrayEquals(new double[] {3, -2, 0, -4}, SupportSelection.apply(v, 1, 100), 0.0, "p = 100: hard threshold");
        assertArrayEquals(new double[] {2, -1, 0, -4}, SupportSelection.apply(v, 1, 25), 0.0, "one of four: the largest, -4");
        assertEquals(6, SupportSelection.count(500, 1.2));
        assertEquals(65, SupportSelection.count(500, 13));
        assertEquals(1.2 * 3, SupportSelection.schedule(1.2, 13, 2), 1e-12);
        assertEquals(13, SupportSelection.schedule(1.2, 13, 15), 0.0);
        assertThrows(IllegalArgumentException.class, () -> SupportSelection.count(10, 101));
    }
}
