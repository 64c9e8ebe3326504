package org.edgenn.train.sd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.junit.jupiter.api.Test;

/**
 * The native build is the oneDNN one (the plain build's conv2d_bp was 50x slower on the CSC denoiser's 64 -> 1
 * convolutions), and its convolution agrees with direct loops forward and backward (input and weight gradients).
 */
class NativeBuildTest {

    @Test
    void theNativeLibraryIsTheOneDnnBuild() {
        String info = NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo();
        assertTrue(info.contains("HAVE_ONEDNN"), info);
        assertTrue(Nd4j.getEnvironment().helpersAllowed(), "platform helpers (oneDNN) enabled");
    }

    @Test
    void convolutionAndItsGradientsMatchDirectLoops() {
        check(7, 3, 1);
    }

    /** oneDNN's helper cannot run a dilated convolution in this ND4J; {@link DilatedConvHelpers} routes it to libnd4j. */
    @Test
    void dilatedConvolutionRunsAndMatchesDirectLoops() {
        check(3, 2, 2);
        assertTrue(Nd4j.getEnvironment().helpersAllowed(), "helpers back on after the dilated ops");
    }

    private static void check(int k, int p, int d) {
        int n = 2, ci = 5, co = 3, h = 9, w = 8;
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.rand(DataType.FLOAT, n, ci, h, w).subi(0.5), wt = Nd4j.rand(DataType.FLOAT, k, k, ci, co).subi(0.5);
        INDArray g = Nd4j.rand(DataType.FLOAT, n, co, h, w).subi(0.5);   // upstream gradient: loss = sum(g * y)
        SameDiff sd = SameDiff.create();
        SDVariable xv = sd.var("x", x.dup()), wv = sd.var("w", wt.dup());
        SDVariable y = Layers.conv2d(sd, "y", xv, wv, null, 1, p, d);
        SDVariable loss = y.mul(sd.constant("g", g)).sum("loss");
        sd.setLossVariables(loss);
        Map<String, INDArray> grads = sd.calculateGradients(Map.of(), "x", "w");
        INDArray yv = sd.output(Map.of(), "y").get("y");
        double[][][][] ref = new double[n][co][h][w];
        double[][][][] gx = new double[n][ci][h][w];
        double[][][][] gw = new double[k][k][ci][co];
        for (int b = 0; b < n; b++) for (int o = 0; o < co; o++) for (int i = 0; i < h; i++) for (int j = 0; j < w; j++) {
            for (int c = 0; c < ci; c++) for (int a = 0; a < k; a++) for (int e = 0; e < k; e++) {
                int ii = i + a * d - p, jj = j + e * d - p;
                if (ii < 0 || jj < 0 || ii >= h || jj >= w) continue;
                ref[b][o][i][j] += x.getDouble(b, c, ii, jj) * wt.getDouble(a, e, c, o);
                gx[b][c][ii][jj] += g.getDouble(b, o, i, j) * wt.getDouble(a, e, c, o);
                gw[a][e][c][o] += g.getDouble(b, o, i, j) * x.getDouble(b, c, ii, jj);
            }
        }
        for (int b = 0; b < n; b++) for (int o = 0; o < co; o++) for (int i = 0; i < h; i++) for (int j = 0; j < w; j++)
            assertEquals(ref[b][o][i][j], yv.getDouble(b, o, i, j), 1e-4);
        for (int b = 0; b < n; b++) for (int c = 0; c < ci; c++) for (int i = 0; i < h; i++) for (int j = 0; j < w; j++)
            assertEquals(gx[b][c][i][j], grads.get("x").getDouble(b, c, i, j), 1e-4);
        for (int a = 0; a < k; a++) for (int e = 0; e < k; e++) for (int c = 0; c < ci; c++) for (int o = 0; o < co; o++)
            assertEquals(gw[a][e][c][o], grads.get("w").getDouble(a, e, c, o), 1e-4);
    }
}
