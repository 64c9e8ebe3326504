package org.edgenn.generator.training;

/**
 * A network the generated trainer cannot train (no input, an unknown or nested teacher, an op without trainer
 * code): the generation pipeline reports it as a typed "unsupported" result with this reason.
 */
public final class UnsupportedTrainingException extends IllegalArgumentException {
    public UnsupportedTrainingException(String reason) {
        super(reason);
    }
}
