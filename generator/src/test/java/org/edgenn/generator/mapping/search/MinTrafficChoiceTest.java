package org.edgenn.generator.mapping.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The closed-form choice of ZigZag's allocator equals the enumeration of every combination (the rule as LOMA
 * states it) on random levels: one to three operands, growing tile bytes with repeats (equal tiles), traffic drawn
 * from a few values so that exact ties and ties within the 1e-12 tolerance occur, capacities from "nothing fits"
 * to "everything fits", and bytes that do not grow (the enumeration's own path).
 */
class MinTrafficChoiceTest {

    @Test
    void equalsTheEnumerationOnRandomLevels() {
        SplittableRandom rnd = new SplittableRandom(7);
        int nonTrivial = 0;
        int noFit = 0;
        for (int round = 0; round < 20_000; round++) {
            int m = 1 + rnd.nextInt(3);
            double[][] bytes = new double[m][];
            double[][] traffic = new double[m][];
            double most = 0;
            for (int i = 0; i < m; i++) {
                int n = 1 + rnd.nextInt(9);
                bytes[i] = new double[n];
                traffic[i] = new double[n];
                double b = 1 + rnd.nextInt(64);
                for (int j = 0; j < n; j++) {
                    b += rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(1, 200) * (rnd.nextBoolean() ? 0.5 : 1);
                    bytes[i][j] = b;
                    traffic[i][j] = traffic(rnd);
                }
                if (round % 10 == 0 && n > 1) {   // bytes that shrink somewhere: the enumeration's path
                    bytes[i][rnd.nextInt(1, n)] = 0.25;
                }
                most += bytes[i][n - 1];
            }
            long size = (long) (rnd.nextDouble() * most * 1.1);
            int[] fast = MinTrafficChoice.choose(bytes, traffic, size);
            int[] plain = MinTrafficChoice.chooseByEnumeration(bytes, traffic, size);
            assertArrayEquals(plain, fast, () -> "bytes " + Arrays.deepToString(bytes) + " traffic "
                    + Arrays.deepToString(traffic) + " size " + size);
            if (Arrays.stream(plain).anyMatch(j -> j > 0)) {
                nonTrivial++;
            }
            double least = 0;
            for (double[] b : bytes) {
                least += b[0];
            }
            if (least > size) {
                noFit++;
            }
        }
        // the cases that matter occurred: choices beyond the first cuts, and levels where nothing fits
        assertTrue(nonTrivial > 5_000, "non-trivial choices: " + nonTrivial);
        assertTrue(noFit > 100, "levels where nothing fits: " + noFit);
    }

    /**
     * Traffic that never grows with the cut (what a tile's bytes over the iterations under it usually give), with ties,
     * and capacities around the largest cuts' total: the shortcut for a level that holds every operand's largest cut
     * takes the same choice as the enumeration, and so does the general path when they do not fit together.
     */
    @Test
    void equalsTheEnumerationWhenTrafficFallsWithTheCut() {
        SplittableRandom rnd = new SplittableRandom(11);
        int whole = 0;
        int partial = 0;
        for (int round = 0; round < 20_000; round++) {
            int m = 1 + rnd.nextInt(3);
            double[][] bytes = new double[m][];
            double[][] traffic = new double[m][];
            double most = 0;
            for (int i = 0; i < m; i++) {
                int n = 1 + rnd.nextInt(9);
                bytes[i] = new double[n];
                traffic[i] = new double[n];
                double b = 1 + rnd.nextInt(64);
                double t = 1 + rnd.nextInt(1000);
                for (int j = 0; j < n; j++) {
                    b += rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(1, 200);
                    t = rnd.nextInt(3) == 0 ? t : rnd.nextBoolean() ? t * (1 - 1e-13) : t / (1 + rnd.nextInt(4));
                    bytes[i][j] = b;
                    traffic[i][j] = t;
                }
                if (round % 7 == 0 && n > 1) {   // traffic that rises somewhere: the general path
                    traffic[i][rnd.nextInt(1, n)] = 5000;
                }
                most += bytes[i][n - 1];
            }
            long size = (long) (most * (0.8 + 0.4 * rnd.nextDouble()));
            int[] fast = MinTrafficChoice.choose(bytes, traffic, size);
            int[] plain = MinTrafficChoice.chooseByEnumeration(bytes, traffic, size);
            assertArrayEquals(plain, fast, () -> "bytes " + Arrays.deepToString(bytes) + " traffic "
                    + Arrays.deepToString(traffic) + " size " + size);
            if (most <= size) {
                whole++;
            } else {
                partial++;
            }
        }
        assertTrue(whole > 5_000 && partial > 5_000, "largest cuts fitting together: " + whole + ", not: " + partial);
    }

    /** Few distinct values (exact ties), some nudged by less than the tolerance (ties within 1e-12), some not. */
    private static double traffic(SplittableRandom rnd) {
        double v = 1 + rnd.nextInt(6) * 0.1;
        switch (rnd.nextInt(4)) {
            case 0: return v * (1 + 1e-13);
            case 1: return v * (1 - 1e-13);
            case 2: return v * (1 + 1e-9);
            default: return v;
        }
    }
}
