package org.edgenn.generator.pipeline;

/**
 * One named step of the generation pipeline (check → train → map → generate → verify → report): a value in, a value
 * out, no side channel. Bad input is part of the value (a typed "unsupported" outcome, a diagnostic), never an
 * exception the caller has to catch by type.
 */
public interface Stage<I, O> {

    /** The stage's name in progress messages and reports ({@code map}, {@code generate}). */
    String name();

    O run(I input);
}
