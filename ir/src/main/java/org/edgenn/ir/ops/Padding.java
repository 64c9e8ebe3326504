package org.edgenn.ir.ops;

/** Zero padding of a 2-D window op, in pixels per side. */
public record Padding(int top, int left, int bottom, int right) {
    public static final Padding NONE = new Padding(0, 0, 0, 0);

    public Padding {
        if (top < 0 || left < 0 || bottom < 0 || right < 0) {
            throw new IllegalArgumentException("padding must not be negative");
        }
    }

    public static Padding symmetric(int py, int px) {
        return new Padding(py, px, py, px);
    }

    /**
     * TensorFlow's "same" padding for stride 1 generalised: output = ceil(input / stride); any odd
     * remainder goes to the bottom/right, as TensorFlow and ONNX's SAME_UPPER do.
     */
    public static Padding same(int h, int w, int kh, int kw, int sh, int sw, int dh, int dw) {
        int ph = samePad(h, kh, sh, dh);
        int pw = samePad(w, kw, sw, dw);
        return new Padding(ph / 2, pw / 2, ph - ph / 2, pw - pw / 2);
    }

    private static int samePad(int size, int k, int s, int d) {
        int out = (size + s - 1) / s;
        int effective = d * (k - 1) + 1;
        return Math.max(0, (out - 1) * s + effective - size);
    }
}
