package org.edgenn.train.sd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.edgenn.train.data.DataException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Initial values of weights for generated trainers, written in the IR's weight layout
 * ({@code [out, in]} dense, {@code [out, in/groups, kH, kW]} conv) and converted to the training layout
 * ({@code [in, out]}, {@code [kH, kW, in/groups, out]}) by {@link #toRuntime}, the one place that converts.
 */
public final class Inits {
    private Inits() {}

    /** IR layout to runtime layout: dense {@code [out, in] -> [in, out]}, conv {@code [out, cin, kh, kw] -> [kh, kw, cin, out]}. */
    public static INDArray toRuntime(INDArray ir) {
        INDArray f = ir.castTo(DataType.FLOAT);
        if (f.rank() == 2) return f.transpose().dup('c');
        if (f.rank() == 4) return f.permute(2, 3, 1, 0).dup('c');
        return f.dup('c');
    }

    /** Runtime layout back to the IR layout (inverse of {@link #toRuntime}). */
    public static INDArray toIr(INDArray rt) {
        INDArray f = rt.castTo(DataType.FLOAT);
        if (f.rank() == 2) return f.transpose().dup('c');
        if (f.rank() == 4) return f.permute(3, 2, 0, 1).dup('c');
        return f.dup('c');
    }

    public static INDArray constant(double v, long... irShape) {
        return Nd4j.zeros(DataType.FLOAT, irShape).addi(v);
    }

    /** Identity: dense {@code [n, n]} eye (rectangular: ones on the diagonal); conv a centred delta from channel o to o. */
    public static INDArray identity(long... irShape) {
        INDArray a = Nd4j.zeros(DataType.FLOAT, irShape);
        if (irShape.length == 2) {
            for (long i = 0; i < Math.min(irShape[0], irShape[1]); i++) a.putScalar(new long[] {i, i}, 1f);
        } else if (irShape.length == 4) {
            for (long o = 0; o < irShape[0]; o++) {
                a.putScalar(new long[] {o, o % irShape[1], irShape[2] / 2, irShape[3] / 2}, 1f);
            }
        } else {
            a.addi(1f);
        }
        return a;
    }

    public static INDArray normal(long seed, double std, long... irShape) {
        return Params.gaussian(seed, std, irShape);
    }

    public static INDArray uniform(long seed, double a, long... irShape) {
        return Params.uniform(seed, a, irShape);
    }

    /** ADMM's {@code (AᵀA + ρI)⁻¹} ({@code [n, n]}, symmetric) for a dictionary {@code A [m, n]}, in double (Cholesky). */
    public static INDArray admmInverse(INDArray a, double rho) {
        double[][] m = new org.edgenn.train.classic.Lasso(a.castTo(DataType.DOUBLE).toDoubleMatrix()).admmMatrix(rho);
        return Nd4j.create(m).castTo(DataType.FLOAT);
    }

    /** Largest eigenvalue of {@code AᵀA} ({@code ||A||₂²}) by power iteration: the Lipschitz constant of ISTA. */
    public static double lipschitz(INDArray a) {
        INDArray ata = a.castTo(DataType.DOUBLE).transpose().mmul(a.castTo(DataType.DOUBLE));
        INDArray v = Params.uniform(1, 1.0, ata.columns(), 1).castTo(DataType.DOUBLE).addi(1.5);
        double lambda = 0;
        for (int it = 0; it < 500; it++) {
            INDArray w = ata.mmul(v);
            double n = w.norm2Number().doubleValue();
            if (n == 0) return 0;
            v = w.divi(n);
            if (Math.abs(n - lambda) <= 1e-10 * n) { lambda = n; break; }
            lambda = n;
        }
        return lambda;
    }

    /** LISTA's {@code We = Aᵀ / L} in IR layout {@code [n, m]} for a dictionary {@code A [m, n]}. */
    public static INDArray dictionaryT(INDArray a) {
        return a.castTo(DataType.FLOAT).transpose().div(lipschitz(a)).dup('c');
    }

    /** LISTA's {@code S = I - AᵀA / L} ({@code [n, n]}, symmetric). */
    /** init=dictionary: the operator A itself, IR layout {@code [m, n]}: a (fixed) dense n -> m layer computing {@code A x}. */
    public static INDArray dictionary(INDArray a) {
        return a.castTo(DataType.FLOAT).dup('c');
    }

    /**
     * init=alista_w: ALISTA's analytic weight W, solved from A alone ({@link org.edgenn.train.classic.AlistaWeight}), as a
     * dense m -> n layer computing {@code Wᵀ r}: IR layout {@code [n, m]}.
     */
    public static INDArray alistaWt(INDArray a) {
        double[][] w = org.edgenn.train.classic.AlistaWeight.solve(a.castTo(DataType.DOUBLE).toDoubleMatrix());
        return Nd4j.create(w).transpose().castTo(DataType.FLOAT).dup('c');
    }

    /**
     * init=alista_w(gamma): {@code γ Wᵀ} for a dense m -> n layer (IR layout {@code [n, m]}); a layer of another shape is
     * a {@link DataException} naming it (the shape follows from A, which is only known when the data is).
     */
    public static INDArray alistaWt(INDArray a, double gamma, String layer, long... irShape) {
        requireShape("alista_w", layer, irShape, a, a.columns(), a.rows());
        double[][] w = org.edgenn.train.classic.AlistaWeight.solve(a.castTo(DataType.DOUBLE).toDoubleMatrix());
        return Nd4j.create(w).transpose().muli(gamma).castTo(DataType.FLOAT).dup('c');
    }

    /**
     * init=alista_s(gamma): {@code I − γ WᵀA} ({@code [n, n]}), W ALISTA's analytic weight, computed in double. Plain
     * LISTA's step {@code η(S x + We y)} with this S and {@code We = γ Wᵀ} is ALISTA's step {@code η(x + γ Wᵀ(y − A x))}
     * without support selection. Not symmetric: IR layout {@code [out, in]}, row i is {@code e_i − γ w_iᵀA}.
     */
    public static INDArray alistaS(INDArray a, double gamma, String layer, long... irShape) {
        requireShape("alista_s", layer, irShape, a, a.columns(), a.columns());
        double[][] ad = a.castTo(DataType.DOUBLE).toDoubleMatrix();
        double[][] w = org.edgenn.train.classic.AlistaWeight.solve(ad);
        int m = ad.length, n = ad[0].length;
        double[][] s = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double wa = 0;
                for (int r = 0; r < m; r++) wa += w[r][i] * ad[r][j];
                s[i][j] = (i == j ? 1.0 : 0.0) - gamma * wa;
            }
        }
        return Nd4j.create(s).castTo(DataType.FLOAT).dup('c');
    }

    private static void requireShape(String init, String layer, long[] irShape, INDArray a, long out, long in) {
        if (irShape.length != 2 || irShape[0] != out || irShape[1] != in) {
            String has = irShape.length == 2 ? "dense(" + irShape[1] + " -> " + irShape[0] + ")" : "of rank " + irShape.length;
            throw new DataException(layer + ": init=" + init + " makes a dense(" + in + " -> " + out + ") layer for the data's "
                    + a.rows() + "x" + a.columns() + " A; the layer is " + has);
        }
    }

    public static INDArray istaS(INDArray a) {
        INDArray af = a.castTo(DataType.FLOAT);
        INDArray ata = af.transpose().mmul(af).divi(lipschitz(a));
        return Nd4j.eye(af.columns()).castTo(DataType.FLOAT).subi(ata);
    }

    /** Fills every {@code [o, c]} plane of a conv weight {@code [out, cin, kh, kw]} with the 2-D filter {@code k} (centred). */
    public static INDArray filter(double[][] k, long... irShape) {
        if (irShape.length != 4) throw new IllegalArgumentException("a filter initialiser needs a conv weight, got rank " + irShape.length);
        INDArray a = Nd4j.zeros(DataType.FLOAT, irShape);
        int kh = (int) irShape[2], kw = (int) irShape[3];
        int oy = (kh - k.length) / 2, ox = (kw - k[0].length) / 2;
        if (oy < 0 || ox < 0) throw new IllegalArgumentException("the filter is " + k.length + "x" + k[0].length + " but the kernel is " + kh + "x" + kw);
        for (long o = 0; o < irShape[0]; o++)
            for (long c = 0; c < irShape[1]; c++)
                for (int y = 0; y < k.length; y++)
                    for (int x = 0; x < k[0].length; x++)
                        a.putScalar(new long[] {o, c, y + oy, x + ox}, (float) k[y][x]);
        return a;
    }

    /** Normalised Gaussian blur of the kernel size with standard deviation {@code sigma} (pixels). */
    public static INDArray gaussian(double sigma, long... irShape) {
        int kh = (int) irShape[2], kw = (int) irShape[3];
        double[][] k = new double[kh][kw];
        double s = 0;
        for (int y = 0; y < kh; y++)
            for (int x = 0; x < kw; x++) {
                double dy = y - (kh - 1) / 2.0, dx = x - (kw - 1) / 2.0;
                k[y][x] = Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
                s += k[y][x];
            }
        for (double[] row : k) for (int x = 0; x < kw; x++) row[x] /= s;
        return filter(k, irShape);
    }

    /** The 5-point discrete Laplacian {@code [[0,1,0],[1,-4,1],[0,1,0]]}. */
    public static INDArray laplacian(long... irShape) {
        return filter(new double[][] {{0, 1, 0}, {1, -4, 1}, {0, 1, 0}}, irShape);
    }

    public static INDArray sobelX(long... irShape) {
        return filter(new double[][] {{-1, 0, 1}, {-2, 0, 2}, {-1, 0, 1}}, irShape);
    }

    public static INDArray sobelY(long... irShape) {
        return filter(new double[][] {{-1, -2, -1}, {0, 0, 0}, {1, 2, 1}}, irShape);
    }

    /** Box (mean) filter over the whole kernel. */
    public static INDArray box(long... irShape) {
        int kh = (int) irShape[2], kw = (int) irShape[3];
        double[][] k = new double[kh][kw];
        for (double[] row : k) java.util.Arrays.fill(row, 1.0 / (kh * kw));
        return filter(k, irShape);
    }

    /** Values from a text file of numbers (see {@link #file(Path, String, long...)}). */
    public static INDArray file(Path file, long... irShape) {
        return file(file, null, irShape);
    }

    /**
     * A weight's values from a file in the IR layout ({@link org.edgenn.train.data.Operators#read}): a {@code .npy} or
     * {@code .mat} array must have exactly {@code irShape} ({@code (out, in)} for dense: the matrix W of y = W x); a
     * text file of numbers the same number of values, in row-major order. Anything else is a {@link DataException}.
     */
    public static INDArray file(Path file, String variable, long... irShape) {
        org.edgenn.train.data.NumericArray a = org.edgenn.train.data.Operators.read(file, variable);
        long n = 1;
        for (long d : irShape) n *= d;
        String want = java.util.Arrays.toString(irShape);
        if (a.rank() == 1 && !file.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".npy")
                && !file.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".mat")) {
            if (a.values().length != n)
                throw new DataException(file + " holds " + a.values().length + " values, the weight needs " + n + " " + want);
        } else {
            int[] s = a.shape();
            boolean ok = s.length == irShape.length;
            for (int d = 0; ok && d < s.length; d++) ok = s[d] == irShape[d];
            if (!ok) throw new DataException(a.source() + ": the weight needs shape " + want + ", the file has " + a.shapeText());
        }
        float[] v = new float[a.values().length];
        for (int i = 0; i < v.length; i++) v[i] = (float) a.at(i);
        return Nd4j.create(v, irShape, 'c');
    }
}
