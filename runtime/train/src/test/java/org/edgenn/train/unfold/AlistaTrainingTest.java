package org.edgenn.train.unfold;

import org.edgenn.train.classic.AlistaWeight;
import org.edgenn.train.classic.Lasso;
import org.edgenn.train.classic.SupportSelection;
import org.edgenn.train.data.ArrayBatches;
import org.edgenn.train.data.NumericArray;
import org.edgenn.train.data.Operators;
import org.edgenn.train.data.SparseCoding;
import org.edgenn.train.loop.Progress;
import org.edgenn.train.loop.StagewiseRecipe;
import org.edgenn.train.metrics.Evaluate;
import org.edgenn.train.sd.Losses;
import org.edgenn.train.sd.Shrink;
import org.edgenn.train.sd.SupportSelect;
import org.edgenn.train.sd.Unfold;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The papers' setting (A 250x500 Gaussian with unit columns, Bernoulli(0.1) N(0,1) codes, noiseless, 16 steps): ALISTA,
 * whose W is solved from A and whose 32 scalars train with the stage-wise recipe for a few hundred steps, against
 * FISTA-16 at its best lambda (the classical algorithm in double, on the same held-out codes).
 */
class AlistaTrainingTest {
    static final int M = 250, N = 500, K = 16;

    static SameDiff alista(NumericArray a, double[][] w) {
        SameDiff sd = SameDiff.create();
        SDVariable y = sd.placeHolder("y", DataType.FLOAT, -1, M);
        SDVariable xt = sd.placeHolder("x_true", DataType.FLOAT, -1, N);
        SDVariable av = sd.constant("A", Nd4j.create(a.toMatrix()).castTo(DataType.FLOAT));
        SDVariable wv = sd.constant("W", Nd4j.create(w).castTo(DataType.FLOAT));
        SDVariable x = Unfold.applyT(sd, y, av).mul(0.0);
        for (int k = 0; k < K; k++) {
            SDVariable gamma = sd.var("gamma_" + k, Nd4j.scalar(1.0f).reshape(1));
            SDVariable theta = Shrink.thetaParam(sd, "theta_" + k, 0.4, 1);
            SDVariable v = Unfold.gradientStep(sd, null, x, y, av, wv, gamma);
            x = SupportSelect.apply(sd, "x_" + k, v, theta, SupportSelection.schedule(1.2, 13, k), N);
            Losses.named(Losses.nmse(sd, x, xt), "loss_stage_" + k);
        }
        return sd;
    }

    static double fistaBestDb(NumericArray a, INDArray y, INDArray x, double[] lambdas) {
        Lasso lasso = new Lasso(a.toMatrix());
        double[][] ys = y.castTo(DataType.DOUBLE).toDoubleMatrix(), xs = x.castTo(DataType.DOUBLE).toDoubleMatrix();
        double best = Double.POSITIVE_INFINITY;
        for (double lambda : lambdas) {
            double err = 0, ref = 0;
            for (int s = 0; s < ys.length; s++) {
                double[][] it = lasso.fista(ys[s], lambda, K);
                for (int j = 0; j < N; j++) { double d = it[K][j] - xs[s][j]; err += d * d; ref += xs[s][j] * xs[s][j]; }
            }
            best = Math.min(best, 10 * Math.log10(err / ref));
        }
        return best;
    }

    @Test
    void aFewHundredStepsOfAlistaClearlyBeatFista16() {
        NumericArray a = Operators.gaussianUnitColumns(M, N, 1);
        SparseCoding problem = new SparseCoding(a, 0.1, Double.POSITIVE_INFINITY);
        ArrayBatches heldOut = problem.heldOut(200, 200, 99);
        SameDiff sd = alista(a, AlistaWeight.solve(a.toMatrix()));
        StagewiseRecipe r = StagewiseRecipe.on(sd).inputs("y").labels("x_true").learningRate(Double.parseDouble(System.getProperty("alista.lr", "0.02")))
                .phases(StagewiseRecipe.reference(StagewiseRecipe.Budget.fixed(Integer.getInteger("alista.steps", 10))))
                .metric("nmse_db", false, (g, out) -> Evaluate.nmseDb(g, heldOut, List.of("y"), out))
                .progress(new Progress.Listener() {
                    @Override public void onBatch(Progress p) {}
                    @Override public void onStageEnd(Progress.StageRecord rec) { System.out.println(org.edgenn.train.loop.ConsoleProgress.stageLine(rec)); }
                });
        for (int k = 0; k < K; k++)
            r.stage("loss_stage_" + k, "x_" + k, List.of("gamma_" + k, "theta_" + k), k == 0 ? Map.of() : Map.of("gamma_" + k, "gamma_" + (k - 1), "theta_" + k, "theta_" + (k - 1)));
        long t0 = System.nanoTime();
        List<Progress.StageRecord> rec = r.run(problem.stream(64, 1000, 5));
        double alista = Evaluate.nmseDb(sd, heldOut, List.of("y"), "x_" + (K - 1));
        var batch = heldOut.batch(0, 0);
        double fista = fistaBestDb(a, batch.getFeatures(0), batch.getLabels(0), new double[] {0.005, 0.01, 0.02, 0.05, 0.1, 0.2});
        long steps = rec.stream().mapToLong(Progress.StageRecord::steps).sum();
        System.out.printf("ALISTA-16 %.2f dB after %d steps (%.0f s), FISTA-16 best lambda %.2f dB%n", alista, steps, (System.nanoTime() - t0) / 1e9, fista);
        assertTrue(steps <= 500, "a few hundred steps: " + steps);
        assertTrue(alista < fista - 15, "ALISTA-16 " + alista + " dB vs FISTA-16 " + fista + " dB");
    }
}
