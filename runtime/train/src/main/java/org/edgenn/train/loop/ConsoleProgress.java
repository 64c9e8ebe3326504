package org.edgenn.train.loop;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress as text. On a terminal: a one-line bar ({@code \r}-updated, at most every 250 ms) with loss, metric and
 * ETA. Otherwise (a log file, a pipe, CI): plain lines only, one per phase, epoch and stage, plus a batch line at
 * most every 30 s, so that a log shows where a long run is without carriage-return clutter.
 */
public final class ConsoleProgress implements Progress.Listener {
    private final PrintStream out;
    private final int width;
    private final boolean interactive;
    private long lastPrint;
    private boolean barShown;

    public ConsoleProgress(PrintStream out, int width) {
        this(out, width, true);
    }

    public ConsoleProgress(PrintStream out, int width, boolean interactive) {
        this.out = out;
        this.width = width;
        this.interactive = interactive;
        this.lastPrint = interactive ? 0 : System.nanoTime();
    }

    /** Standard output, with the bar only when it is a terminal. */
    public static ConsoleProgress stdout() {
        return new ConsoleProgress(System.out, 30, System.console() != null);
    }

    @Override public void onBatch(Progress p) {
        long now = System.nanoTime();
        if (interactive) {
            if (p.batch() != p.batches() && now - lastPrint < 250_000_000L) return;
            lastPrint = now;
            out.print('\r' + line(p, width));
            barShown = true;
        } else {
            if (now - lastPrint < 30_000_000_000L) return;
            lastPrint = now;
            out.println(plainLine(p));
        }
        out.flush();
    }

    @Override public void onEpochEnd(Progress.EpochRecord r) {
        out.println((barShown ? System.lineSeparator() : "") + String.format(Locale.ROOT, " epoch %d: loss %.6g%s, %.1f s", r.epoch(), r.meanLoss(),
                Double.isNaN(r.metric()) ? "" : String.format(Locale.ROOT, ", %s %.4f", r.metricName(), r.metric()), r.seconds()));
        barShown = false;
        out.flush();
    }

    @Override public void onPhaseStart(Progress.PhaseInfo p) {
        out.println(phaseLine(p));
        out.flush();
    }

    @Override public void onStageEnd(Progress.StageRecord r) {
        out.println(stageLine(r));
        out.flush();
    }

    /** {@code stage 3/16 (x_2) phase 2/3: lr 0.0001, 6 variables, <= 20000 steps, better wait 1000}. */
    public static String phaseLine(Progress.PhaseInfo p) {
        return String.format(Locale.ROOT, "stage %d/%d (%s) phase %d/%d: lr %.3g, %d variable%s, <= %d steps%s", p.stage(), p.stages(),
                p.output(), p.phase(), p.phases(), p.lr(), p.variables(), p.variables() == 1 ? "" : "s", p.maxSteps(),
                p.betterWait() > 0 ? ", better wait " + p.betterWait() : "");
    }

    /** {@code stage 3/16 (x_2): nmse_db -12.3000 (34 s)}. */
    public static String stageLine(Progress.StageRecord r) {
        return String.format(Locale.ROOT, "stage %d/%d (%s): %s (%.0f s)", r.stage(), r.stages(), r.output(),
                Double.isNaN(r.metric()) ? String.format(Locale.ROOT, "loss %.6g", r.meanLoss())
                        : String.format(Locale.ROOT, "%s %.4f", r.metricName(), r.metric()), r.seconds());
    }

    /** Renders a progress line such as {@code epoch 2/10 [=======>      ] 120/937 loss 0.1234 acc 0.9100 ETA 02:13}. */
    public static String line(Progress p, int width) {
        int filled = (int) Math.round((double) p.batch() / p.batches() * width);
        StringBuilder bar = new StringBuilder("[");
        for (int i = 0; i < width; i++) bar.append(i < filled - 1 ? '=' : i == filled - 1 ? '>' : ' ');
        bar.append(']');
        String metric = Double.isNaN(p.metric()) ? "" : String.format(Locale.ROOT, " %s %.4f", p.metricName(), p.metric());
        return String.format(Locale.ROOT, "epoch %d/%d %s %d/%d loss %.5g%s ETA %s", p.epoch(), p.epochs(), bar,
                p.batch(), p.batches(), p.loss(), metric, hms(p.etaSeconds()));
    }

    /** The same without the bar, for logs: {@code epoch 2/10 batch 120/937 loss 0.1234 ETA 02:13}. */
    public static String plainLine(Progress p) {
        return String.format(Locale.ROOT, "epoch %d/%d batch %d/%d loss %.5g ETA %s", p.epoch(), p.epochs(), p.batch(), p.batches(),
                p.loss(), hms(p.etaSeconds()));
    }

    static String hms(double s) {
        if (!Double.isFinite(s)) return "--:--";
        long t = Math.round(s);
        return t >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", t / 3600, (t / 60) % 60, t % 60)
                : String.format(Locale.ROOT, "%02d:%02d", t / 60, t % 60);
    }
}
