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
        this(Operators.gaussianUnitColumns(m, n, seed), p, snrDb);
    }

    /** The problem for a given matrix {@code A} ({@code [m, n]}, e.g. {@link Operators#load} of the user's file). */
    public SparseCoding(NumericArray a, double p, double snrDb) {
        if (a.rank() != 2) throw new IllegalArgumentException(a.source() + ": A must be a matrix, has shape " + a.shapeText());
        if (!(p > 0 && p <= 1)) throw new IllegalArgumentException("sparsity p must be in (0, 1]");
        if (!(snrDb > -1000)) throw new IllegalArgumentException("SNR must be a number of dB or +Infinity (noiseless), got " + snrDb);
        a.requireFinite("A");
        this.m = a.dim(0);
        this.n = a.dim(1);
        this.p = p;
        this.snrDb = snrDb;
        float[] v = new float[m * n];
        for (int i = 0; i < v.length; i++) v[i] = (float) a.at(i);
        this.a = Nd4j.create(v, new long[] {m, n}, 'c');
        at = this.a.transpose().dup('c');
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

    /**
     * A held-out set from the researcher's files: codes {@code xTest} ({@code .npy}, shape {@code (count, n)}) and
     * optionally their measurements {@code yTest} ({@code (count, m)}); without {@code yTest} they are measured here,
     * {@code y = A x} plus this problem's noise (seeded by {@code noiseSeed}). Wrong shapes, dtypes, non-finite values
     * or truncated files are {@link DataException}s naming the file, raised before anything trains.
     */
    public ArrayBatches heldOutFromFiles(java.nio.file.Path xTest, java.nio.file.Path yTest, int batchSize, long noiseSeed) {
        NumericArray x = Npy.read(xTest).requireShape("x_test (held-out codes, one row per example)", -1, n).requireFinite("x_test");
        int count = x.dim(0);
        if (count == 0) throw new DataException(xTest + ": x_test holds no example");
        INDArray xs = Nd4j.create(toFloat(x), new long[] {count, n}, 'c');
        INDArray ys;
        if (yTest != null) {
            NumericArray y = Npy.read(yTest).requireShape("y_test (measurements of the " + count + " examples of " + xTest.getFileName() + ")", count, m)
                    .requireFinite("y_test");
            ys = Nd4j.create(toFloat(y), new long[] {count, m}, 'c');
        } else {
            ys = measure(xs, new Random(noiseSeed));
        }
        return ArrayBatches.of(ys, xs, batchSize, false, 0);
    }

    private static float[] toFloat(NumericArray a) {
        float[] f = new float[a.values().length];
        for (int i = 0; i < f.length; i++) f[i] = (float) a.at(i);
        return f;
    }

    /** A fixed held-out set of {@code count} samples (one generation, served in batches of {@code batchSize}). */
    public ArrayBatches heldOut(int count, int batchSize, long seed) {
        Random r = new Random(seed);
        INDArray x = sampleCodes(count, r);
        return ArrayBatches.of(measure(x, r), x, batchSize, false, 0);
    }
}
