package org.edgenn.train.data;

import org.nd4j.linalg.dataset.api.MultiDataSet;

/** Views of batch sources used by generated trainers. */
public final class Batches {
    private Batches() {}

    /**
     * At most {@code batches} batches per epoch of {@code source}: the first ones, unchanged. The source itself when
     * {@code batches <= 0} (no limit) or when it holds no more than that.
     */
    public static BatchSource limit(BatchSource source, int batches) {
        if (batches <= 0 || batches >= source.batchesPerEpoch()) return source;
        return new BatchSource() {
            @Override public int batchesPerEpoch() { return batches; }
            @Override public MultiDataSet batch(int epoch, int index) { return source.batch(epoch, index); }
        };
    }
}
