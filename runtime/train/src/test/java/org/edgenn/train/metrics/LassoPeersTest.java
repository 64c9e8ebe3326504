package org.edgenn.train.metrics;

import org.edgenn.train.classic.Lasso;
import org.edgenn.train.data.ArrayBatches;
import org.edgenn.train.data.Operators;
import org.edgenn.train.data.SparseCoding;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The batched peers against the classical algorithms of {@link Lasso}, in double, one sample at a time. */
class LassoPeersTest {
    static final int M = 30, N = 60, K = 16;

    @Test
    void batchedIterationsEqualIstaAndFistaInDouble() {
        SparseCoding p = new SparseCoding(Operators.gaussianUnitColumns(M, N, 3), 0.1, Double.POSITIVE_INFINITY);
        MultiDataSet m = p.heldOut(8, 8, 11).batch(0, 0);
        double[][] a = p.dictionary().castTo(DataType.DOUBLE).toDoubleMatrix();
        Lasso lasso = new Lasso(a);
        double[][] ys = m.getFeatures(0).castTo(DataType.DOUBLE).toDoubleMatrix();
        for (boolean fista : new boolean[] {false, true}) {
            INDArray x = LassoPeers.run(p.dictionary(), m.getFeatures(0), lasso.lipschitz(), 0.05, K, fista);
            for (int s = 0; s < ys.length; s++) {
                double[] ref = (fista ? lasso.fista(ys[s], 0.05, K) : lasso.ista(ys[s], 0.05, K))[K];
                for (int j = 0; j < N; j++)
                    assertEquals(ref[j], x.getDouble(s, j), 1e-4, (fista ? "fista" : "ista") + " sample " + s + " entry " + j);
            }
        }
    }

    @Test
    void eachPeerIsTheBestLambdaOfTheGridByBruteForce() {
        SparseCoding p = new SparseCoding(Operators.gaussianUnitColumns(M, N, 5), 0.1, Double.POSITIVE_INFINITY);
        ArrayBatches held = p.heldOut(40, 16, 13);   // three batches, the last one short
        double[] grid = {0.005, 0.02, 0.1, 0.4};
        List<LassoPeers.Peer> peers = LassoPeers.best(p.dictionary(), held, K, grid);
        Lasso lasso = new Lasso(p.dictionary().castTo(DataType.DOUBLE).toDoubleMatrix());
        for (LassoPeers.Peer peer : peers) {
            boolean fista = peer.name().equals("fista");
            double bestDb = Double.POSITIVE_INFINITY, bestLambda = Double.NaN;
            for (double lambda : grid) {
                double err = 0, ref = 0;
                for (int b = 0; b < held.batchesPerEpoch(); b++) {
                    MultiDataSet m = held.batch(0, b);
                    double[][] ys = m.getFeatures(0).castTo(DataType.DOUBLE).toDoubleMatrix();
                    double[][] xs = m.getLabels(0).castTo(DataType.DOUBLE).toDoubleMatrix();
                    for (int s = 0; s < ys.length; s++) {
                        double[] x = (fista ? lasso.fista(ys[s], lambda, K) : lasso.ista(ys[s], lambda, K))[K];
                        for (int j = 0; j < N; j++) { err += (x[j] - xs[s][j]) * (x[j] - xs[s][j]); ref += xs[s][j] * xs[s][j]; }
                    }
                }
                double db = 10 * Math.log10(err / ref);
                if (db < bestDb) { bestDb = db; bestLambda = lambda; }
            }
            assertEquals(bestLambda, peer.lambda(), 0, peer.name());
            assertEquals(bestDb, peer.nmseDb(), 1e-3, peer.name());
        }
        assertTrue(peers.get(1).nmseDb() < peers.get(0).nmseDb(), "FISTA-16 beats ISTA-16 on this problem: " + peers);
    }
}
