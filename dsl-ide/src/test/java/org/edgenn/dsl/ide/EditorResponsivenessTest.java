package org.edgenn.dsl.ide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The editor benchmark's path works on a 500-line model: every keystroke reparses and validates a changed, valid text
 * and completion offers proposals (EditorBenchmark throws otherwise). The figures are printed; the 100 ms budget is
 * judged in docs/BENCHMARKS.md from the benchmark, not here, since wall-clock assertions fail on a loaded machine.
 */
class EditorResponsivenessTest {

    @Test
    void validationAndCompletionOfA500LineModel() {
        EditorBenchmark.Result r = EditorBenchmark.measure(500, 5, 10);
        System.out.printf("editor benchmark: %d lines, keystroke (reparse + validate) median %.1f ms, completion median %.1f ms%n",
                r.lines(), r.validateMs(), r.completeMs());
        assertEquals(500, r.lines());
        assertTrue(r.validateMs() > 0 && r.completeMs() > 0, "both measured");
    }
}
