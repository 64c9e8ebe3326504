package org.edgenn.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.edgenn.generator.mapping.ProgressListener;

/**
 * A one-line progress bar on the error stream: redrawn in place on a terminal, one line per step
 * otherwise (logs and CI), throttled so that progress never slows the work it reports.
 */
final class Progress implements ProgressListener {
    private static final long REDRAW_NANOS = 100_000_000L;
    private final PrintWriter err;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private long lastDraw;
    private int lastLayer = -1;

    Progress(PrintWriter err) {
        this.err = err;
        this.terminal = System.console() != null;
    }

    @Override
    public synchronized void onProgress(SearchProgress p) {
        long now = System.nanoTime();
        boolean newLayer = p.layerIndex() != lastLayer;
        if (!terminal && !newLayer) {
            return;
        }
        if (terminal && !newLayer && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        lastLayer = p.layerIndex();
        double done = (p.layerIndex() + p.layerFraction()) / Math.max(1, p.layerCount());
        int width = 30;
        int filled = (int) Math.round(done * width);
        String line = String.format(Locale.ROOT, "mapping [%s%s] %3.0f%%  layer %d/%d %-24s %,d mappings  %.1f s",
                "#".repeat(filled), ".".repeat(width - filled), 100 * done, p.layerIndex() + 1, p.layerCount(),
                p.layer(), p.evaluated(), (now - start) / 1e9);
        if (terminal) {
            err.print("\r" + line);
        } else {
            err.println(line);
        }
        err.flush();
    }

    void finish() {
        if (terminal && lastLayer >= 0) {
            err.println();
            err.flush();
        }
    }
}
