package org.edgenn.ir.ops;

import org.edgenn.ir.ShapeException;

/** A 2-D sliding window (kernel, stride, dilation, padding): the geometry shared by convolutions and pooling. */
public record Window(int kh, int kw, int sh, int sw, int dh, int dw, Padding padding) {
    public Window {
        if (kh < 1 || kw < 1 || sh < 1 || sw < 1 || dh < 1 || dw < 1) {
            throw new IllegalArgumentException("kernel, stride and dilation must be positive");
        }
    }

    public static Window square(int k, int stride, int pad) {
        return new Window(k, k, stride, stride, 1, 1, Padding.symmetric(pad, pad));
    }

    /** Output rows for {@code h} input rows; a {@link ShapeException} when the window does not fit. */
    public int outH(int h) throws ShapeException {
        return out(h, kh, sh, dh, padding.top() + padding.bottom(), "height");
    }

    public int outW(int w) throws ShapeException {
        return out(w, kw, sw, dw, padding.left() + padding.right(), "width");
    }

    private static int out(int size, int k, int s, int d, int pad, String what) throws ShapeException {
        int effective = d * (k - 1) + 1;
        if (size + pad < effective) {
            throw new ShapeException(0, "window of " + effective + " does not fit the padded input " + what
                    + " " + (size + pad));
        }
        return (size + pad - effective) / s + 1;
    }
}
