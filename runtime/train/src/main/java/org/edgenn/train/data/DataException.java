package org.edgenn.train.data;

/** A data path, format or shape problem, reported before training starts. */
public class DataException extends RuntimeException {
    public DataException(String message) { super(message); }
    public DataException(String message, Throwable cause) { super(message, cause); }
}
