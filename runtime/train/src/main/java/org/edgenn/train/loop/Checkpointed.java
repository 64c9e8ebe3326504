package org.edgenn.train.loop;

/**
 * Training state held outside the graph's arrays (an activation observer's range, a pruning mask's sparsity, the
 * best point of a stage-wise phase) that an epoch checkpoint must carry, so that a run killed and resumed
 * ({@code edgenn train --resume}) ends with the same values, bit for bit, as one never interrupted.
 * <p>{@link RunCheckpoints} saves every {@link GraphHooks} hook of the graph and every progress listener of the
 * {@link Trainer} that implements this.
 */
public interface Checkpointed {
    /** A name unique among the state holders of one graph and trainer (e.g. {@code observer:x_q}). */
    String checkpointKey();

    /** Writes the state into {@code s} (scalars exactly, arrays copied). */
    void saveState(CheckpointState s);

    /** Sets the state back from what {@link #saveState} wrote. */
    void restoreState(CheckpointState s);
}
