package org.edgenn.train.loop;

/** A checkpoint that cannot be read, or that was written by a different trainer or graph. */
public final class CheckpointException extends RuntimeException {
    public CheckpointException(String message) { super(message); }

    public CheckpointException(String message, Throwable cause) { super(message, cause); }
}
