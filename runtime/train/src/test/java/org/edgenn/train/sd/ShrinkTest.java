package org.edgenn.train.sd;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class ShrinkTest {
    static final float[] X = {-2.0f, -0.9f, -0.2f, 0.1f, 0.45f, 1.3f};
    static final float[] C = {0.7f, -1.1f, 0.4f, 2.0f, -0.3f, 1.5f};

    static double loss(double theta) {
        double s = 0;
        for (int i = 0; i < X.length; i++) s += C[i] * Math.signum(X[i]) * Math.max(Math.abs(X[i]) - theta, 0);
        return s;
    }

    @Test
    void thresholdIsSoftplusOfRawAndPositive() {
        assertEquals(0.3, Shrink.softplus(Shrink.inverseSoftplus(0.3)), 1e-12);
        assertEquals(1e-4, Shrink.softplus(Shrink.inverseSoftplus(1e-4)), 1e-12);
        assertTrue(Shrink.softplus(-50) > 0);
        assertThrows(IllegalArgumentException.class, () -> Shrink.thetaParam(SameDiff.create(), "t", 0.0));
    }

    @Test
    void softThresholdForwardAndGradientsMatchFiniteDifferences() {
        double theta = 0.35;
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("x", Nd4j.create(X));
        SDVariable raw = Shrink.thetaParam(sd, "theta", theta, 1);
        SDVariable y = Shrink.soft(sd, "y", x, raw);
        y.mul(sd.constant("c", Nd4j.create(C))).sum().rename("loss");
        sd.setLossVariables("loss");
        float[] out = y.eval().data().asFloat();
        for (int i = 0; i < X.length; i++)
            assertEquals(Math.signum(X[i]) * Math.max(Math.abs(X[i]) - theta, 0), out[i], 1e-6, "forward " + i);
        Map<String, INDArray> g = sd.calculateGradients(Map.of(), "x", "theta");
        float[] gx = g.get("x").data().asFloat();
        for (int i = 0; i < X.length; i++)
            assertEquals(Math.abs(X[i]) > theta ? C[i] : 0, gx[i], 1e-6, "d/dx " + i);
        // d loss / d raw = d loss / d theta * sigmoid(raw), checked against central finite differences in double
        double r = Shrink.inverseSoftplus(theta), h = 1e-5;
        double fd = (loss(Shrink.softplus(r + h)) - loss(Shrink.softplus(r - h))) / (2 * h);
        double analytic = g.get("theta").getDouble(0);
        assertTrue(Math.abs(fd) > 0.1, "test point must have a non-trivial threshold gradient");
        assertEquals(fd, analytic, 1e-4 * Math.max(1, Math.abs(fd)));
    }

    @Test
    void hardThresholdKeepsLargeEntries() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("x", Nd4j.create(X));
        SDVariable y = Shrink.hard(sd, "y", x, Shrink.thetaParam(sd, "t", 0.5, 1));
        assertArrayEquals(new float[] {-2.0f, -0.9f, 0, 0, 0, 1.3f}, y.eval().data().asFloat(), 1e-7f);
    }

    @Test
    void perElementThresholdsBroadcast() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 3);
        SDVariable raw = sd.var("t", Nd4j.create(new float[] {(float) Shrink.inverseSoftplus(0.1), (float) Shrink.inverseSoftplus(1.0),
                (float) Shrink.inverseSoftplus(2.0)}));
        SDVariable y = Shrink.soft(sd, "y", x, raw);
        INDArray out = sd.output(Map.of("x", Nd4j.create(new float[][] {{1, 1, 1}, {-3, -3, -3}})), "y").get("y");
        assertTrue(out.equalsWithEps(Nd4j.create(new float[][] {{0.9f, 0, 0}, {-2.9f, -2f, -1f}}), 1e-5), out.toString());
    }
}
