package org.edgenn.train.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

/**
 * The synthetic sparse-coding problem of LISTA papers: {@code y = A x + w} with
 * <ul>
 *   <li>{@code A} ({@code m x n}) i.i.d. Gaussian, columns normalised to unit l2 norm (fixed by {@code seed});</li>
 *   <li>{@code x} with i.i.d. Bernoulli({@code p}) support and N(0, 1) non-zeros;</li>
 *   <li>{@code w} Gaussian noise at the given SNR in dB (per sample: {@code ||Ax||^2 / ||w||^2 = 10^(snr/10)} in
 *       expectation), or none for {@code snrDb = +Infinity}.</li>
 * </ul>
 * Samples are row vectors: features {@code y [batch, m]}, labels {@code x [batch, n]}; in row form {@code y = x A^T}.
 */
public final class SparseCoding {
    private final int m, n;
    private final double p, snrDb;
    private final INDArray a; // [m, n]
    private final INDArray at; // [n, m]

    public SparseCoding(int m, int n, double p, double snrDb, long seed) {
        if (m < 1 || n < 1) throw new IllegalArgumentException("m, n must be >= 1");
        if (!(p > 0 && p <= 1)) throw new IllegalArgumentException("sparsity p must be in (0, 1]");
        this.m = m;
        this.n = n;
        this.p = p;
        this.snrDb = snrDb;
        Random r = new Random(seed);
        double[][] d = new double[m][n];
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int i = 0; i < m; i++) { d[i][j] = r.nextGaussian(); s += d[i][j] * d[i][j]; }
            s = Math.sqrt(s);
            for (int i = 0; i < m; i++) d[i][j] /= s;
        }
        a = Nd4j.create(d).castTo(DataType.FLOAT);
        at = a.transpose().dup('c');
    }

    /** The noiseless default of the quality bar: m=250, n=500, p=0.1. */
    public static SparseCoding lista(long seed) {
        return new SparseCoding(250, 500, 0.1, Double.POSITIVE_INFINITY, seed);
    }

    public int m() { return m; }
    public int n() { return n; }
    public double p() { return p; }
    public double snrDb() { return snrDb; }
    /** The dictionary {@code A} ({@code [m, n]}, a copy). */
    public INDArray dictionary() { return a.dup(); }

    /** Sparse codes {@code [batch, n]}. */
    public INDArray sampleCodes(int batch, Random r) {
        float[] x = new float[batch * n];
        for (int i = 0; i < x.length; i++) if (r.nextDouble() < p) x[i] = (float) r.nextGaussian();
        return Nd4j.create(x, new long[] {batch, n}, 'c');
    }

    /** Measurements {@code y = x A^T + noise} for codes {@code x [batch, n]}. */
    public INDArray measure(INDArray x, Random r) {
        INDArray y = x.mmul(at);
        if (Double.isFinite(snrDb)) {
            double sig = y.norm2Number().doubleValue();
            double sigma = sig / Math.sqrt(y.length()) / Math.pow(10, snrDb / 20);
            float[] noise = new float[(int) y.length()];
            for (int i = 0; i < noise.length; i++) noise[i] = (float) (r.nextGaussian() * sigma);
            y.addi(Nd4j.create(noise, y.shape(), 'c'));
        }
        return y;
    }

    /** One batch: features {@code y}, labels {@code x}. */
    public MultiDataSet batch(int size, Random r) {
        INDArray x = sampleCodes(size, r);
        return new org.nd4j.linalg.dataset.MultiDataSet(measure(x, r), x);
    }

    /** Fresh samples every step ("infinite" training data), deterministic in (seed, epoch, index). */
    public BatchSource stream(int batchSize, int batchesPerEpoch, long seed) {
        return new BatchSource() {
            @Override public int batchesPerEpoch() { return batchesPerEpoch; }
            @Override public long examples() { return (long) batchSize * batchesPerEpoch; }
            @Override public MultiDataSet batch(int epoch, int index) {
                return SparseCoding.this.batch(batchSize, new Random(seed ^ (epoch * 0x9E3779B97F4A7C15L) ^ (index * 0xC2B2AE3D27D4EB4FL)));
            }
        };
    }

    /** A fixed held-out set of {@code count} samples (one generation, served in batches of {@code batchSize}). */
    public ArrayBatches heldOut(int count, int batchSize, long seed) {
        Random r = new Random(seed);
        INDArray x = sampleCodes(count, r);
        return ArrayBatches.of(measure(x, r), x, batchSize, false, 0);
    }
}
