package org.edgenn.train.data;

/** A {@code .npy} file that is truncated, has a bad magic string or header, or an unsupported dtype. */
public class NpyFormatException extends DataException {
    public NpyFormatException(String message) { super(message); }
}
