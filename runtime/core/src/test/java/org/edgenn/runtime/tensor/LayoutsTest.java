package org.edgenn.runtime.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.edgenn.runtime.quant.QuantParams;
import org.junit.jupiter.api.Test;

class LayoutsTest {
    @Test
    void nchwNhwcRoundTripAndIndexing() {
        Random r = new Random(3);
        int n = 2, c = 3, h = 4, w = 5;
        byte[] nchw = new byte[n * c * h * w];
        r.nextBytes(nchw);
        Int8Tensor t = new Int8Tensor(nchw, n, h, w, c, Layout.NCHW, new QuantParams(0.1f, 0));
        Int8Tensor u = t.toLayout(Layout.NHWC);
        for (int b = 0; b < n; b++) for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) for (int ch = 0; ch < c; ch++) {
            assertEquals(nchw[((b * c + ch) * h + y) * w + x], u.get(b, y, x, ch));
            assertEquals(u.data()[((b * h + y) * w + x) * c + ch], t.get(b, y, x, ch));
        }
        assertArrayEquals(nchw, u.toLayout(Layout.NCHW).data());
        assertEquals(t, u.toLayout(Layout.NCHW));
    }

    @Test
    void oihwToOhwiMovesInputChannelsInnermost() {
        int k = 3, cg = 2, fy = 2, fx = 3;
        byte[] oihw = new byte[k * cg * fy * fx];
        for (int i = 0; i < oihw.length; i++) oihw[i] = (byte) i;
        byte[] ohwi = Layouts.oihwToOhwi(oihw, k, cg, fy, fx);
        for (int o = 0; o < k; o++) for (int i = 0; i < cg; i++) for (int y = 0; y < fy; y++) for (int x = 0; x < fx; x++)
            assertEquals(oihw[((o * cg + i) * fy + y) * fx + x], ohwi[((o * fy + y) * fx + x) * cg + i]);
    }

    @Test
    void rejectsWrongSizes() {
        assertThrows(IllegalArgumentException.class, () -> new Int8Tensor(new byte[5], 1, 2, 2, 1, Layout.NHWC, new QuantParams(1f, 0)));
        assertThrows(IllegalArgumentException.class, () -> Layouts.nchwToNhwc(new byte[4], new byte[5], 1, 1, 2, 2));
    }
}
