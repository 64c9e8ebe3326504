package org.edgenn.train.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.edgenn.train.data.ArrayBatches;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * {@code adamw}: Adam plus decoupled weight decay, checked step by step against the update rule of Loshchilov and
 * Hutter written out in doubles (with ND4J Adam's bias correction folded into the step size), on a loss whose
 * gradient is a known constant.
 */
class DecoupledWeightDecayTest {
    private static final double LR = 0.05, DECAY = 0.1, B1 = 0.9, B2 = 0.999, EPS = 1e-8;
    private static final int STEPS = 6;

    /** loss = sum(x · w) for a fixed batch x: dloss/dw = xᵀ · 1, the same every step. */
    private static double[] train(double decoupled, double coupled, INDArray x, double[] w0) {
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("x", DataType.FLOAT, -1, 4);
        SDVariable w = sd.var("w", Nd4j.create(toFloat(w0), new long[] {4, 3}, 'c'));
        sd.sum("loss", in.mmul(w));
        Trainer t = Trainer.on(sd).inputs("x").loss("loss").updater(new Adam(LR)).epochs(STEPS);
        if (decoupled > 0) t.decoupledWeightDecay(decoupled);
        if (coupled > 0) t.weightDecay(coupled);
        t.fit(ArrayBatches.of(x, Nd4j.zeros(DataType.FLOAT, 2, 1), 2, false, 1));
        return sd.getArrForVarName("w").dup('c').castTo(DataType.DOUBLE).data().asDouble();
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }

    @Test
    void adamWithDecoupledDecayFollowsTheAdamWRule() {
        INDArray x = Nd4j.create(new float[] {0.5f, -1.0f, 2.0f, 0.25f, 1.5f, 0.5f, -0.75f, 1.0f}, new long[] {2, 4}, 'c');
        double[] w0 = new double[12];
        for (int i = 0; i < 12; i++) w0[i] = 0.3 * Math.sin(i + 1);
        double[] grad = new double[12]; // d/dw[i][j] sum_b x[b][i] w[i][j] = sum_b x[b][i]
        for (int i = 0; i < 4; i++) for (int j = 0; j < 3; j++) grad[i * 3 + j] = x.getDouble(0, i) + x.getDouble(1, i);

        double[] ref = w0.clone(), m = new double[12], v = new double[12];
        for (int t = 1; t <= STEPS; t++) {
            double alpha = LR * Math.sqrt(1 - Math.pow(B2, t)) / (1 - Math.pow(B1, t));
            for (int i = 0; i < 12; i++) {
                m[i] = B1 * m[i] + (1 - B1) * grad[i];
                v[i] = B2 * v[i] + (1 - B2) * grad[i] * grad[i];
                ref[i] -= alpha * m[i] / (Math.sqrt(v[i]) + EPS) + LR * DECAY * ref[i];
            }
        }
        double[] got = train(DECAY, 0, x, w0);
        for (int i = 0; i < 12; i++) assertEquals(ref[i], got[i], 2e-5, "w[" + i + "]");

        // the decay matters, and differs from L2 decay through Adam (which rescales it away for a constant gradient)
        double[] plain = train(0, 0, x, w0), l2 = train(0, DECAY, x, w0);
        double dPlain = 0, dL2 = 0;
        for (int i = 0; i < 12; i++) {
            dPlain = Math.max(dPlain, Math.abs(plain[i] - got[i]));
            dL2 = Math.max(dL2, Math.abs(l2[i] - got[i]));
        }
        assertTrue(dPlain > 1e-3, "decoupled decay changes the weights: " + dPlain);
        assertTrue(dL2 > 1e-4, "decoupled decay is not L2 through Adam: " + dL2);
    }
}
