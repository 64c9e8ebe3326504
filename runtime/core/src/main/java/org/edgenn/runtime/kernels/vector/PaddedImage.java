package org.edgenn.runtime.kernels.vector;

import static org.edgenn.runtime.kernels.vector.VecQuant.FS;
import static org.edgenn.runtime.kernels.vector.VecQuant.L;

import java.util.Arrays;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.edgenn.runtime.kernels.Conv2dSpec;

/**
 * Scratch of the vector convolutions: one int8 NHWC image of a batch as a float buffer padded with
 * the input zero point (so padded taps contribute exactly 0 once zx·Σw is folded into the bias),
 * with channel stride {@link #cs} and {@code slack} floats after the image that kernels may read
 * (they are multiplied by zero weights only).
 */
final class PaddedImage {
    private static final VectorSpecies<Byte> BS = VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 8));

    private final Conv2dSpec s;
    private final float zx;
    private final boolean padded;
    final int hp, wp, cs;
    final float[] xf;
    /** Offsets between the top-left input position of neighbouring output rows and columns. */
    final int rowStride, colStride;

    PaddedImage(Conv2dSpec s, int zx, int cs, int slack) {
        this.s = s;
        this.zx = zx;
        this.cs = cs;
        hp = s.h() + s.padTop() + s.padBottom();
        wp = s.w() + s.padLeft() + s.padRight();
        padded = s.padTop() + s.padBottom() + s.padLeft() + s.padRight() > 0;
        xf = new float[Math.addExact(Math.multiplyExact(Math.multiplyExact(hp, wp), cs), slack)];
        rowStride = s.strideY() * wp * cs;
        colStride = s.strideX() * cs;
    }

    /** Offset in {@link #xf} of the top-left tap of output pixel p (row-major over the output image). */
    int base(int p, int ow) {
        return (p / ow) * rowStride + (p % ow) * colStride;
    }

    /** Offset of filter tap (fy, fx) relative to {@link #base}. */
    int tap(int fy, int fx) {
        return (fy * s.dilationY() * wp + fx * s.dilationX()) * cs;
    }

    /** Vector leaf (see {@link VectorDotConv}'s warm-up note): dst[d, d+n) = src[s, s+n) as floats. */
    private static void toFloats(byte[] src, int s, float[] dst, int d, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            ((FloatVector) ByteVector.fromArray(BS, src, s + i).convertShape(VectorOperators.B2F, FS, 0)).intoArray(dst, d + i);
        }
        for (; i < n; i++) dst[d + i] = src[s + i];
    }

    /** int8 NHWC image b → this buffer (B2F vector conversion; only the padding border is filled with the zero point). */
    void load(byte[] in, int b) {
        int c = s.c(), w = s.w(), h = s.h();
        if (padded) {
            Arrays.fill(xf, 0, s.padTop() * wp * cs, zx);
            Arrays.fill(xf, (s.padTop() + h) * wp * cs, hp * wp * cs, zx);
            for (int y = 0; y < h; y++) {
                int row = (y + s.padTop()) * wp * cs;
                Arrays.fill(xf, row, row + s.padLeft() * cs, zx);
                Arrays.fill(xf, row + (s.padLeft() + w) * cs, row + wp * cs, zx);
            }
        }
        int src0 = b * h * w * c;
        if (cs == c) {
            int rowLen = w * c;
            for (int y = 0; y < h; y++) {
                int src = src0 + y * rowLen, dst = ((y + s.padTop()) * wp + s.padLeft()) * cs;
                toFloats(in, src, xf, dst, rowLen);
            }
        } else {
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) {
                    int src = src0 + (y * w + x) * c, dst = ((y + s.padTop()) * wp + x + s.padLeft()) * cs;
                    for (int i = 0; i < c; i++) xf[dst + i] = in[src + i];
                }
        }
    }
}
