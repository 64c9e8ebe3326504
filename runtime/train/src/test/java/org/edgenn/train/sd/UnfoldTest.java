package org.edgenn.train.sd;

import org.edgenn.train.classic.Lasso;
import org.edgenn.train.classic.SupportSelection;
import org.edgenn.train.classic.Thresholds;
import org.edgenn.train.data.Operators;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** Unrolled networks with the classical constants reproduce the classical algorithms' iterates (classic.Lasso, in double). */
class UnfoldTest {
    static final int M = 20, N = 40, B = 6, K = 12;
    static final double LAMBDA = 0.05;
    static final double[][] A = Operators.gaussianUnitColumns(M, N, 4).toMatrix();
    static final Lasso LASSO = new Lasso(A);
    static final double[][] Y = measurements();

    static double[][] measurements() {
        Random r = new Random(8);
        double[][] y = new double[B][M];
        for (int s = 0; s < B; s++) {
            double[] x = new double[N];
            for (int j = 0; j < N; j++) x[j] = r.nextDouble() < 0.15 ? r.nextGaussian() : 0;
            for (int i = 0; i < M; i++) for (int j = 0; j < N; j++) y[s][i] += A[i][j] * x[j];
        }
        return y;
    }

    static INDArray f32(double[][] m) { return Nd4j.create(m).castTo(DataType.FLOAT); }

    /** The graph's iterates x_1..x_K as [K][B][N], run on Y. */
    static double[][][] run(SameDiff sd, List<SDVariable> xs) {
        List<String> names = xs.stream().map(SDVariable::name).toList();
        Map<String, INDArray> out = sd.output(Map.of("y", f32(Y)), names);
        double[][][] r = new double[xs.size()][][];
        for (int k = 0; k < xs.size(); k++) r[k] = out.get(names.get(k)).castTo(DataType.DOUBLE).toDoubleMatrix();
        return r;
    }

    static void assertIterates(double[][][] graph, java.util.function.IntFunction<double[][]> reference, String what) {
        for (int s = 0; s < B; s++) {
            double[][] ref = reference.apply(s);
            for (int k = 0; k < K; k++)
                for (int j = 0; j < N; j++)
                    assertEquals(ref[k + 1][j], graph[k][s][j], 2e-5 * (1 + Math.abs(ref[k + 1][j])), what + " sample " + s + " step " + (k + 1) + " entry " + j);
        }
    }

    static SameDiff graph() { return SameDiff.create(); }

    @Test
    void unrolledIstaIsIsta() {
        SameDiff sd = graph();
        SDVariable y = sd.placeHolder("y", DataType.FLOAT, -1, M);
        SDVariable a = sd.constant("A", f32(A));
        double l = LASSO.lipschitz();
        SDVariable x = Unfold.applyT(sd, y, a).mul(0.0);
        List<SDVariable> xs = new ArrayList<>();
        for (int k = 0; k < K; k++) {
            x = Shrink.softFixed(sd, "x_" + k, Unfold.gradientStep(sd, null, x, y, a, a, sd.constant(1 / l)), sd.constant(LAMBDA / l));
            xs.add(x);
        }
        assertIterates(run(sd, xs), s -> LASSO.ista(Y[s], LAMBDA, K), "ISTA");
    }

    @Test
    void unrolledFistaWithTwoLoopCarriedStatesIsFista() {
        SameDiff sd = graph();
        SDVariable y = sd.placeHolder("y", DataType.FLOAT, -1, M);
        SDVariable a = sd.constant("A", f32(A));
        double l = LASSO.lipschitz();
        SDVariable x = Unfold.applyT(sd, y, a).mul(0.0), z = x;
        List<SDVariable> xs = new ArrayList<>();
        for (int k = 0; k < K; k++) {
            SDVariable next = Shrink.softFixed(sd, "x_" + k, Unfold.gradientStep(sd, null, z, y, a, a, sd.constant(1 / l)), sd.constant(LAMBDA / l));
            z = Unfold.momentum(sd, "z_" + k, next, x, Lasso.momentum(k));
            x = next;
            xs.add(x);
        }
        assertIterates(run(sd, xs), s -> LASSO.fista(Y[s], LAMBDA, K), "FISTA");
    }

    @Test
    void unrolledAdmmWithADualVariableIsAdmm() {
        double rho = 0.8;
        SameDiff sd = graph();
        SDVariable y = sd.placeHolder("y", DataType.FLOAT, -1, M);
        SDVariable a = sd.constant("A", f32(A));
        SDVariable mInv = sd.constant("M", f32(LASSO.admmMatrix(rho)));
        SDVariable aty = Unfold.applyT(sd, y, a);
        SDVariable z = aty.mul(0.0), u = z;
        List<SDVariable> zs = new ArrayList<>();
        for (int k = 0; k < K; k++) {
            SDVariable x = sd.mmul(aty.add(z.sub(u).mul(rho)), mInv); // M symmetric: row form of M v is v M
            z = Shrink.softFixed(sd, "z_" + k, x.add(u), sd.constant(LAMBDA / rho));
            u = u.add(x).sub(z);
            zs.add(z);
        }
        assertIterates(run(sd, zs), s -> LASSO.admm(Y[s], LAMBDA, rho, K), "ADMM");
    }

    @Test
    void unrolledIstaWithSupportSelectionAndItsSchedule() {
        SameDiff sd = graph();
        SDVariable y = sd.placeHolder("y", DataType.FLOAT, -1, M);
        SDVariable a = sd.constant("A", f32(A));
        double l = LASSO.lipschitz();
        SDVariable x = Unfold.applyT(sd, y, a).mul(0.0);
        List<SDVariable> xs = new ArrayList<>();
        for (int k = 0; k < K; k++) {
            SDVariable v = Unfold.gradientStep(sd, null, x, y, a, a, sd.constant(1 / l));
            x = SupportSelect.applyFixed(sd, "x_" + k, v, sd.constant(LAMBDA / l), SupportSelection.schedule(5, 30, k), N);
            xs.add(x);
        }
        assertIterates(run(sd, xs), s -> {
            double[][] it = new double[K + 1][];
            it[0] = new double[N];
            for (int k = 0; k < K; k++) {
                double[] r = new double[M];
                for (int i = 0; i < M; i++) { r[i] = Y[s][i]; for (int j = 0; j < N; j++) r[i] -= A[i][j] * it[k][j]; }
                double[] v = new double[N];
                for (int j = 0; j < N; j++) { v[j] = it[k][j]; for (int i = 0; i < M; i++) v[j] += A[i][j] * r[i] / l; }
                it[k + 1] = SupportSelection.apply(v, LAMBDA / l, SupportSelection.schedule(5, 30, k));
            }
            return it;
        }, "ISTA-SS");
    }

    @Test
    void supportSelectionGradientsKeepSelectedEntriesAndTrainTheThreshold() {
        SameDiff sd = graph();
        INDArray vals = Nd4j.create(new float[][] {{3f, -0.2f, 1.5f, -4f, 0.9f}, {0.1f, 2f, -2.5f, 0.3f, -0.6f}});
        SDVariable v = sd.var("v", vals);
        SDVariable raw = Shrink.thetaParam(sd, "theta", 0.5, 1);
        SDVariable out = SupportSelect.apply(sd, "ss", v, raw, 40); // 2 of 5 per row bypass
        SDVariable loss = out.sum("loss");
        sd.setLossVariables(loss);
        Map<String, INDArray> g = sd.calculateGradients(Map.of(), "v", "theta");
        double[] dv = g.get("v").castTo(DataType.DOUBLE).data().asDouble();
        double dTheta = 0;
        double[][] v2 = vals.castTo(DataType.DOUBLE).toDoubleMatrix();
        int idx = 0;
        double sp = 1 / (1 + Math.exp(-Shrink.inverseSoftplus(0.5))); // softplus' at the raw value
        for (double[] row : v2) {
            boolean[] sel = SupportSelection.selected(row, 0.5, 40);
            double[] ref = SupportSelection.apply(row, 0.5, 40);
            for (int j = 0; j < row.length; j++, idx++) {
                assertEquals(ref[j], out.eval().getDouble(idx / 5, j), 1e-6);
                double expect = sel[j] ? 1 : (Math.abs(row[j]) > 0.5 ? 1 : 0);
                assertEquals(expect, dv[idx], 1e-6, "d/dv at " + idx);
                if (!sel[j] && Math.abs(row[j]) > 0.5) dTheta -= Math.signum(row[j]) * sp;
            }
        }
        assertEquals(dTheta, g.get("theta").getDouble(0), 1e-5);
        assertEquals(0.0, Thresholds.soft(0.2, 0.5));
    }
}
