package org.edgenn.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The exactness bound shared by the float-summing kernels, against brute force over every input and order. */
class ExactSumsTest {
    /** Largest |partial sum| over every input vector in {lo, 0, hi}^n (a linear sum is extreme at the box corners) and every subset of terms. */
    private static long bruteForce(int[] c, int lo, int hi) {
        int n = c.length;
        long worst = 0;
        int[] pick = {lo, 0, hi};
        int combos = (int) Math.pow(3, n);
        for (int code = 0; code < combos; code++) {
            int[] x = new int[n];
            for (int i = 0, v = code; i < n; i++, v /= 3) x[i] = pick[v % 3];
            for (int subset = 0; subset < 1 << n; subset++) {
                long sum = 0;
                for (int i = 0; i < n; i++) if ((subset >> i & 1) != 0) sum += (long) x[i] * c[i];
                worst = Math.max(worst, Math.abs(sum));
            }
        }
        return worst;
    }

    @Test
    void boundIsTheLargestPartialSumOverEveryInput() {
        Random r = new Random(5);
        for (int t = 0; t < 300; t++) {
            int n = 1 + r.nextInt(6);
            int[] c = new int[n];
            byte[] b = new byte[n];
            for (int i = 0; i < n; i++) {
                b[i] = (byte) (r.nextInt(256) - 128);
                c[i] = t % 2 == 0 ? b[i] : r.nextInt(2305) - 1152;
            }
            int lo = -r.nextInt(600), hi = r.nextInt(600);
            assertEquals(bruteForce(c, lo, hi), ExactSums.bound(c, 0, n, lo, hi), "coefficients " + java.util.Arrays.toString(c));
            for (int i = 0; i < n; i++) c[i] = b[i];
            assertEquals(bruteForce(c, 0, 255), ExactSums.bound(b, 0, n, 0, 255));
        }
        assertThrows(IllegalArgumentException.class, () -> ExactSums.bound(new int[] {1}, 0, 1, 1, 5));
    }

    @Test
    void equalSlicesIsTheFewestThatFit() {
        // channel i weighs i + 1; a slice fits when its weight is at most the limit
        for (int channels = 1; channels <= 40; channels++)
            for (long limit = 1; limit <= 900; limit += 7) {
                final long lim = limit;
                ExactSums.SliceFit fit = (c0, cw) -> (long) cw * (2L * c0 + cw + 1) / 2 <= lim;
                int expect = 0;
                for (int n = 1; n <= ExactSums.MAX_SLICES && n <= channels && expect == 0; n++) {
                    boolean ok = true;
                    for (int j = 0; j < n; j++) {
                        int c0 = channels * j / n, c1 = channels * (j + 1) / n;
                        long w = 0;
                        for (int c = c0; c < c1; c++) w += c + 1;
                        ok &= w <= lim;
                    }
                    if (ok) expect = n;
                }
                assertEquals(expect, ExactSums.equalSlices(channels, ExactSums.MAX_SLICES, fit), channels + " channels, limit " + limit);
            }
    }
}
