package org.edgenn.train.data;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Random;

/**
 * In-memory examples (first axis = example) served in mini-batches, reshuffled every epoch with a seeded
 * permutation ({@code shuffle = false}: fixed order, the last partial batch included).
 */
public final class ArrayBatches implements BatchSource {
    private final INDArray[] features;
    private final INDArray[] labels;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final long n;
    private int permEpoch = Integer.MIN_VALUE;
    private INDArray perm;

    public ArrayBatches(INDArray[] features, INDArray[] labels, int batchSize, boolean shuffle, long seed) {
        if (features.length == 0) throw new IllegalArgumentException("need at least one feature array");
        this.n = features[0].size(0);
        for (INDArray a : features) check(a);
        for (INDArray a : labels) check(a);
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1");
        this.features = features;
        this.labels = labels;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.seed = seed;
    }

    public static ArrayBatches of(INDArray features, INDArray labels, int batchSize, boolean shuffle, long seed) {
        return new ArrayBatches(new INDArray[] {features}, labels == null ? new INDArray[0] : new INDArray[] {labels},
                batchSize, shuffle, seed);
    }

    private void check(INDArray a) {
        if (a.size(0) != n)
            throw new IllegalArgumentException("all arrays need " + n + " examples along axis 0, got shape "
                    + java.util.Arrays.toString(a.shape()));
    }

    @Override public int batchesPerEpoch() {
        return (int) (shuffle ? n / batchSize : (n + batchSize - 1) / batchSize);
    }

    @Override public long examples() { return n; }

    @Override public synchronized MultiDataSet batch(int epoch, int index) {
        long from = (long) index * batchSize;
        long to = Math.min(n, from + batchSize);
        if (!shuffle) {
            return new org.nd4j.linalg.dataset.MultiDataSet(slice(features, from, to), slice(labels, from, to));
        }
        if (permEpoch != epoch) {
            int[] p = new int[(int) n];
            for (int i = 0; i < p.length; i++) p[i] = i;
            Random r = new Random(seed * 1_000_003L + epoch);
            for (int i = p.length - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = p[i]; p[i] = p[j]; p[j] = t;
            }
            perm = Nd4j.createFromArray(p);
            permEpoch = epoch;
        }
        INDArray idx = perm.get(NDArrayIndex.interval(from, to));
        return new org.nd4j.linalg.dataset.MultiDataSet(gather(features, idx), gather(labels, idx));
    }

    private static INDArray[] slice(INDArray[] a, long from, long to) {
        INDArray[] out = new INDArray[a.length];
        for (int i = 0; i < a.length; i++) out[i] = a[i].get(NDArrayIndex.interval(from, to)).dup();
        return out;
    }

    private static INDArray[] gather(INDArray[] a, INDArray idx) {
        INDArray[] out = new INDArray[a.length];
        for (int i = 0; i < a.length; i++) out[i] = Nd4j.pullRows(a[i].reshape(a[i].size(0), -1), 1, idx.toIntVector())
                .reshape(shapeWithBatch(a[i].shape(), idx.length()));
        return out;
    }

    private static long[] shapeWithBatch(long[] shape, long b) {
        long[] s = shape.clone();
        s[0] = b;
        return s;
    }
}
