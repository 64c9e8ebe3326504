package org.edgenn.runtime.artifact;

import java.io.IOException;

/** A model artifact that is not a valid safetensors file (or violates this reader's limits). The message says what and where. */
public class ArtifactFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public ArtifactFormatException(String message) {
        super(message);
    }

    public ArtifactFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
