package org.edgenn.runtime.cost;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.ir.accel.Operand;

/**
 * One layer as a loop nest, the unit the cost model and the mapper work on:
 * {@code O[n][g][k][oy][ox] += W[g][k][c][fy][fx] * I[n][g][c][oy*sy + fy*dy][ox*sx + fx*dx]}.
 *
 * <p>Inputs are counted on the padded input plane ({@code (OY-1)*sy + (FY-1)*dy + 1} rows), i.e. zero
 * padding is treated as stored data, as ZigZag and Timeloop do; {@link #padY}/{@link #padX} are kept for
 * reports and for the IR adapter but do not change access counts.
 *
 * <p>Precisions: {@code weightBits}, {@code inputBits}, {@code outputBits} for final outputs and
 * {@code partialSumBits} for partial sums (normally the accumulator width). A layer without weights has
 * {@code weightBits == 0} and no {@code W} operand. Element-wise layers read two inputs per op; they are
 * modelled as one input operand of twice the width, which gives the same byte counts at every level.
 *
 * <p>Immutable; build with the factories ({@link #conv}, {@link #dense}, ...) or {@link #of}, which
 * collect every violated rule before throwing {@link InvalidWorkloadException}.
 */
public final class Workload {
    private static final int DIMS = LoopDim.values().length;
    private static final List<Operand> WITH_WEIGHTS = List.of(Operand.W, Operand.I, Operand.O);
    private static final List<Operand> WITHOUT_WEIGHTS = List.of(Operand.I, Operand.O);

    private final String name;
    private final LayerKind kind;
    private final int[] bounds;
    private final int strideY;
    private final int strideX;
    private final int dilationY;
    private final int dilationX;
    private final int padY;
    private final int padX;
    private final int weightBits;
    private final int inputBits;
    private final int outputBits;
    private final int partialSumBits;
    /** Fraction of the weights that are non-zero (1: dense), from unstructured or N:M pruning. */
    private double weightDensity = 1;
    /** Bits stored per dense weight position in the target's weight format (the weight width when dense). */
    private double weightStorageBits = Double.NaN;

    private Workload(String name, LayerKind kind, int[] bounds, int strideY, int strideX, int dilationY,
                     int dilationX, int padY, int padX, int weightBits, int inputBits, int outputBits,
                     int partialSumBits) {
        this.name = name;
        this.kind = kind;
        this.bounds = bounds;
        this.strideY = strideY;
        this.strideX = strideX;
        this.dilationY = dilationY;
        this.dilationX = dilationX;
        this.padY = padY;
        this.padX = padX;
        this.weightBits = weightBits;
        this.inputBits = inputBits;
        this.outputBits = outputBits;
        this.partialSumBits = partialSumBits;
    }

    /** Precisions of one layer in bits; {@code weights == 0} means the layer has no weight operand. */
    public record Precision(int weights, int inputs, int outputs, int partialSums) {
        /** int8 weights and activations with an int32 (or {@code accumulatorBits}) accumulator. */
        public static Precision int8(int accumulatorBits) {
            return new Precision(8, 8, 8, accumulatorBits);
        }
    }

    /**
     * The general constructor: validates everything, then builds. {@code bounds} maps every
     * {@link LoopDim} (by ordinal) to its bound.
     */
    public static Workload of(String name, LayerKind kind, int[] bounds, int strideY, int strideX,
                              int dilationY, int dilationX, int padY, int padX, Precision precision) {
        List<String> v = new ArrayList<>();
        if (name == null || name.isBlank()) {
            v.add("layer name is empty");
        }
        if (kind == null) {
            v.add("layer kind is missing");
        }
        if (bounds == null || bounds.length != DIMS) {
            v.add("expected " + DIMS + " loop bounds (N G K C OY OX FY FX)");
        } else {
            for (LoopDim d : LoopDim.values()) {
                if (bounds[d.ordinal()] < 1) {
                    v.add("bound of " + d + " must be >= 1, got " + bounds[d.ordinal()]);
                }
            }
        }
        if (strideY < 1 || strideX < 1) {
            v.add("strides must be >= 1, got " + strideY + "x" + strideX);
        }
        if (dilationY < 1 || dilationX < 1) {
            v.add("dilations must be >= 1, got " + dilationY + "x" + dilationX);
        }
        if (padY < 0 || padX < 0) {
            v.add("padding must be >= 0, got " + padY + "x" + padX);
        }
        if (precision == null) {
            v.add("precision is missing");
        } else {
            boolean weights = kind != null && kind.hasWeights();
            if (weights && precision.weights() < 1) {
                v.add(kind + " layer needs a weight precision >= 1 bit");
            }
            if (!weights && precision.weights() != 0) {
                v.add(kind + " layer has no weights, weight precision must be 0");
            }
            if (precision.inputs() < 1 || precision.outputs() < 1 || precision.partialSums() < 1) {
                v.add("input, output and partial-sum precisions must be >= 1 bit");
            }
        }
        if (bounds != null && bounds.length == DIMS && kind != null) {
            checkKindShape(kind, bounds, v);
        }
        if (!v.isEmpty()) {
            throw new InvalidWorkloadException(String.valueOf(name), v);
        }
        return new Workload(name, kind, bounds.clone(), strideY, strideX, dilationY, dilationX, padY, padX,
                precision.weights(), precision.inputs(), precision.outputs(), precision.partialSums());
    }

    private static void checkKindShape(LayerKind kind, int[] b, List<String> v) {
        switch (kind) {
            case DENSE -> {
                for (LoopDim d : List.of(LoopDim.OY, LoopDim.OX, LoopDim.FY, LoopDim.FX)) {
                    if (b[d.ordinal()] != 1) {
                        v.add("dense layer must have " + d + " = 1");
                    }
                }
            }
            case DEPTHWISE -> {
                if (b[LoopDim.C.ordinal()] != 1) {
                    v.add("depthwise layer puts channels on G and must have C = 1 (K is the channel multiplier)");
                }
            }
            case POOL, ELEMENTWISE -> {
                if (b[LoopDim.K.ordinal()] != 1 || b[LoopDim.C.ordinal()] != 1) {
                    v.add(kind + " layer puts channels on G and must have K = C = 1");
                }
                if (kind == LayerKind.ELEMENTWISE
                        && (b[LoopDim.FY.ordinal()] != 1 || b[LoopDim.FX.ordinal()] != 1)) {
                    v.add("element-wise layer must have FY = FX = 1");
                }
            }
            case CONV -> { }
        }
    }

    private static int[] bounds(int n, int g, int k, int c, int oy, int ox, int fy, int fx) {
        return new int[] {n, g, k, c, oy, ox, fy, fx};
    }

    /** Convolution producing {@code k x oy x ox} from {@code c} channels with an {@code fy x fx} kernel. */
    public static Workload conv(String name, int n, int k, int c, int oy, int ox, int fy, int fx,
                                int stride, int pad, Precision p) {
        return of(name, LayerKind.CONV, bounds(n, 1, k, c, oy, ox, fy, fx), stride, stride, 1, 1, pad, pad, p);
    }

    /** Grouped/dilated convolution; {@code k} and {@code c} are per group. */
    public static Workload conv(String name, int n, int groups, int k, int c, int oy, int ox, int fy, int fx,
                                int strideY, int strideX, int dilationY, int dilationX, int padY, int padX,
                                Precision p) {
        return of(name, LayerKind.CONV, bounds(n, groups, k, c, oy, ox, fy, fx), strideY, strideX,
                dilationY, dilationX, padY, padX, p);
    }

    /** Fully connected layer {@code c -> k} on a batch of {@code n}. */
    public static Workload dense(String name, int n, int k, int c, Precision p) {
        return of(name, LayerKind.DENSE, bounds(n, 1, k, c, 1, 1, 1, 1), 1, 1, 1, 1, 0, 0, p);
    }

    /** Depthwise convolution over {@code channels}. */
    public static Workload depthwise(String name, int n, int channels, int oy, int ox, int fy, int fx,
                                     int stride, int pad, Precision p) {
        return of(name, LayerKind.DEPTHWISE, bounds(n, channels, 1, 1, oy, ox, fy, fx), stride, stride, 1, 1,
                pad, pad, p);
    }

    /**
     * Pooling window {@code fy x fx} over {@code channels}: no weights, one compare (max) or add (average)
     * per window element; max pooling keeps its running value at input precision, average pooling at the
     * accumulator width.
     */
    public static Workload pool(String name, int n, int channels, int oy, int ox, int fy, int fx, int stride,
                                int pad, boolean max, int activationBits, int accumulatorBits) {
        Precision p = new Precision(0, activationBits, activationBits, max ? activationBits : accumulatorBits);
        return of(name, LayerKind.POOL, bounds(n, channels, 1, 1, oy, ox, fy, fx), stride, stride, 1, 1,
                pad, pad, p);
    }

    /**
     * Element-wise op (e.g. residual add) of two {@code channels x oy x ox} tensors: one op per output,
     * the two input elements read together (input operand of twice the activation width), no accumulation.
     */
    public static Workload elementwise(String name, int n, int channels, int oy, int ox, int activationBits) {
        Precision p = new Precision(0, 2 * activationBits, activationBits, activationBits);
        return of(name, LayerKind.ELEMENTWISE, bounds(n, channels, 1, 1, oy, ox, 1, 1), 1, 1, 1, 1, 0, 0, p);
    }

    /** The same loop nest under another name (the mapper caches by shape, tables print names). */
    public Workload withName(String newName) {
        Workload w = new Workload(newName, kind, bounds, strideY, strideX, dilationY, dilationX, padY, padX,
                weightBits, inputBits, outputBits, partialSumBits);
        w.weightDensity = weightDensity;
        w.weightStorageBits = weightStorageBits;
        return w;
    }

    /**
     * The same loop nest with a fraction {@code density} of non-zero weights, stored at {@code storedBitsPerWeight}
     * bits per dense weight position (the target's compressed format with its metadata, or the weight width when the
     * target stores weights dense). Access counts stay in dense words, as the loop nest moves them; bytes and the MAC
     * work follow the density ({@link CostModel}).
     */
    public Workload withWeightSparsity(double density, double storedBitsPerWeight) {
        if (!kind.hasWeights() || !(density > 0 && density <= 1) || !(storedBitsPerWeight > 0)) {
            throw new IllegalArgumentException(name + ": weight density must be in (0, 1] and stored bits > 0 for a layer with weights");
        }
        Workload w = withName(name);
        w.weightDensity = density;
        w.weightStorageBits = storedBitsPerWeight;
        return w;
    }

    /** Fraction of non-zero weights (1 for a dense layer or one without weights). */
    public double weightDensity() {
        return weightDensity;
    }

    /**
     * Bits one element of an operand takes in storage and transfers: for {@code W} the target's weight format (a
     * compressed format stores {@code density x width} plus its index metadata per dense position), else {@link #bits}.
     */
    public double storedBits(Operand op) {
        return op == Operand.W && !Double.isNaN(weightStorageBits) ? weightStorageBits : bits(op);
    }

    public String name() {
        return name;
    }

    public LayerKind kind() {
        return kind;
    }

    public int bound(LoopDim d) {
        return bounds[d.ordinal()];
    }

    /** All bounds indexed by {@link LoopDim#ordinal()} (a copy). */
    public int[] bounds() {
        return bounds.clone();
    }

    public int strideY() {
        return strideY;
    }

    public int strideX() {
        return strideX;
    }

    public int dilationY() {
        return dilationY;
    }

    public int dilationX() {
        return dilationX;
    }

    public int padY() {
        return padY;
    }

    public int padX() {
        return padX;
    }

    public int weightBits() {
        return weightBits;
    }

    public int inputBits() {
        return inputBits;
    }

    public int outputBits() {
        return outputBits;
    }

    public int partialSumBits() {
        return partialSumBits;
    }

    /** Operands this layer reads or writes ({@code W} only for layers with weights). */
    public List<Operand> operands() {
        return kind.hasWeights() ? WITH_WEIGHTS : WITHOUT_WEIGHTS;
    }

    public boolean has(Operand op) {
        return op != Operand.W || kind.hasWeights();
    }

    /** Storage precision of an operand in bits; outputs are stored as partial sums below the backing store. */
    public int bits(Operand op) {
        return switch (op) {
            case W -> weightBits;
            case I -> inputBits;
            case O -> partialSumBits;
        };
    }

    /** Product of all bounds: MACs (or ops for pooling / element-wise layers) of the unpadded nest. */
    public long macs() {
        long m = 1;
        for (int b : bounds) {
            m *= b;
        }
        return m;
    }

    /** Key that ignores the name: two layers with equal keys have identical costs under any mapping. */
    public String shapeKey() {
        return kind + Arrays.toString(bounds) + "s" + strideY + "x" + strideX + "d" + dilationY + "x" + dilationX
                + "b" + weightBits + "," + inputBits + "," + outputBits + "," + partialSumBits
                + (weightDensity == 1 && Double.isNaN(weightStorageBits) ? "" : "d" + weightDensity + "," + weightStorageBits);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Workload w && w.name.equals(name) && w.shapeKey().equals(shapeKey())
                && w.padY == padY && w.padX == padX;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, shapeKey(), padY, padX);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name).append(' ').append(kind).append(" {");
        for (LoopDim d : LoopDim.values()) {
            if (bounds[d.ordinal()] > 1) {
                sb.append(' ').append(d).append('=').append(bounds[d.ordinal()]);
            }
        }
        return sb.append(" stride ").append(strideY).append('x').append(strideX).append(" }").toString();
    }
}
