package org.edgenn.dsl.ide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The editor budget: on a 500-line model, a keystroke's validation and a completion stay well under 100 ms. */
class EditorResponsivenessTest {

    @Test
    void validationAndCompletionOfA500LineModel() {
        EditorBenchmark.Result r = EditorBenchmark.measure(500, 30, 30);
        System.out.printf("editor benchmark: %d lines, keystroke (reparse + validate) median %.1f ms, completion median %.1f ms%n",
                r.lines(), r.validateMs(), r.completeMs());
        assertEquals(500, r.lines());
        // medians after warm-up; the typical figures (docs/BENCHMARKS.md) are far below, the margin absorbs a busy machine
        assertTrue(r.validateMs() < 100, "validation median " + r.validateMs() + " ms");
        assertTrue(r.completeMs() < 100, "completion median " + r.completeMs() + " ms");
    }
}
