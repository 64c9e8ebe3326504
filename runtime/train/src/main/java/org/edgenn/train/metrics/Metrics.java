package org.edgenn.train.metrics;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Plain metric formulas on arrays ({@code [batch, ...]}). */
public final class Metrics {
    private Metrics() {}

    /** {@code 10 log10(sum||p - t||^2 / sum||t||^2)}. */
    public static double nmseDb(INDArray pred, INDArray target) {
        return toDb(sqErr(pred, target) / energy(target));
    }

    public static double sqErr(INDArray pred, INDArray target) {
        INDArray d = pred.castTo(DataType.DOUBLE).sub(target.castTo(DataType.DOUBLE));
        return d.mul(d).sumNumber().doubleValue();
    }

    public static double energy(INDArray t) {
        INDArray d = t.castTo(DataType.DOUBLE);
        return d.mul(d).sumNumber().doubleValue();
    }

    public static double toDb(double ratio) {
        return 10 * Math.log10(ratio);
    }

    /** Number of rows whose argmax of {@code logits} equals the argmax of the one-hot {@code labels}. */
    public static long correct(INDArray logits, INDArray labels) {
        int[] p = logits.argMax(1).toIntVector();
        int[] t = labels.argMax(1).toIntVector();
        long c = 0;
        for (int i = 0; i < p.length; i++) if (p[i] == t[i]) c++;
        return c;
    }

    public static double accuracy(INDArray logits, INDArray labels) {
        return (double) correct(logits, labels) / logits.size(0);
    }

    /** PSNR in dB for signals with peak value {@code peak} (1.0 for [0,1] images). */
    public static double psnr(INDArray pred, INDArray target, double peak) {
        double mse = sqErr(pred, target) / target.length();
        return 10 * Math.log10(peak * peak / mse);
    }
}
