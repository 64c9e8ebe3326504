package org.edgenn.train.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Progress in a log (not a terminal): a line every N seconds of training, one per epoch, never a {@code \r}. */
class ConsoleProgressTest {
    private long now;

    private Progress at(int epoch, int batch, double elapsed) {
        return new Progress(epoch, 2, batch, 100, 0.5, "nmse_db", Double.NaN, elapsed, 200 - elapsed);
    }

    @Test
    void aLogGetsALineEveryIntervalAndOnePerEpoch() {
        StringWriter text = new StringWriter();
        ConsoleProgress p = new ConsoleProgress(new PrintWriter(text), 30, false, 10, () -> now);
        // one step per second: 100 steps per epoch, two epochs
        for (int e = 1; e <= 2; e++) {
            for (int b = 1; b <= 100; b++) {
                now = ((e - 1) * 100L + b) * 1_000_000_000L;
                p.onBatch(at(e, b, (e - 1) * 100 + b));
            }
            p.onEpochEnd(new Progress.EpochRecord(e, 0.25, "nmse_db", -3.5, 100));
        }
        p.finish();
        List<String> lines = text.toString().lines().toList();
        assertFalse(text.toString().contains("\r"), "no carriage returns in a log");
        // 9 interval lines per epoch (at 10, 20, ..., 90 s of it; the epoch's last batch is the epoch line) + 1 epoch line
        assertEquals(20, lines.size(), lines.toString());
        assertEquals("epoch 1/2 step 10/100 (10 %) loss 0.50000 elapsed 00:10 ETA 03:10, 1.00 s/step", lines.get(0));
        assertTrue(lines.get(9).startsWith("epoch 1/2 [") && lines.get(9).contains("100/100 loss 0.25000 nmse_db -3.5000"), lines.get(9));
        assertTrue(lines.get(9).endsWith("100.0 s"), lines.get(9));
        assertTrue(lines.get(10).startsWith("epoch 2/2 step 10/100"), "the interval restarts after the epoch line: " + lines.get(10));
    }

    @Test
    void aSlowFirstStepIsReportedOnceItEnds() {
        StringWriter text = new StringWriter();
        ConsoleProgress p = new ConsoleProgress(new PrintWriter(text), 30, false, 30, () -> now);
        now = 95_000_000_000L;   // the first step took 95 s (e.g. a large convolutional network)
        p.onBatch(at(1, 1, 95));
        assertEquals("epoch 1/2 step 1/100 (1 %) loss 0.50000 elapsed 01:35 ETA 01:45, 95.0 s/step", text.toString().strip());
    }

    @Test
    void aTerminalGetsOneRedrawnBar() {
        StringWriter text = new StringWriter();
        ConsoleProgress p = new ConsoleProgress(new PrintWriter(text), 10, true, 30, () -> now);
        for (int b = 1; b <= 100; b++) {
            now = b * 1_000_000L;   // 1 ms per step: redrawn at most every 100 ms
            p.onBatch(new Progress(1, 1, b, 100, 0.5, "acc", Double.NaN, b / 1000.0, 0));
        }
        String s = text.toString();
        assertEquals(2, s.chars().filter(c -> c == '\r').count(), "first draw and the epoch's last batch: " + s);
        assertFalse(s.contains("\n"));
        p.finish();
        assertTrue(text.toString().endsWith("\n"));
    }

    @Test
    void aNonPositiveIntervalIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new ConsoleProgress(new PrintWriter(new StringWriter()), 30, false, 0, () -> 0));
    }
}
