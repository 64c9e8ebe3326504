package org.edgenn.ir;

import java.util.Arrays;

/**
 * A static tensor shape without the batch dimension; images are {@code [C, H, W]}.
 * The scalar shape has no dimensions.
 */
public final class Shape {
    public static final Shape SCALAR = new Shape(new int[0]);

    private final int[] dims;

    private Shape(int[] dims) {
        this.dims = dims;
    }

    public static Shape of(int... dims) {
        for (int d : dims) {
            if (d < 1) {
                throw new IllegalArgumentException("dimensions must be positive: " + Arrays.toString(dims));
            }
        }
        return dims.length == 0 ? SCALAR : new Shape(dims.clone());
    }

    public int rank() {
        return dims.length;
    }

    public int dim(int i) {
        return dims[i];
    }

    public int[] dims() {
        return dims.clone();
    }

    /** Number of elements; 1 for the scalar shape. */
    /** The element count; Long.MAX_VALUE when it exceeds a long (three dims near 2^31 wrapped to a small or negative count). */
    public long size() {
        long n = 1;
        for (int d : dims) {
            if (d > 0 && n > Long.MAX_VALUE / d) {
                return Long.MAX_VALUE;
            }
            n *= d;
        }
        return n;
    }

    /** True for the scalar shape and for single-element shapes such as {@code [1]}: these broadcast. */
    public boolean isScalarLike() {
        return size() == 1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** {@code [500]}, {@code [16, 28, 28]}, {@code []} for a scalar. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < dims.length; i++) {
            b.append(i == 0 ? "" : ", ").append(dims[i]);
        }
        return b.append(']').toString();
    }
}
