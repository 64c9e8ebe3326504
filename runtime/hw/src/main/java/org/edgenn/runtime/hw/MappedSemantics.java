package org.edgenn.runtime.hw;

import java.util.List;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.runtime.cost.LayerKind;
import org.edgenn.runtime.cost.Workload;
import org.edgenn.runtime.kernels.Backend;
import org.edgenn.runtime.kernels.Conv2d;
import org.edgenn.runtime.kernels.Conv2dSpec;
import org.edgenn.runtime.kernels.Pool2d;
import org.edgenn.runtime.net.Int8Layer;
import org.edgenn.runtime.quant.QuantMath;
import org.edgenn.runtime.quant.Requantizer;
import org.edgenn.runtime.tensor.ActivationBytes;

/**
 * What one PE of the accelerator does for a layer, as {@link MappedExecution} needs it: the operand values in the
 * backing store (weights, inputs on the padded plane), one MAC step, how partial sums of the same output combine
 * (adder tree, or comparator for max pooling), and the output stage (requantization). The arithmetic is the
 * {@link FunctionalModel}'s, element by element: an accumulator saturating at the accelerator's declared width, partial
 * sums stored at the workload's partial-sum width ({@code accumulator intM}, or a ZigZag file's partial-sum precision).
 *
 * <p>Coordinates are the loop-nest dimensions of {@link Workload} ({@code d[LoopDim.ordinal()]}); a coordinate at or
 * beyond its bound is a padded iteration of an imperfect spatial factor, and a window tap outside the input plane is
 * zero padding: both are executed (they move data) and add nothing.
 */
abstract class MappedSemantics {
    static final int N = LoopDim.N.ordinal(), G = LoopDim.G.ordinal(), K = LoopDim.K.ordinal(), C = LoopDim.C.ordinal(),
            OY = LoopDim.OY.ordinal(), OX = LoopDim.OX.ordinal(), FY = LoopDim.FY.ordinal(), FX = LoopDim.FX.ordinal();

    final Workload w;
    final int accumulatorBits;
    /** The accelerator's overflow behaviour: sums wrap instead of saturating ({@code accumulator intM wrap}). */
    final boolean wraps;
    /** The nest's place in its layer (a depth-first tile) and which input values its memory holds. */
    TileWindow window = TileWindow.WHOLE;
    /** Accumulator updates, partial-sum stores and output-stage values that saturated. */
    long saturations;

    MappedSemantics(Workload w, AcceleratorArithmetic a) {
        this.w = w;
        this.accumulatorBits = a.accumulatorBits();
        this.wraps = a.wraps();
    }

    /** The weight {@code W[g][k][c][fy][fx]} (0 beyond the bounds). */
    long weight(int g, int k, int c, int fy, int fx) {
        return 0;
    }

    /** The input at {@code (n, g, c)} and row/column {@code iy, ix} of the padded plane. */
    abstract long input(int n, int g, int c, int iy, int ix);

    /** The value of an accumulator that has received nothing (0 for sums). */
    long identity() {
        return 0;
    }

    /** The accumulator's value at the first MAC of output {@code d} (the bias, saturated to the declared width). */
    long initial(int[] d) {
        return identity();
    }

    /** One PE step: the accumulator after the MAC at coordinates {@code d}. */
    abstract long mac(long acc, long weight, long input, int[] d);

    /** Two partial results of the same output meeting in an adder (saturating at the accumulator width). */
    long combine(long a, long b) {
        return saturate(a + b, accumulatorBits);
    }

    /** A partial sum as stored in a memory level (at the workload's partial-sum width). */
    long partial(long v) {
        return saturate(v, w.partialSumBits());
    }

    /** The output stage: the final accumulator of output {@code d} at the output width. */
    abstract long finish(long acc, int[] d);

    /** Puts output {@code d}'s value into the layer's output buffer at its width; returns its value index there. */
    abstract int write(byte[] out, int[] d, long v);

    /** An output-stage step that needs a whole vector (support selection), applied after the pass; none by default. */
    void complete(byte[] out) {
    }

    /** The layer's output plane (a tile's window must lie inside it). */
    int outputRows() {
        return w.bound(LoopDim.OY);
    }

    int outputCols() {
        return w.bound(LoopDim.OX);
    }

    /** The layer's output row and column of nest coordinates {@code d} (the window's offset added). */
    final int row(int[] d) {
        return d[OY] + window.row();
    }

    final int col(int[] d) {
        return d[OX] + window.col();
    }

    /**
     * Whether a tile's input row/column (nest coordinates) is read only by padded iterations of an imperfect spatial
     * factor: beyond the window of the nest's real outputs. In a whole layer that is off the plane (padding); in a tile
     * it may be a real position the tile's memory rightly does not hold, and the value is never used.
     */
    final boolean paddedOnly(int iy, int ix) {
        return !window.whole() && (iy > (w.bound(LoopDim.OY) - 1) * w.strideY() + (w.bound(LoopDim.FY) - 1) * w.dilationY()
                || ix > (w.bound(LoopDim.OX) - 1) * w.strideX() + (w.bound(LoopDim.FX) - 1) * w.dilationX());
    }

    /** An input value read from a memory that must hold it (a tile's intermediate region on chip). */
    final void held(int index, int n, int g, int c, int y, int x) {
        if (window.held() != null && !window.held().test(index)) {
            throw new MappedExecution.BrokenScheduleException(w.name() + ": input [n g c y x = " + n + ", " + g + ", " + c
                    + ", " + y + ", " + x + "] is needed by the tile at row " + window.row() + ", column " + window.col()
                    + " but its memory does not hold it");
        }
    }

    boolean inBounds(int[] d) {
        for (LoopDim dim : LoopDim.values()) {
            if (d[dim.ordinal()] >= w.bound(dim)) {
                return false;
            }
        }
        return true;
    }

    /** {@code v} at {@code bits} with the declared overflow behaviour (saturated or wrapped), counted when it changes. */
    final long saturate(long v, int bits) {
        long s = wraps ? QuantMath.wrapToBits(v, bits) : QuantMath.saturateToBits(v, bits);
        if (s != v) {
            saturations++;
        }
        return s;
    }

    /**
     * The semantics of {@code layer} (whose inputs are {@code inputs}) on an accelerator of arithmetic {@code a}, for the
     * loop nest {@code w} the mapping was made for.
     *
     * @throws IllegalArgumentException when the loop nest and the generated layer disagree on a dimension, or the layer
     *                                  is one the accelerator refuses (activations wider than its operands)
     */
    static MappedSemantics of(Int8Layer layer, List<byte[]> inputs, Workload w, FunctionalModel model, TileWindow window) {
        if (!window.whole() && !(layer instanceof Int8Layer.Mac || layer instanceof Int8Layer.Pool)) {
            throw new IllegalArgumentException(layer.name() + ": only convolutions and pooling run as tiles of a layer");
        }
        MappedSemantics sem = of(layer, inputs, w, model);
        sem.window = window;
        if (w.bound(LoopDim.OY) + window.row() > sem.outputRows() || w.bound(LoopDim.OX) + window.col() > sem.outputCols()) {
            throw new IllegalArgumentException("tile nest " + w + " at row " + window.row() + ", column " + window.col()
                    + " reaches beyond the layer's " + sem.outputRows() + "x" + sem.outputCols() + " output plane");
        }
        return sem;
    }

    private static MappedSemantics of(Int8Layer layer, List<byte[]> inputs, Workload w, FunctionalModel model) {
        return layer.accept(new Int8Layer.Visitor<MappedSemantics>() {
            @Override public MappedSemantics mac(Int8Layer.Mac m) { return new Mac(w, model, m.op(), inputs.get(0)); }
            @Override public MappedSemantics pool(Int8Layer.Pool p) { return new Pool(w, model, p.op(), inputs.get(0)); }
            @Override public MappedSemantics sum(Int8Layer.Sum s) {
                return new Pointwise(w, model, s.op().out().bits(), inputs.get(0), s.op().a().bits(), inputs.get(1), s.op().b().bits()) {
                    private final long[] sat = new long[1];
                    @Override long mac(long acc, long a, long x, int[] d) {
                        if (!inBounds(d)) return acc;
                        sat[0] = 0;
                        long v = model.addAccumulator(s.op(), (int) (x >> 32), (int) x, sat);
                        saturations += sat[0];
                        return v;
                    }
                    @Override long finish(long acc, int[] d) { return model.addOutput(s.op(), acc); }
                };
            }
            @Override public MappedSemantics shrink(Int8Layer.Shrink s) {
                return new Pointwise(w, model, s.op().bits(), inputs.get(0), s.op().bits(), null, 0) {
                    @Override long finish(long x, int[] d) {
                        int dv = (int) x - s.op().zeroPoint();
                        int mag = Math.max(Math.abs(dv) - s.op().threshold(index(d) % s.op().channels()), 0);
                        return s.op().zeroPoint() + (dv < 0 ? -mag : mag);
                    }
                };
            }
            @Override public MappedSemantics clamp(Int8Layer.Clamp c) {
                return new Pointwise(w, model, 8, inputs.get(0), 8, null, 0) {
                    @Override long finish(long x, int[] d) { return QuantMath.clamp((int) x, c.lo(), c.hi()); }
                };
            }
            @Override public MappedSemantics table(Int8Layer.Table t) {
                // 8-bit index; 8- or 16-bit entries (an 8-bit value mapped into a 16-bit tensor)
                int bits = t.outputBits();
                return new Pointwise(w, model, bits, inputs.get(0), 8, null, 0) {
                    @Override long finish(long x, int[] d) { return ActivationBytes.get(t.table(), (int) x - Byte.MIN_VALUE, bits); }
                };
            }
            @Override public MappedSemantics select(Int8Layer.Select s) {
                // the comparator network ranks a whole vector: the PEs pass the elements through, the output stage
                // selects once the vector is complete (the functional model's comparator network)
                int bits = s.op().bits();
                return new Pointwise(w, model, bits, inputs.get(0), bits, null, 0) {
                    @Override void complete(byte[] out) { model.run(s.op(), out.clone(), out); }
                };
            }
            @Override public MappedSemantics move(Int8Layer.Move m) {
                // data movement has no arithmetic: the gather is the scalar reference's, the PEs move its elements
                byte[] moved = new byte[m.output().length];
                m.op().run(inputs, moved, Backend.SCALAR);
                return new Pointwise(w, model, 8, moved, 8, null, 0);
            }
        });
    }

    /** Convolution, depthwise and dense layers ({@code Conv2d}; a dense layer is its 1x1 convolution). */
    static final class Mac extends MappedSemantics {
        private final Conv2d op;
        private final Conv2dSpec s;
        private final byte[] in;
        private final int inBits, outBits, zx, kPerGroup, cPerGroup;
        private final Requantizer rq;

        Mac(Workload w, FunctionalModel model, Conv2d op, byte[] in) {
            super(w, model.spec());
            this.op = op;
            this.s = op.spec();
            this.in = in;
            this.inBits = op.quant().in().bits();
            this.outBits = op.quant().out().bits();
            this.zx = op.inputZeroPoint();
            this.kPerGroup = s.outKPerGroup();
            this.cPerGroup = s.inC();
            operands(model, inBits, outBits);
            expect(w, s.n(), s.groups(), kPerGroup, cPerGroup, s.outH(), s.outW(), s.fy(), s.fx());
            if (w.strideY() != s.strideY() || w.strideX() != s.strideX() || w.dilationY() != s.dilationY()
                    || w.dilationX() != s.dilationX()) {
                throw new IllegalArgumentException("loop nest " + w + " has strides/dilations other than the layer's");
            }
            if (in.length != (long) s.inputSize() * ActivationBytes.bytesPerValue(inBits)) {
                throw new IllegalArgumentException("input of " + in.length + " bytes, layer needs " + s.inputSize() + " int" + inBits);
            }
            this.rq = Requantizer.prepare(op.quant().in(), op.quant().weights(), op.quant().out(), model.spec().requantMode(),
                    op.quant().actMin(), op.quant().actMax());
        }

        @Override long weight(int g, int k, int c, int fy, int fx) {
            if (g >= s.groups() || k >= kPerGroup || c >= cPerGroup || fy >= s.fy() || fx >= s.fx()) return 0;
            return op.weights()[(((g * kPerGroup + k) * s.fy() + fy) * s.fx() + fx) * cPerGroup + c];
        }

        @Override long input(int n, int g, int c, int iy, int ix) {
            int y = iy + window.row() * s.strideY() - s.padTop(), x = ix + window.col() * s.strideX() - s.padLeft();
            if (paddedOnly(iy, ix)) return zx;
            if (n >= s.n() || g >= s.groups() || c >= cPerGroup || y < 0 || y >= s.h() || x < 0 || x >= s.w()) return zx;
            int i = ((n * s.h() + y) * s.w() + x) * s.c() + g * cPerGroup + c;
            held(i, n, g, c, y, x);
            return ActivationBytes.get(in, i, inBits);
        }

        @Override int outputRows() {
            return s.outH();
        }

        @Override int outputCols() {
            return s.outW();
        }

        @Override long initial(int[] d) {
            return inBounds(d) ? saturate(op.bias()[d[G] * kPerGroup + d[K]], accumulatorBits) : 0;
        }

        @Override long mac(long acc, long wt, long x, int[] d) {
            if (!inBounds(d) || !tapInside(d)) return acc;
            return saturate(acc + (x - zx) * wt, accumulatorBits);
        }

        private boolean tapInside(int[] d) {
            int y = row(d) * s.strideY() - s.padTop() + d[FY] * s.dilationY();
            int x = col(d) * s.strideX() - s.padLeft() + d[FX] * s.dilationX();
            return y >= 0 && y < s.h() && x >= 0 && x < s.w();
        }

        @Override long finish(long acc, int[] d) {
            if (!inBounds(d)) return 0;
            int k = d[G] * kPerGroup + d[K];
            return op.quant().wide() ? rq.apply(acc, k) : rq.apply((int) acc, k);
        }

        @Override int write(byte[] out, int[] d, long v) {
            int i = ((d[N] * s.outH() + row(d)) * s.outW() + col(d)) * s.k() + d[G] * kPerGroup + d[K];
            ActivationBytes.set(out, i, outBits, (int) v);
            return i;
        }
    }

    /** Max pooling (a running maximum at input width) or average pooling (a sum at the accumulator width). */
    static final class Pool extends MappedSemantics {
        private final Pool2d op;
        private final byte[] in;
        private final boolean max;

        Pool(Workload w, FunctionalModel model, Pool2d op, byte[] in) {
            super(w, model.spec());
            this.op = op;
            this.in = in;
            this.max = op.kind() == Pool2d.Kind.MAX;
            expect(w, op.n(), op.c(), 1, 1, op.outH(), op.outW(), op.fy(), op.fx());
            if (w.strideY() != op.strideY() || w.strideX() != op.strideX()) {
                throw new IllegalArgumentException("loop nest " + w + " has strides other than the pooling's");
            }
            if (in.length != (long) op.n() * op.h() * op.w() * op.c()) {
                throw new IllegalArgumentException("pooling input of " + in.length + " bytes");
            }
        }

        @Override long input(int n, int g, int c, int iy, int ix) {
            int y = iy + window.row() * op.strideY() - op.padTop(), x = ix + window.col() * op.strideX() - op.padLeft();
            if (paddedOnly(iy, ix)) return 0;
            if (n >= op.n() || g >= op.c() || c > 0 || y < 0 || y >= op.h() || x < 0 || x >= op.w()) return 0;
            int i = ((n * op.h() + y) * op.w() + x) * op.c() + g;
            held(i, n, g, 0, y, x);
            return in[i];
        }

        @Override int outputRows() {
            return op.outH();
        }

        @Override int outputCols() {
            return op.outW();
        }

        @Override long identity() {
            return max ? Integer.MIN_VALUE : 0;
        }

        @Override long mac(long acc, long unused, long x, int[] d) {
            int y = row(d) * op.strideY() - op.padTop() + d[FY], xx = col(d) * op.strideX() - op.padLeft() + d[FX];
            if (!inBounds(d) || y < 0 || y >= op.h() || xx < 0 || xx >= op.w()) return acc;
            return max ? Math.max(acc, x) : saturate(acc + x, accumulatorBits);
        }

        @Override long combine(long a, long b) {
            return max ? Math.max(a, b) : super.combine(a, b);
        }

        @Override long partial(long v) {
            return max ? v : super.partial(v); // a maximum never leaves the input's range
        }

        @Override long finish(long acc, int[] d) {
            if (!inBounds(d)) return 0;
            if (max) return (byte) acc;
            int count = (op.endY(row(d)) - op.firstY(row(d))) * (op.endX(col(d)) - op.firstX(col(d)));
            return QuantMath.roundingDivide((int) acc, count);
        }

        @Override int write(byte[] out, int[] d, long v) {
            int i = ((d[N] * op.outH() + row(d)) * op.outW() + col(d)) * op.c() + d[G];
            out[i] = (byte) v;
            return i;
        }
    }

    /**
     * One op per output element (the element-wise loop nest: channels on G, the rest of the shape on OY x OX, NHWC
     * buffers): the PE reads the element (both of an add's operands, packed in one input word of twice the width) and
     * the output stage applies the op. By default the element passes through.
     */
    static class Pointwise extends MappedSemantics {
        private final int outBits;
        private final byte[] a, b;
        private final int aBits, bBits;

        Pointwise(Workload w, FunctionalModel model, int outBits, byte[] a, int aBits, byte[] b, int bBits) {
            super(w, model.spec());
            this.outBits = outBits;
            this.a = a;
            this.b = b;
            this.aBits = aBits;
            this.bBits = bBits;
            operands(model, Math.max(aBits, bBits), outBits);
            long elements = (long) w.bound(LoopDim.N) * w.bound(LoopDim.G) * w.bound(LoopDim.OY) * w.bound(LoopDim.OX);
            if (w.kind() != LayerKind.ELEMENTWISE || a.length != elements * ActivationBytes.bytesPerValue(aBits)
                    || (b != null && b.length != elements * ActivationBytes.bytesPerValue(bBits))) {
                throw new IllegalArgumentException("loop nest " + w + " (" + elements + " elements) does not match the layer's "
                        + a.length + "-byte input");
            }
        }

        /** The NHWC index of element {@code d} (channels innermost, as the runtime's buffers). */
        final int index(int[] d) {
            return index(d[N], d[G], d[OY], d[OX]);
        }

        private int index(int n, int g, int y, int x) {
            return ((n * w.bound(LoopDim.OY) + y) * w.bound(LoopDim.OX) + x) * w.bound(LoopDim.G) + g;
        }

        @Override long input(int n, int g, int c, int iy, int ix) {
            if (n >= w.bound(LoopDim.N) || g >= w.bound(LoopDim.G) || c > 0 || iy >= w.bound(LoopDim.OY) || ix >= w.bound(LoopDim.OX)) {
                return 0;
            }
            int i = index(n, g, iy, ix);
            long x = ActivationBytes.get(a, i, aBits);
            return b == null ? x : (x << 32) | (ActivationBytes.get(b, i, bBits) & 0xffffffffL);
        }

        @Override long mac(long acc, long unused, long x, int[] d) {
            return inBounds(d) ? x : acc;
        }

        @Override long partial(long v) {
            return v; // one op per output: nothing is ever stored half-done
        }

        @Override long finish(long acc, int[] d) {
            return acc;
        }

        @Override int write(byte[] out, int[] d, long v) {
            int i = index(d[N], d[G], d[OY], d[OX]);
            ActivationBytes.set(out, i, outBits, (int) v);
            return i;
        }
    }

    /** Refuses activations wider than the accelerator's operands, as {@link FunctionalModel} does. */
    static void operands(FunctionalModel model, int inBits, int outBits) {
        int max = model.spec().operandBits();
        if (inBits > max || outBits > max) {
            throw new IllegalArgumentException(model.spec().name() + " takes " + max + "-bit activation operands; the layer has int"
                    + Math.max(inBits, outBits));
        }
    }

    /**
     * The loop nest the mapping was made for must be the generated layer's, dimension by dimension; in the output's
     * dimensions (N G K OY OX) it may be a prefix of it (a sample of the outputs, {@link MappedSample}).
     */
    static void expect(Workload w, int... bounds) {
        LoopDim[] dims = LoopDim.values();
        StringBuilder bad = new StringBuilder();
        for (int i = 0; i < dims.length; i++) {
            boolean output = i == N || i == G || i == K || i == OY || i == OX;
            if (output ? w.bound(dims[i]) > bounds[i] : w.bound(dims[i]) != bounds[i]) {
                bad.append(' ').append(dims[i]).append(' ').append(w.bound(dims[i])).append(" vs ").append(bounds[i]);
            }
        }
        if (bad.length() > 0) {
            throw new IllegalArgumentException("loop nest of " + w.name() + " differs from the generated layer:" + bad);
        }
    }
}
