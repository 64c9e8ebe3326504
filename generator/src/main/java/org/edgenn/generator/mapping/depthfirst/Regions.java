package org.edgenn.generator.mapping.depthfirst;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.edgenn.generator.mapping.schedule.Residency;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.runtime.cost.Workload;

/**
 * The tiles of a stack and what each computes, in closed form: the last pass's output plane is cut into tiles of
 * {@code rows x cols} (row-major, the last row and column of tiles possibly smaller); for each tile, going back from the
 * last pass, a pass computes the region of its output that its consumers in the stack need (the bounding box of their
 * input windows {@code [y0*s - pad, y1*s + (F-1)*d - pad]}, clipped to the plane, and of the regions fused ops read),
 * minus, in {@link OverlapMode#CACHED} mode, the rows earlier bands computed (in {@link OverlapMode#H_CACHED} mode, the
 * columns earlier tiles of the same tile row computed). The intermediates' stored regions are
 * what the tile needs of them (cached rows included); their bytes are taken from the on-chip level.
 */
public final class Regions {
    private Regions() {
    }

    /**
     * One tile: per stack position the region computed (possibly empty), and the bytes of intermediates the on-chip
     * level holds while that position runs: with the value being produced at its producer's partial-sum width
     * ({@code reservedBytes}), or at its stored width ({@code reservedFinalBytes}, for a tile nest whose mapping sends
     * only final values to that level).
     */
    public record Tile(Rect output, List<Rect> computed, long[] reservedBytes, long[] reservedFinalBytes) {
    }

    /** Every tile of the stack in execution order. {@code CACHED} needs full-width bands ({@code cols} = the plane's width). */
    public static List<Tile> of(StackShape s, int rows, int cols, OverlapMode mode) {
        Workload last = s.lastWorkload();
        int height = last.bound(LoopDim.OY);
        int width = last.bound(LoopDim.OX);
        if (rows < 1 || cols < 1 || mode == OverlapMode.CACHED && cols < width) {
            throw new IllegalArgumentException("tile " + rows + "x" + cols + " in mode " + mode + " on a " + height + "x" + width + " plane");
        }
        int n = s.size();
        int[] done = new int[n];
        java.util.Arrays.fill(done, -1);
        int[] doneCols = new int[n]; // H_CACHED: the last column each pass computed in this tile row
        List<Tile> tiles = new ArrayList<>();
        for (int ty = 0; ty < height; ty += rows) {
            java.util.Arrays.fill(doneCols, -1);
            for (int tx = 0; tx < width; tx += cols) {
                Rect out = new Rect(ty, Math.min(height, ty + rows) - 1, tx, Math.min(width, tx + cols) - 1);
                Map<String, Rect> needed = new HashMap<>();
                Rect[] computed = new Rect[n];
                for (int p = n - 1; p >= 0; p--) {
                    StackShape.Pass pass = s.passes().get(p);
                    Rect need = p == n - 1 ? out : needed.getOrDefault(pass.group().output(), Rect.EMPTY);
                    Rect c = need;
                    if (mode == OverlapMode.CACHED && !need.isEmpty()) {
                        c = new Rect(Math.max(need.y0(), done[p] + 1), need.y1(), need.x0(), need.x1());
                        done[p] = Math.max(done[p], need.y1());
                    } else if (mode == OverlapMode.H_CACHED && !need.isEmpty()) {
                        c = new Rect(need.y0(), need.y1(), Math.max(need.x0(), doneCols[p] + 1), need.x1());
                        doneCols[p] = Math.max(doneCols[p], need.x1());
                    }
                    computed[p] = c;
                    if (c.isEmpty()) {
                        continue;
                    }
                    if (pass.inputProducer() >= 0) {
                        Workload from = s.passes().get(pass.inputProducer()).workload();
                        needed.merge(pass.input(), window(pass.workload(), c, from), Rect::union);
                    }
                    for (String x : pass.group().extraReads()) {
                        if (s.producer(x) != null) {
                            needed.merge(x, c, Rect::union);
                        }
                    }
                }
                tiles.add(new Tile(out, List.of(computed), reserved(s, needed, mode, false), reserved(s, needed, mode, true)));
            }
        }
        return tiles;
    }

    /** The region of the producer's plane ({@code from}'s output) that computing {@code c} of {@code w} reads. */
    static Rect window(Workload w, Rect c, Workload from) {
        int h = from.bound(LoopDim.OY);
        int wd = from.bound(LoopDim.OX);
        int y0 = c.y0() * w.strideY() - w.padY();
        int y1 = c.y1() * w.strideY() + (w.bound(LoopDim.FY) - 1) * w.dilationY() - w.padY();
        int x0 = c.x0() * w.strideX() - w.padX();
        int x1 = c.x1() * w.strideX() + (w.bound(LoopDim.FX) - 1) * w.dilationX() - w.padX();
        return new Rect(Math.max(0, y0), Math.min(h - 1, y1), Math.max(0, x0), Math.min(wd - 1, x1));
    }

    /**
     * Per position, the bytes of the intermediates held while it runs: those live then (produced at or before it, read
     * at or after it); in the cached modes all of them (their line or column buffers persist from tile to tile).
     */
    private static long[] reserved(StackShape s, Map<String, Rect> needed, OverlapMode mode, boolean finalWidth) {
        long[] r = new long[s.size()];
        for (String t : s.intermediates()) {
            Rect region = needed.getOrDefault(t, Rect.EMPTY);
            int from = s.producer(t);
            int to = s.lastConsumer(t);
            Workload producer = s.passes().get(from).workload();
            long elements = region.area() * producer.bound(LoopDim.N) * StackShape.channelsOut(producer);
            int bits = s.tensor(t).bits();
            for (int p = 0; p < r.length; p++) {
                if (mode.keepsBuffers() || from <= p && p <= to) {
                    r[p] += Residency.bytes(elements, p == from && !finalWidth ? Math.max(bits, producer.partialSumBits()) : bits);
                }
            }
        }
        return r;
    }
}
