package org.edgenn.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress of a counted step (verified examples, simulated layers) on the error stream: a bar redrawn in place on a
 * terminal, otherwise one line at every tenth of the work (logs and CI stay short). Throttled like {@link Progress}.
 */
final class StepProgress {
    private static final long REDRAW_NANOS = 100_000_000L;
    private final PrintWriter err;
    private final String step;
    private final boolean terminal = System.console() != null;
    private final long start = System.nanoTime();
    private long lastDraw;
    private int lastTenth = -1;
    private boolean drawn;

    StepProgress(PrintWriter err, String step) {
        this.err = err;
        this.step = step;
    }

    synchronized void update(int done, int total, String detail) {
        long now = System.nanoTime();
        int tenth = total == 0 ? 10 : 10 * done / total;
        boolean last = done == total;
        if (terminal ? !last && now - lastDraw < REDRAW_NANOS : tenth == lastTenth) {
            return;
        }
        lastDraw = now;
        lastTenth = tenth;
        int width = 30;
        int filled = total == 0 ? width : (int) ((long) width * done / total);
        String line = String.format(Locale.ROOT, "%s [%s%s] %d/%d %-28s %.1f s", step, "#".repeat(filled),
                ".".repeat(width - filled), done, total, detail, (now - start) / 1e9);
        if (terminal) {
            err.print("\r" + line);
            drawn = true;
        } else {
            err.println(line);
        }
        err.flush();
    }

    void finish() {
        if (terminal && drawn) {
            err.println();
            err.flush();
            drawn = false;
        }
    }
}
