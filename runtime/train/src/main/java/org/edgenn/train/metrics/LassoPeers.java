package org.edgenn.train.metrics;

import org.edgenn.train.classic.Lasso;
import org.edgenn.train.data.BatchSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.List;

/**
 * The classical peers of an unrolled sparse-coding network, run in the same process on the same held-out set: ISTA
 * and FISTA with as many iterations as the network has steps, each at its best λ of a fixed grid (the λ that gives the
 * lowest held-out NMSE, as the papers report their baselines). The iterations are {@link Lasso#ista} and
 * {@link Lasso#fista} batched over the held-out rows in ND4J float ({@code LassoPeersTest} checks them against those
 * double references), so a 1,000-code set costs seconds, not minutes.
 */
public final class LassoPeers {
    private LassoPeers() {}

    /** The λ grid: roughly three values per decade, 1e-3 to 0.5 (the best λ of 16 iterations lies well inside it). */
    public static final double[] LAMBDAS = {1e-3, 2e-3, 5e-3, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5};

    /** One peer's result: its name ({@code ista} or {@code fista}), the best λ and its held-out NMSE in dB. */
    public record Peer(String name, int iterations, double lambda, double nmseDb) {}

    /** ISTA and FISTA of {@code iterations} steps at their best λ of {@code lambdas}, on every batch of {@code heldOut}. */
    public static List<Peer> best(INDArray a, BatchSource heldOut, int iterations, double[] lambdas) {
        if (iterations < 1) throw new IllegalArgumentException("iterations must be >= 1");
        INDArray af = a.castTo(DataType.FLOAT);
        double lipschitz = new Lasso(a.castTo(DataType.DOUBLE).toDoubleMatrix()).lipschitz();
        List<Peer> out = new ArrayList<>();
        for (boolean fista : new boolean[] {false, true}) {
            Peer best = null;
            for (double lambda : lambdas) {
                double err = 0, ref = 0;
                for (int b = 0; b < heldOut.batchesPerEpoch(); b++) {
                    MultiDataSet m = heldOut.batch(0, b);
                    INDArray x = run(af, m.getFeatures(0).castTo(DataType.FLOAT), lipschitz, lambda, iterations, fista);
                    INDArray t = m.getLabels(0).castTo(DataType.FLOAT);
                    err += Metrics.sqErr(x, t);
                    ref += Metrics.energy(t);
                }
                double db = Metrics.toDb(err / ref);
                if (best == null || db < best.nmseDb()) best = new Peer(fista ? "fista" : "ista", iterations, lambda, db);
            }
            out.add(best);
        }
        return List.copyOf(out);
    }

    /**
     * The last iterate for measurements {@code y [batch, m]} (rows), {@code x, z [batch, n]}: ISTA
     * {@code x ← soft(x + (y − x Aᵀ) A / L, λ/L)}; FISTA the same from {@code z}, then
     * {@code z ← x + (t_k − 1)/t_{k+1} (x − x_prev)}. Every iteration works in the same few buffers: ND4J frees native
     * memory only when the JVM collects the Java handles, and a fresh array per operation (thousands per peer) once
     * pushed a training process over the machine's memory.
     */
    static INDArray run(INDArray a, INDArray y, double lipschitz, double lambda, int iterations, boolean fista) {
        long batch = y.size(0), m = a.size(0), n = a.size(1);
        INDArray at = a.transpose().dup('c');
        INDArray x = Nd4j.zeros(DataType.FLOAT, batch, n), z = Nd4j.zeros(DataType.FLOAT, batch, n);
        INDArray next = Nd4j.zeros(DataType.FLOAT, batch, n), neg = Nd4j.zeros(DataType.FLOAT, batch, n);
        INDArray residual = Nd4j.zeros(DataType.FLOAT, batch, m);
        double theta = lambda / lipschitz;
        for (int k = 0; k < iterations; k++) {
            z.mmul(at, residual);
            residual.rsubi(y);                                        // y − z Aᵀ
            residual.mmul(a, next);
            next.divi(lipschitz).addi(z);                             // v = z + (y − z Aᵀ) A / L
            neg.assign(next).negi().subi(theta);
            Transforms.relu(neg, false);                              // relu(−v − θ)
            next.subi(theta);
            Transforms.relu(next, false);
            next.subi(neg);                                           // soft(v, θ) = relu(v − θ) − relu(−v − θ)
            if (fista) {
                z.assign(next).subi(x).muli(Lasso.momentum(k)).addi(next);
            } else {
                z.assign(next);
            }
            x.assign(next);
        }
        return x;
    }
}
