package org.edgenn.train.sd;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The top-magnitude indicator against a brute-force selection (repeated largest pick, ties by the lower index). */
class SupportSelectTest {

    @Test
    void indicatorPicksTheLargestMagnitudesWithTiesByLowerIndex() {
        Random r = new Random(4);
        int rows = 40, n = 23;
        float[] x = new float[rows * n];
        // few distinct magnitudes with both signs, so that ties at the cut are common
        for (int i = 0; i < x.length; i++) x[i] = (r.nextInt(5) - 2) * 0.5f;
        INDArray v = Nd4j.create(x, new long[] {rows, n}, 'c');
        for (int count : new int[] {0, 1, 3, 7, 23, 30}) {
            float[] got = SupportSelect.topIndicator(v, count).data().asFloat();
            for (int row = 0; row < rows; row++) {
                boolean[] picked = new boolean[n];
                for (int c = 0; c < Math.min(count, n); c++) {
                    int best = -1;
                    for (int i = 0; i < n; i++)
                        if (!picked[i] && (best < 0 || Math.abs(x[row * n + i]) > Math.abs(x[row * n + best]))) best = i;
                    picked[best] = true;
                }
                for (int i = 0; i < n; i++)
                    assertEquals(picked[i] ? 1f : 0f, got[row * n + i], "count " + count + " row " + row + " entry " + i);
            }
        }
    }

    @Test
    void selectionEqualsSorting() {
        Random r = new Random(9);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + r.nextInt(60);
            float[] a = new float[n];
            for (int i = 0; i < n; i++) a[i] = trial % 2 == 0 ? r.nextInt(4) : (float) r.nextGaussian();
            float[] sorted = a.clone();
            java.util.Arrays.sort(sorted);
            int k = r.nextInt(n);
            assertEquals(sorted[k], SupportSelect.kthSmallest(a.clone(), k), "n " + n + " k " + k);
        }
    }
}
