package org.edgenn.train.loop;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Text progress in two modes. On a terminal: one bar redrawn in place ({@code \r}, at most every 100 ms) with loss,
 * metric and ETA, and a line per epoch and per stage. Elsewhere (a CI log, {@code nohup}, a pipe), where {@code \r}
 * redraws pile up into one endless line or never flush: a plain line every {@code logEverySeconds} (steps, step time,
 * loss, metric, elapsed, ETA) plus the line per epoch and per stage, so a long epoch is never silent.
 */
public final class ConsoleProgress implements Progress.Listener {
    /** Seconds between two progress lines when the output is not a terminal. */
    public static final double DEFAULT_LOG_SECONDS = 30;

    private final PrintWriter out;
    private final int width;
    private final boolean terminal;
    private final long logEveryNanos;
    private final LongSupplier clock;
    private long lastDraw = Long.MIN_VALUE;
    private long lastLog;
    private boolean started;
    private boolean drawn;
    private Progress last;

    /** Full control (tests pass a fake clock in nanoseconds). */
    public ConsoleProgress(PrintWriter out, int width, boolean terminal, double logEverySeconds, LongSupplier clock) {
        if (!(logEverySeconds > 0)) throw new IllegalArgumentException("log interval must be > 0 s, got " + logEverySeconds);
        this.out = out;
        this.width = width;
        this.terminal = terminal;
        this.logEveryNanos = (long) (logEverySeconds * 1e9);
        this.clock = clock;
    }

    public ConsoleProgress(PrintWriter out, boolean terminal) {
        this(out, 30, terminal, DEFAULT_LOG_SECONDS, System::nanoTime);
    }

    /** On a stream: a bar when the JVM has a terminal, log lines every 30 s otherwise. */
    public ConsoleProgress(PrintStream out, int width) {
        this(new PrintWriter(out, true), width, isTerminal(), DEFAULT_LOG_SECONDS, System::nanoTime);
    }

    public static ConsoleProgress stdout() {
        return new ConsoleProgress(System.out, 30);
    }

    /** Whether the JVM's standard streams are a terminal (false under CI, {@code nohup} or a pipe). */
    public static boolean isTerminal() {
        return System.console() != null;
    }

    @Override public synchronized void onBatch(Progress p) {
        long now = clock.getAsLong();
        if (!started) {
            started = true;
            lastLog = now - (long) (p.elapsedSeconds() * 1e9);   // the interval counts from the start of training
        }
        last = p;
        if (terminal) {
            boolean end = p.batch() == p.batches();
            if (!end && lastDraw != Long.MIN_VALUE && now - lastDraw < 100_000_000L) return;
            lastDraw = now;
            drawn = true;
            out.print('\r' + line(p, width));
            out.flush();
        } else if (now - lastLog >= logEveryNanos && p.batch() < p.batches()) {
            // the last batch of an epoch is reported by onEpochEnd, with its metric
            lastLog = now;
            out.println(logLine(p));
            out.flush();
        }
    }

    @Override public synchronized void onEpochEnd(Progress.EpochRecord r) {
        // the epoch's bar again, now with the held-out metric of this epoch
        Progress p = last == null ? null : new Progress(last.epoch(), last.epochs(), last.batch(), last.batches(), r.meanLoss(),
                r.metricName(), r.metric(), last.elapsedSeconds(), last.etaSeconds());
        String line = (p == null ? "epoch " + r.epoch() : line(p, width)) + String.format(Locale.ROOT, "  %.1f s", r.seconds());
        out.println(terminal ? "\r" + line : line);
        drawn = false;
        lastLog = clock.getAsLong();
        out.flush();
    }

    @Override public synchronized void onStageEnd(Progress.StageRecord r) {
        out.println(terminal ? "\r" + stageLine(r) : stageLine(r));
        drawn = false;
        lastLog = clock.getAsLong();
        out.flush();
    }

    @Override public synchronized void onPhaseStart(Progress.PhaseInfo p) {
        out.println(terminal && drawn ? "\r" + phaseLine(p) : phaseLine(p));
        drawn = false;
        lastLog = clock.getAsLong();
        out.flush();
    }

    /** {@code stage 3/16 (x_2) phase 2/3: lr 0.000100, 6 variables, <= 20000 steps, better wait 1000}. */
    public static String phaseLine(Progress.PhaseInfo p) {
        return String.format(Locale.ROOT, "stage %d/%d (%s) phase %d/%d: lr %.3g, %d variable%s, <= %d steps%s", p.stage(), p.stages(),
                p.output(), p.phase(), p.phases(), p.lr(), p.variables(), p.variables() == 1 ? "" : "s", p.maxSteps(),
                p.betterWait() > 0 ? ", better wait " + p.betterWait() : "");
    }

    /** Ends a bar left open on a terminal (training stopped inside an epoch). */
    public synchronized void finish() {
        if (terminal && drawn) {
            out.println();
            out.flush();
        }
        drawn = false;
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
        return String.format(Locale.ROOT, "epoch %d/%d %s %d/%d loss %.5g%s ETA %s", p.epoch(), p.epochs(), bar,
                p.batch(), p.batches(), p.loss(), metric(p), hms(p.etaSeconds()));
    }

    /**
     * A log line without a bar: {@code epoch 1/5 step 120/781 (15 %) loss 0.1234 nmse_db -5.1000 elapsed 00:31
     * ETA 03:12, 0.26 s/step}. The step time is the mean since the start of training.
     */
    public static String logLine(Progress p) {
        long done = (long) (p.epoch() - 1) * p.batches() + p.batch();
        return String.format(Locale.ROOT, "epoch %d/%d step %d/%d (%d %%) loss %.5g%s elapsed %s ETA %s, %.3g s/step", p.epoch(),
                p.epochs(), p.batch(), p.batches(), 100L * p.batch() / p.batches(), p.loss(), metric(p), hms(p.elapsedSeconds()),
                hms(p.etaSeconds()), p.elapsedSeconds() / done);
    }

    private static String metric(Progress p) {
        return Double.isNaN(p.metric()) ? "" : String.format(Locale.ROOT, " %s %.4f", p.metricName(), p.metric());
    }

    static String hms(double s) {
        if (!Double.isFinite(s)) return "--:--";
        long t = Math.round(s);
        return t >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", t / 3600, (t / 60) % 60, t % 60)
                : String.format(Locale.ROOT, "%02d:%02d", t / 60, t % 60);
    }
}
