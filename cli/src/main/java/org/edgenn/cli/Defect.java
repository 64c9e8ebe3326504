package org.edgenn.cli;

/**
 * A defect inside a stage of the command line (a generated class that fails unexpectedly, a reflective call that
 * cannot happen): not bad input, so not part of the stage's value. {@link EdgeNN}'s handler reports the cause as an
 * internal error, exactly as if the command had thrown it.
 */
final class Defect extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Defect(Exception cause) {
        super(cause);
    }
}
