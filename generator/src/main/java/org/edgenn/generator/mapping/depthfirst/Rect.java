package org.edgenn.generator.mapping.depthfirst;

/**
 * Rows {@code y0..y1} and columns {@code x0..x1} (inclusive) of a feature map's plane: a tile of it, or the part of it
 * a tile needs. Empty when {@code y1 < y0} or {@code x1 < x0}.
 */
public record Rect(int y0, int y1, int x0, int x1) {
    public static final Rect EMPTY = new Rect(0, -1, 0, -1);

    public int rows() {
        return Math.max(0, y1 - y0 + 1);
    }

    public int cols() {
        return Math.max(0, x1 - x0 + 1);
    }

    public boolean isEmpty() {
        return rows() == 0 || cols() == 0;
    }

    /** Positions of the plane covered. */
    public long area() {
        return (long) rows() * cols();
    }

    /** The bounding box of both (the region one tensor must hold for several consumers). */
    public Rect union(Rect o) {
        if (o == null || o.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return o;
        }
        return new Rect(Math.min(y0, o.y0), Math.max(y1, o.y1), Math.min(x0, o.x0), Math.max(x1, o.x1));
    }

    @Override
    public String toString() {
        return isEmpty() ? "[]" : "[" + y0 + ".." + y1 + " x " + x0 + ".." + x1 + "]";
    }
}
