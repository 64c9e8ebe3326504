package org.edgenn.train.metrics;

import org.edgenn.train.loop.Progress;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.edgenn.runtime.io.AtomicFiles;

/**
 * Training-curve PNG (headless AWT + {@code javax.imageio}): mean loss per epoch (log scale, blue, left axis)
 * and the held-out metric (orange, right axis) when present.
 */
public final class TrainingCurve {
    private TrainingCurve() {}

    public static void writePng(Path file, String title, List<Progress.EpochRecord> epochs) {
        System.setProperty("java.awt.headless", "true");
        int w = 640, h = 400, l = 70, r = 70, t = 40, b = 50;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString(title, l, 22);
        g.drawRect(l, t, w - l - r, h - t - b);
        int n = epochs.size();
        if (n > 0) {
            double[] loss = epochs.stream().mapToDouble(e -> Math.log10(Math.max(e.meanLoss(), 1e-30))).toArray();
            double[] met = epochs.stream().mapToDouble(Progress.EpochRecord::metric).toArray();
            plot(g, loss, new Color(31, 119, 180), l, t, w - l - r, h - t - b, true, "log10 loss");
            if (!Double.isNaN(met[0])) plot(g, met, new Color(255, 127, 14), l, t, w - l - r, h - t - b, false, epochs.get(0).metricName());
            g.setColor(Color.BLACK);
            g.drawString("epoch 1 .. " + n, l + (w - l - r) / 2 - 30, h - 15);
        }
        g.dispose();
        try {
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            if (!ImageIO.write(img, "png", png)) throw new IOException("no PNG writer");
            AtomicFiles.write(file, png.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void plot(Graphics2D g, double[] v, Color c, int x0, int y0, int pw, int ph, boolean left, String label) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double d : v) if (Double.isFinite(d)) { lo = Math.min(lo, d); hi = Math.max(hi, d); }
        if (!Double.isFinite(lo)) return;
        if (hi - lo < 1e-12) { hi += 0.5; lo -= 0.5; }
        g.setColor(c);
        g.setStroke(new BasicStroke(2f));
        int px = -1, py = -1;
        for (int i = 0; i < v.length; i++) {
            int x = x0 + (v.length == 1 ? pw / 2 : (int) Math.round((double) i / (v.length - 1) * pw));
            int y = y0 + (int) Math.round((hi - v[i]) / (hi - lo) * ph);
            g.fillOval(x - 3, y - 3, 6, 6);
            if (px >= 0) g.drawLine(px, py, x, y);
            px = x; py = y;
        }
        int tx = left ? 5 : x0 + pw + 5;
        g.drawString(String.format(Locale.ROOT, "%.3g", hi), tx, y0 + 10);
        g.drawString(String.format(Locale.ROOT, "%.3g", lo), tx, y0 + ph);
        g.drawString(label, tx, y0 + ph / 2);
    }
}
