package org.edgenn.ir.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.edgenn.ir.Shape;
import org.edgenn.ir.ShapeException;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * Shape and cost rules of the ops against independent references: output sizes and MACs counted
 * by walking every window position and tap, not by the closed forms the ops use.
 */
class OpShapesTest {

    /** Counts the window positions along one axis by trying every start offset. */
    private static int positions(int size, int k, int stride, int dilation, int padBefore, int padAfter) {
        int count = 0;
        for (int start = -padBefore; ; start += stride) {
            int last = start + (k - 1) * dilation;
            if (last > size - 1 + padAfter) {
                return count;
            }
            count++;
        }
    }

    @RepeatedTest(300)
    void convolutionMatchesBruteForce(org.junit.jupiter.api.RepetitionInfo info) throws ShapeException {
        Random r = new Random(info.getCurrentRepetition());
        int groups = 1 + r.nextInt(4);
        int in = groups * (1 + r.nextInt(4));
        int out = groups * (1 + r.nextInt(4));
        int kh = 1 + r.nextInt(5);
        int kw = 1 + r.nextInt(5);
        int sh = 1 + r.nextInt(3);
        int sw = 1 + r.nextInt(3);
        int dh = 1 + r.nextInt(3);
        int dw = 1 + r.nextInt(3);
        Padding pad = new Padding(r.nextInt(3), r.nextInt(3), r.nextInt(3), r.nextInt(3));
        int h = (kh - 1) * dh + 1 + r.nextInt(12);
        int w = (kw - 1) * dw + 1 + r.nextInt(12);
        Conv2d conv = new Conv2d(in, out, new Window(kh, kw, sh, sw, dh, dw, pad), groups, r.nextBoolean());
        Shape y = conv.outputShape(List.of(Shape.of(in, h, w)));
        int oh = positions(h, kh, sh, dh, pad.top(), pad.bottom());
        int ow = positions(w, kw, sw, dw, pad.left(), pad.right());
        assertEquals(Shape.of(out, oh, ow), y);
        // MACs: every output element reads in/groups channels through every tap (padding included)
        long macs = 0;
        for (int o = 0; o < out * oh * ow; o++) {
            for (int c = 0; c < in / groups; c++) {
                macs += (long) kh * kw;
            }
        }
        assertEquals(macs, conv.macs(List.of(Shape.of(in, h, w)), y));
        long params = (long) out * (in / groups) * kh * kw + (conv.bias() ? out : 0);
        assertEquals(params, conv.weights().stream().mapToLong(ws -> ws.shape().size()).sum());
    }

    @RepeatedTest(100)
    void samePaddingKeepsCeilOfSizeOverStride(org.junit.jupiter.api.RepetitionInfo info) throws ShapeException {
        Random r = new Random(1000 + info.getCurrentRepetition());
        int k = 1 + r.nextInt(7);
        int s = 1 + r.nextInt(3);
        int d = 1 + r.nextInt(2);
        int h = 1 + r.nextInt(30);
        int w = 1 + r.nextInt(30);
        Padding p = Padding.same(h, w, k, k, s, s, d, d);
        Window win = new Window(k, k, s, s, d, d, p);
        assertEquals((h + s - 1) / s, win.outH(h));
        assertEquals((w + s - 1) / s, win.outW(w));
    }

    @Test
    void pixelShuffleAndUpsample() throws ShapeException {
        assertEquals(Shape.of(3, 16, 16), new PixelShuffle(2).outputShape(List.of(Shape.of(12, 8, 8))));
        assertEquals(Shape.of(3, 24, 24), new Upsample(3, Upsample.Mode.NEAREST).outputShape(List.of(Shape.of(3, 8, 8))));
        ShapeException e = assertThrows(ShapeException.class,
                () -> new PixelShuffle(3).outputShape(List.of(Shape.of(12, 8, 8))));
        assertEquals(0, e.inputIndex());
    }

    @Test
    void broadcastingAcceptsSingleValuesOnly() throws ShapeException {
        Elementwise add = new Elementwise(Elementwise.Kind.ADD);
        assertEquals(Shape.of(4, 2), add.outputShape(List.of(Shape.of(4, 2), Shape.SCALAR)));
        assertEquals(Shape.of(4, 2), add.outputShape(List.of(Shape.of(1), Shape.of(4, 2))));
        ShapeException e = assertThrows(ShapeException.class, () -> add.outputShape(List.of(Shape.of(4), Shape.of(2))));
        assertEquals(1, e.inputIndex());
    }

    @Test
    void thresholdsPerChannelPerElementOrSingle() throws ShapeException {
        Shrink s = new Shrink(Shrink.Kind.SOFT);
        Shape x = Shape.of(8, 4, 4);
        assertEquals(x, s.outputShape(List.of(x, Shape.of(8))));
        assertEquals(x, s.outputShape(List.of(x, Shape.of(1))));
        assertEquals(x, s.outputShape(List.of(x, x)));
        assertThrows(ShapeException.class, () -> s.outputShape(List.of(x, Shape.of(4))));
    }

    @Test
    void lossesAreScalarsOfMatchingShapes() throws ShapeException {
        assertEquals(Shape.SCALAR, new Loss(Loss.Kind.NMSE, 0).outputShape(List.of(Shape.of(5), Shape.of(5))));
        assertEquals(Shape.SCALAR, new Loss(Loss.Kind.L1, 0).outputShape(List.of(Shape.of(5, 2))));
        assertThrows(ShapeException.class, () -> new Loss(Loss.Kind.CROSS_ENTROPY, 0)
                .outputShape(List.of(Shape.of(1, 10), Shape.of(1, 10))));
        assertThrows(ShapeException.class, () -> new Loss(Loss.Kind.L1, 0).outputShape(List.of(Shape.of(5), Shape.of(5))));
    }

    @Test
    void concatAddsChannels() throws ShapeException {
        assertEquals(Shape.of(7, 4, 4), new Concat().outputShape(List.of(Shape.of(3, 4, 4), Shape.of(4, 4, 4))));
    }
}
