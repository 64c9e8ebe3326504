package org.edgenn.train.sd;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class LossesTest {
    static final float[][] P = {{1f, -2f, 0.5f}, {0f, 3f, -1f}};
    static final float[][] T = {{1.5f, -1f, 0f}, {0.2f, 2f, -2f}};

    @Test
    void regressionLossesMatchPlainFormulas() {
        SameDiff sd = SameDiff.create();
        SDVariable p = sd.constant("p", Nd4j.create(P)), t = sd.constant("t", Nd4j.create(T));
        double se = 0, en = 0, l1 = 0;
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) {
            se += (P[i][j] - T[i][j]) * (P[i][j] - T[i][j]);
            en += T[i][j] * T[i][j];
            l1 += Math.abs(P[i][j]);
        }
        assertEquals(se / 6, Losses.mse(sd, p, t).eval().getDouble(0), 1e-6);
        assertEquals(se / en, Losses.nmse(sd, p, t).eval().getDouble(0), 1e-6);
        assertEquals(l1 / 2, Losses.l1(sd, p).eval().getDouble(0), 1e-6, "batch mean of per-sample l1");
        assertEquals(0.5 * 1.1 + 0.7, Losses.sum(Losses.weighted(0.5, sd.constant(1.1)), sd.constant(0.7)).eval().getDouble(0), 1e-6);
    }

    @Test
    void crossEntropyMatchesLogSoftmaxFormula() {
        SameDiff sd = SameDiff.create();
        SDVariable logits = sd.constant("z", Nd4j.create(P));
        SDVariable y = sd.constant("y", Nd4j.create(new float[][] {{0, 1, 0}, {0, 0, 1}}));
        double expect = 0;
        int[] cls = {1, 2};
        for (int i = 0; i < 2; i++) {
            double lse = 0;
            for (float v : P[i]) lse += Math.exp(v);
            expect += -(P[i][cls[i]] - Math.log(lse));
        }
        assertEquals(expect / 2, Losses.crossEntropy(sd, logits, y).eval().getDouble(0), 1e-5);
    }

    @Test
    void distillationIsZeroForEqualLogitsAndOnlyTrainsTheStudent() {
        SameDiff sd = SameDiff.create();
        SDVariable s = sd.var("s", Nd4j.create(P));
        SDVariable t = sd.var("t", Nd4j.create(T));
        SDVariable kd = Losses.distill(sd, s, t, 2.0).rename("kd");
        sd.setLossVariables("kd");
        double v = kd.eval().getDouble(0);
        // reference KL(softmax(t/T) || softmax(s/T)) * T^2, batch mean
        double ref = 0;
        for (int i = 0; i < 2; i++) {
            double zs = 0, zt = 0;
            for (int j = 0; j < 3; j++) { zs += Math.exp(P[i][j] / 2.0); zt += Math.exp(T[i][j] / 2.0); }
            for (int j = 0; j < 3; j++) {
                double pt = Math.exp(T[i][j] / 2.0) / zt, ps = Math.exp(P[i][j] / 2.0) / zs;
                ref += pt * Math.log(pt / ps);
            }
        }
        assertEquals(4 * ref / 2, v, 1e-5);
        Map<String, INDArray> g = sd.calculateGradients(Map.of(), "s", "t");
        assertTrue(g.get("s").norm2Number().doubleValue() > 1e-3);
        assertTrue(g.get("t") == null || g.get("t").norm2Number().doubleValue() == 0, "teacher receives no gradient");
        SameDiff sd2 = SameDiff.create();
        assertEquals(0, Losses.distill(sd2, sd2.constant("a", Nd4j.create(P)), sd2.constant("b", Nd4j.create(P)), 3.0).eval().getDouble(0), 1e-6);
    }
}
