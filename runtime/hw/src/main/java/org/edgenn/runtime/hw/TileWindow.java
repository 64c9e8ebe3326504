package org.edgenn.runtime.hw;

import java.util.function.IntPredicate;

/**
 * Where a tile nest of a convolution or pooling sits in its layer, for a depth-first stack executing the layer tile by
 * tile: the nest's output row and column 0 are the layer's {@code row} and {@code col} (its input window starts at
 * {@code row * strideY} of the padded plane), and {@code held} says which input values the memory the nest reads from
 * holds (by value index in the layer's NHWC input buffer; null: all of them, the backing store's tensor). A nest that
 * reads a value its memory does not hold (a halo the stack did not compute, a cached row already evicted) is a broken
 * schedule; a padding tap outside the plane reads nothing.
 */
public record TileWindow(int row, int col, IntPredicate held) {
    /** The whole layer: no offset, every input held. */
    public static final TileWindow WHOLE = new TileWindow(0, 0, null);

    public TileWindow {
        if (row < 0 || col < 0) {
            throw new IllegalArgumentException("tile at row " + row + ", column " + col);
        }
    }

    /** Whether this is the whole layer's window. */
    public boolean whole() {
        return row == 0 && col == 0 && held == null;
    }
}
