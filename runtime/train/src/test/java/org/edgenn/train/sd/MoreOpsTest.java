package org.edgenn.train.sd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.edgenn.train.data.DataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The ops and initialisers added for generated trainers, against hand-computed values. */
class MoreOpsTest {

    private static INDArray run(SameDiff sd, SDVariable out, String ph, INDArray x) {
        return sd.output(Map.of(ph, x), out.name()).get(out.name());
    }

    private static INDArray iota(long... shape) {
        long n = 1;
        for (long s : shape) n *= s;
        return Nd4j.linspace(DataType.FLOAT, 0, n, 1).reshape(shape);
    }

    @Test
    void pixelShuffleUsesPyTorchChannelOrder() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 4, 2, 2);
        SDVariable y = MoreOps.pixelShuffle(sd, "y", x, 2, 1, 2, 2);
        INDArray in = iota(1, 4, 2, 2);
        INDArray out = run(sd, y, "x", in);
        assertArrayEquals(new long[] {1, 1, 4, 4}, out.shape());
        // out[0, 0, h*2 + i, w*2 + j] = in[0, i*2 + j, h, w]
        for (int c = 0; c < 4; c++)
            for (int h = 0; h < 2; h++)
                for (int w = 0; w < 2; w++)
                    assertEquals(in.getFloat(0, c, h, w), out.getFloat(0, 0, h * 2 + c / 2, w * 2 + c % 2));
    }

    @Test
    void bilinearUpsamplingMatchesHalfPixelInterpolation() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 1, 1, 2);
        SDVariable y = MoreOps.upsampleBilinear(sd, "y", x, 2, 1, 1, 2);
        INDArray out = run(sd, y, "x", Nd4j.createFromArray(new float[] {0, 4}).reshape(1, 1, 1, 2));
        // PyTorch align_corners=False: [0, 1, 3, 4] along the width; height 1 -> 2 identical rows
        assertArrayEquals(new float[] {0, 1, 3, 4, 0, 1, 3, 4}, out.reshape(8).toFloatVector(), 1e-6f);
    }

    @Test
    void depthwiseAndGroupedConvolutionsKeepChannelsApart() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 2, 3, 3);
        // depthwise 1x1: channel c scaled by w[c]; layout [kH, kW, 1, C]
        SDVariable wd = sd.var("wd", Nd4j.createFromArray(new float[] {2, -1}).reshape(1, 1, 1, 2));
        SDVariable yd = MoreOps.conv2d(sd, "yd", x, wd, null, 1, 1, 0, 0, 0, 0, 1, 1, 2);
        // groups=2 with 2 outputs per group: [1, 1, 1, 4]
        SDVariable wg = sd.var("wg", Nd4j.createFromArray(new float[] {1, 3, 5, 7}).reshape(1, 1, 1, 4));
        SDVariable yg = MoreOps.conv2d(sd, "yg", x, wg, null, 1, 1, 0, 0, 0, 0, 1, 1, 2);
        INDArray in = iota(1, 2, 3, 3);
        INDArray d = run(sd, yd, "x", in);
        INDArray g = sd.output(Map.of("x", in), "yg").get("yg");
        assertEquals(2 * in.getFloat(0, 0, 1, 2), d.getFloat(0, 0, 1, 2), 1e-5);
        assertEquals(-in.getFloat(0, 1, 2, 0), d.getFloat(0, 1, 2, 0), 1e-5);
        assertArrayEquals(new long[] {1, 4, 3, 3}, g.shape());
        assertEquals(3 * in.getFloat(0, 0, 0, 1), g.getFloat(0, 1, 0, 1), 1e-5);
        assertEquals(5 * in.getFloat(0, 1, 0, 1), g.getFloat(0, 2, 0, 1), 1e-5);
    }

    @Test
    void depthwiseRelu6AndPoolingPassGradientsToTheWeights() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 2, 4, 4);
        SDVariable w = sd.var("w", Nd4j.createFromArray(new float[] {0.5f, -0.25f, 0.75f, 1.0f}).reshape(1, 1, 1, 4));
        SDVariable b = sd.var("b", Nd4j.createFromArray(new float[] {0.1f, 0.2f, 0.3f, 0.4f}));
        SDVariable y = MoreOps.conv2d(sd, "y", x, w, b, 1, 1, 0, 0, 0, 0, 1, 1, 2);
        SDVariable r = MoreOps.relu6(sd, "r", y);
        SDVariable p = MoreOps.pool2d(sd, "p", r, false, 4, 4, 1, 1, 0, 0, 0, 0);
        SDVariable loss = p.mul(p).sum();
        INDArray in = iota(1, 2, 4, 4).divi(8);
        Map<String, INDArray> grads = sd.calculateGradients(Map.of("x", in), "w", "b");
        // numeric gradient of the loss with respect to each weight
        for (int k = 0; k < 4; k++) {
            INDArray wv = sd.getArrForVarName("w");
            float w0 = wv.getFloat(k);
            wv.putScalar(k, w0 + 1e-2f);
            double up = sd.output(Map.of("x", in), loss.name()).get(loss.name()).getDouble(0);
            wv.putScalar(k, w0 - 1e-2f);
            double down = sd.output(Map.of("x", in), loss.name()).get(loss.name()).getDouble(0);
            wv.putScalar(k, w0);
            double numeric = (up - down) / 2e-2;
            assertEquals(numeric, grads.get("w").getDouble(k), 1e-2 * Math.max(1, Math.abs(numeric)), "dL/dw[" + k + "]");
        }
        assertEquals(4, grads.get("b").length());
    }

    @Test
    void asymmetricPaddingPadsBottomRightOnly() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 1, 2, 2);
        SDVariable w = sd.var("w", Nd4j.ones(DataType.FLOAT, 2, 2, 1, 1));
        SDVariable y = MoreOps.conv2d(sd, "y", x, w, null, 1, 1, 0, 0, 1, 1, 1, 1, 1);
        INDArray out = run(sd, y, "x", Nd4j.createFromArray(new float[] {1, 2, 3, 4}).reshape(1, 1, 2, 2));
        assertArrayEquals(new float[] {10, 6, 7, 4}, out.reshape(4).toFloatVector(), 1e-6f);
    }

    @Test
    void zerosFollowTheBatchAndPenaltiesAreBatchMeans() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 3);
        SDVariable z = MoreOps.zeros(sd, "z", x, 3, 2, 2);
        SDVariable h = MoreOps.hoyer(sd, x, 1);
        SDVariable lp = MoreOps.logPenalty(sd, x, 1.0, 1);
        SDVariable pl2 = MoreOps.projectL2(sd, "p", x, 1.0, 1);
        INDArray in = Nd4j.createFromArray(new float[][] {{3, 0, 4}, {0, 0, 0.5f}});
        Map<String, INDArray> o = sd.output(Map.of("x", in), "z", h.name(), lp.name(), "p");
        assertArrayEquals(new long[] {2, 2, 2}, o.get("z").shape());
        assertEquals(0, o.get("z").sumNumber().doubleValue());
        assertEquals((7.0 / 5 + 1.0) / 2, o.get(h.name()).getDouble(0), 1e-5);
        assertEquals((Math.log(4) + Math.log(5) + Math.log(1.5)) / 2, o.get(lp.name()).getDouble(0), 1e-5);
        assertArrayEquals(new float[] {0.6f, 0, 0.8f, 0, 0, 0.5f}, o.get("p").reshape(6).toFloatVector(), 1e-6f);
    }

    @Test
    void initialisersConvertToTheTrainingLayoutInOnePlace(@TempDir Path dir) throws Exception {
        INDArray dense = iota(3, 2);                       // IR [out=3, in=2]
        assertArrayEquals(new long[] {2, 3}, Inits.toRuntime(dense).shape());
        assertEquals(dense.getFloat(2, 1), Inits.toRuntime(dense).getFloat(1, 2));
        INDArray conv = iota(4, 2, 3, 3);                  // IR [out, in, kh, kw]
        INDArray rt = Inits.toRuntime(conv);
        assertArrayEquals(new long[] {3, 3, 2, 4}, rt.shape());
        assertEquals(conv.getFloat(3, 1, 0, 2), rt.getFloat(0, 2, 1, 3));
        assertEquals(conv, Inits.toIr(rt));
        assertEquals(-4f, Inits.laplacian(1, 1, 3, 3).getFloat(0, 0, 1, 1));
        assertEquals(1.0, Inits.gaussian(1.5, 1, 1, 5, 5).sumNumber().doubleValue(), 1e-5);
        INDArray a = Nd4j.createFromArray(new float[][] {{1, 0}, {0, 2}});   // A^T A = diag(1, 4): L = 4
        assertEquals(4.0, Inits.lipschitz(a), 1e-6);
        assertArrayEquals(new float[] {0.75f, 0, 0, 0}, Inits.istaS(a).reshape(4).toFloatVector(), 1e-6f);
        assertArrayEquals(new float[] {0.25f, 0, 0, 0.5f}, Inits.dictionaryT(a).reshape(4).toFloatVector(), 1e-6f);
        Path f = dir.resolve("w.txt");
        Files.writeString(f, "# two by two\n1, 2\n3 4\n");
        assertEquals(3f, Inits.file(f, 2, 2).getFloat(1, 0));
        assertThrows(DataException.class, () -> Inits.file(f, 3, 2));
        assertThrows(DataException.class, () -> Inits.file(dir.resolve("missing.txt"), 1));
    }
}
