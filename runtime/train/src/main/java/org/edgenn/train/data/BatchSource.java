package org.edgenn.train.data;

import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * A source of mini-batches for one epoch. Features and labels are in the order of the trainer's input and
 * label placeholder names. Implementations are deterministic in {@code (epoch, index)} so runs reproduce.
 */
public interface BatchSource {
    int batchesPerEpoch();

    MultiDataSet batch(int epoch, int index);

    /** Number of examples per epoch (for reporting); -1 if unknown. */
    default long examples() { return -1; }
}
