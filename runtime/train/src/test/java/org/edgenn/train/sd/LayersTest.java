package org.edgenn.train.sd;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.junit.jupiter.api.Assertions.*;

class LayersTest {
    /** The documented layouts: NCHW activations, [kH, kW, inC, outC] weights, checked against plain loops. */
    @Test
    void conv2dMatchesPlainLoopReferenceWithDocumentedLayouts() {
        int n = 2, c = 2, h = 5, w = 6, k = 3, o = 4, stride = 2, pad = 1;
        INDArray x = Params.gaussian(1, 1, n, c, h, w);
        INDArray wt = Params.gaussian(2, 1, k, k, c, o);
        INDArray b = Params.gaussian(3, 1, o);
        SameDiff sd = SameDiff.create();
        SDVariable y = Layers.conv2d(sd, "y", sd.constant("x", x), sd.var("w", wt), sd.var("b", b), stride, pad);
        INDArray out = y.eval();
        int ho = (h + 2 * pad - k) / stride + 1, wo = (w + 2 * pad - k) / stride + 1;
        assertArrayEquals(new long[] {n, o, ho, wo}, out.shape());
        for (int bi = 0; bi < n; bi++)
            for (int oc = 0; oc < o; oc++)
                for (int yy = 0; yy < ho; yy++)
                    for (int xx = 0; xx < wo; xx++) {
                        double s = b.getDouble(oc);
                        for (int ic = 0; ic < c; ic++)
                            for (int ky = 0; ky < k; ky++)
                                for (int kx = 0; kx < k; kx++) {
                                    int iy = yy * stride - pad + ky, ix = xx * stride - pad + kx;
                                    if (iy < 0 || ix < 0 || iy >= h || ix >= w) continue;
                                    s += x.getDouble(bi, ic, iy, ix) * wt.getDouble(ky, kx, ic, oc);
                                }
                        assertEquals(s, out.getDouble(bi, oc, yy, xx), 1e-4, "at " + bi + "," + oc + "," + yy + "," + xx);
                    }
    }

    @Test
    void denseIsXTimesWPlusB() {
        INDArray x = Params.gaussian(4, 1, 3, 5), wt = Params.gaussian(5, 1, 5, 2), b = Params.gaussian(6, 1, 2);
        SameDiff sd = SameDiff.create();
        INDArray out = Layers.dense(sd, "d", sd.constant("x", x), sd.var("w", wt), sd.var("b", b)).eval();
        assertTrue(out.equalsWithEps(x.mmul(wt).addRowVector(b), 1e-5));
        INDArray pooled = Layers.maxPool2d(sd, "p", sd.constant("i", Params.gaussian(7, 1, 1, 1, 4, 4)), 2, 2).eval();
        assertArrayEquals(new long[] {1, 1, 2, 2}, pooled.shape());
    }
}
