package org.edgenn.train.loop;

import java.io.PrintStream;
import java.util.Locale;

/** A one-line text progress bar ({@code \r}-updated, at most every 250 ms) with loss, metric and ETA. */
public final class ConsoleProgress implements Progress.Listener {
    private final PrintStream out;
    private final int width;
    private long lastPrint;

    public ConsoleProgress(PrintStream out, int width) {
        this.out = out;
        this.width = width;
    }

    public static ConsoleProgress stdout() {
        return new ConsoleProgress(System.out, 30);
    }

    @Override public void onBatch(Progress p) {
        long now = System.nanoTime();
        if (p.batch() != p.batches() && now - lastPrint < 250_000_000L) return;
        lastPrint = now;
        out.print('\r' + line(p, width));
        out.flush();
    }

    @Override public void onEpochEnd(Progress.EpochRecord r) {
        out.println(String.format(Locale.ROOT, "%n epoch %d: loss %.6g%s, %.1f s", r.epoch(), r.meanLoss(),
                Double.isNaN(r.metric()) ? "" : String.format(Locale.ROOT, ", %s %.4f", r.metricName(), r.metric()), r.seconds()));
    }

    @Override public void onStageEnd(Progress.StageRecord r) {
        out.println(stageLine(r));
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

    static String hms(double s) {
        if (!Double.isFinite(s)) return "--:--";
        long t = Math.round(s);
        return t >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", t / 3600, (t / 60) % 60, t % 60)
                : String.format(Locale.ROOT, "%02d:%02d", t / 60, t % 60);
    }
}
