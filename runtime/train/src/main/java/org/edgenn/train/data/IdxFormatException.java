package org.edgenn.train.data;

/** An IDX file that is truncated, has a bad magic number / type code, or trailing garbage. */
public class IdxFormatException extends DataException {
    public IdxFormatException(String message) { super(message); }
    public IdxFormatException(String message, Throwable cause) { super(message, cause); }
}
