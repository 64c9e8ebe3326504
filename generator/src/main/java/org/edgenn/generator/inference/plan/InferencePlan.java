package org.edgenn.generator.inference.plan;

import java.util.Arrays;
import java.util.List;

/**
 * A network lowered to int8 steps: what {@link InferenceGenerator} turns into Java (and what an exporter to another
 * runtime would read). Plain data: tensors by IR node name with their static shape and where their quantization comes
 * from, steps in execution order with the artifact tensors they load. The rules are in {@code docs/inference.md}.
 *
 * @param source  {@code file:line} of the network declaration
 * @param tensors every buffer, in the order it is first written (the input and constants first)
 */
public record InferencePlan(String network, String javaPackage, String source, Tensor input, Tensor output,
                            List<Tensor> tensors, List<Step> steps) {
    public InferencePlan {
        tensors = List.copyOf(tensors);
        steps = List.copyOf(steps);
    }

    public Tensor tensor(String node) {
        for (Tensor t : tensors) {
            if (t.node().equals(node)) {
                return t;
            }
        }
        throw new IllegalArgumentException("plan of " + network + " has no tensor " + node);
    }

    /** Where a buffer's values come from. */
    public enum Role { INPUT, COMPUTED, ZEROS }

    /**
     * One int8 buffer (per sample): the IR node computing it, its logical shape ({@code [C, H, W]} images are NHWC in
     * memory) and its quantization.
     */
    public record Tensor(String node, Role role, int[] shape, Quant quant) {
        public Tensor {
            shape = shape.clone();
        }

        public int size() {
            int n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }

        public boolean isImage() {
            return shape.length == 3;
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Tensor t && t.node.equals(node) && t.role == role && Arrays.equals(t.shape, shape) && t.quant.equals(quant);
        }

        @Override
        public int hashCode() {
            return node.hashCode();
        }

        @Override
        public String toString() {
            return node + Arrays.toString(shape) + " " + quant;
        }
    }

    /**
     * A tensor's quantization: observed in training and read from the artifact as {@code act.<activation>}, or fixed
     * ({@code activation} null): zero states use scale 1, zero point 0 (any quantization represents 0 exactly).
     * {@code bits} is the declared width, 8 or 16 (its buffer holds two bytes per value).
     */
    public record Quant(String activation, float scale, int zeroPoint, int bits) {
        public static Quant observed(String artifactName, int bits) {
            return new Quant(artifactName, 0, 0, bits);
        }

        public static Quant fixed(float scale, int zeroPoint) {
            return new Quant(null, scale, zeroPoint, 8);
        }

        /** Bytes per value of the buffer. */
        public int bytesPerValue() {
            return bits > 8 ? 2 : 1;
        }

        public boolean isObserved() {
            return activation != null;
        }

        @Override
        public String toString() {
            return (isObserved() ? "act." + activation : "fixed(" + scale + ", " + zeroPoint + ")") + (bits == 8 ? "" : " int" + bits);
        }
    }

    /** Real clamp bounds (ReLU [0, ∞), ReLU6 [0, 6], clamp and box projections), quantized at load in the output's quantization. */
    public record Bounds(double lo, double hi) {
        public static final Bounds NONE = new Bounds(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);

        public boolean isNone() {
            return equals(NONE);
        }
    }

    /** A scalar operand: a learned parameter read from the artifact (float32) or a constant. */
    public record Scalar(String parameter, double constant) {
        public static Scalar parameter(String artifactName) {
            return new Scalar(artifactName, Double.NaN);
        }

        public static Scalar constant(double value) {
            return new Scalar(null, value);
        }

        public boolean isParameter() {
            return parameter != null;
        }
    }

    /**
     * One int8 step. {@code node} is the IR node it computes (its layer name), {@code source} its {@code file:line}.
     * Each step also writes its own part of the generated class (through a {@link StepWriter}): the kernel it
     * prepares, the {@code runtime/core} {@code Int8Layer} it is checked as, and its statement in {@code run}.
     */
    public sealed interface Step permits Mac, Sum, Shrink, Select, Clamp, Pool, Table, Move {
        String node();

        String source();

        List<String> inputs();

        String output();

        /** The runtime-core kernel type of the prepared op ({@code Dense}, {@code Conv2d}, {@code Lut}, ...). */
        String kernelType();

        /** The fields of the prepared op. */
        default void declare(StepWriter w) {
            w.line("private final " + kernelType() + " " + w.op(this) + ";");
        }

        /** The constructor's statements preparing the op from the artifact. */
        void prepare(StepWriter w);

        /** The {@code new Int8Layer.Xxx(...)} expression of the step, for verification against the hardware model. */
        String layer(StepWriter w);

        /** The statement of {@code run}. */
        default String run(StepWriter w) {
            return w.op(this) + ".run(" + w.buffer(inputs().get(0)) + ", " + w.buffer(output()) + ");";
        }
    }

    /**
     * Convolution geometry over NHWC (a dense layer is the 1×1 convolution over a 1×1 image with {@code c = in},
     * {@code k = out}).
     */
    public record Geometry(int c, int h, int w, int k, int fy, int fx, int strideY, int strideX,
                           int padTop, int padLeft, int padBottom, int padRight, int dilationY, int dilationX, int groups) {
    }

    /** Filters defined by an op rather than learned (runtime-core's {@code FixedFilters}). */
    public enum Filter { BILINEAR_X2 }

    /**
     * Dense or convolution: weights {@code weight} from the artifact (int8, per-channel scales) or the {@code fixed}
     * filter, optional {@code bias}, output requantized to the output's quantization and clamped to {@code activation}
     * (a ReLU-like node folded in: {@code folded}).
     */
    public record Mac(String node, String source, String input, String output, boolean dense, Geometry geometry,
                      String weight, Filter fixed, String bias, Bounds activation, String folded, boolean transposed) implements Step {
        /** Without a transpose: the artifact's weight as stored. */
        public Mac(String node, String source, String input, String output, boolean dense, Geometry geometry,
                   String weight, Filter fixed, String bias, Bounds activation, String folded) {
            this(node, source, input, output, dense, geometry, weight, fixed, bias, activation, folded, false);
        }

        public List<String> inputs() {
            return List.of(input);
        }

        @Override
        public String kernelType() {
            return dense ? "Dense" : "Conv2d";
        }

        @Override
        public void prepare(StepWriter w) {
            Geometry g = geometry;
            String op = w.op(this);
            w.line("// " + (source.isEmpty() ? "" : source + " ") + node + ": " + (fixed != null ? "bilinear up-sampling x2 = depthwise [1 2 1]'[1 2 1]/16 over " + input
                    : dense ? (transposed ? "transposed " : "") + "dense " + g.c() + " -> " + g.k()
                    : "conv2d " + g.c() + " -> " + g.k() + ", " + g.fy() + "x" + g.fx() + " stride " + g.strideY() + "x" + g.strideX()
                    + (g.groups() > 1 ? ", groups " + g.groups() : "") + (g.dilationY() > 1 || g.dilationX() > 1 ? ", dilation " + g.dilationY() + "x" + g.dilationX() : ""))
                    + (folded == null ? "" : ", then " + folded + " (folded into the output clamp)"));
            String wt = w.fresh(op.replace("_op", "") + "_w");
            if (fixed != null) {
                w.line("FixedFilters.Filter " + wt + " = FixedFilters.bilinearX2(" + g.c() + ");   // fixed weights of the op, not learned");
            } else {
                w.line("Int8Artifact.Weights " + wt + " = a." + (dense ? (transposed ? "denseTransposed(" : "dense(") + StepWriter.str(weight) + ", " + g.c() + ", " + g.k() + ")"
                        : "conv(" + StepWriter.str(weight) + ", " + g.k() + ", " + g.fy() + ", " + g.fx() + ", " + g.c() / g.groups() + ")") + ";");
            }
            String b = bias == null ? "null" : "a.bias(" + StepWriter.str(bias) + ", " + w.quant(input) + ", " + wt + ".scales())";
            String quant = "new LayerQuant(" + w.quant(input) + ", " + wt + ".scales(), " + w.quant(output) + ", MODE, "
                    + w.clampArguments(activation, output, folded) + ")";
            if (dense) {
                w.line(op + " = Dense.prepare(batch, " + g.c() + ", " + g.k() + ", " + wt + ".values(), " + b + ",");
            } else {
                w.line(op + " = Conv2d.prepare(new Conv2dSpec(batch, " + g.h() + ", " + g.w() + ", " + g.c() + ", " + g.k() + ", " + g.fy() + ", "
                        + g.fx() + ", " + g.strideY() + ", " + g.strideX() + ", " + g.padTop() + ", " + g.padLeft() + ", " + g.padBottom()
                        + ", " + g.padRight() + ", " + g.dilationY() + ", " + g.dilationX() + ", " + g.groups() + "), " + wt + ".values(), " + b + ",");
            }
            w.line("        " + quant + ", backend);");
        }

        /** A dense layer is checked as its equivalent 1x1 convolution. */
        @Override
        public String layer(StepWriter w) {
            return "new Int8Layer.Mac(" + head(this) + w.op(this) + (dense ? ".asConv2d()" : "") + ", " + w.buffer(input) + ", " + w.buffer(output) + ")";
        }
    }

    /** {@code a + b} or {@code a − b} of equal shapes, requantized, with an optional folded clamp. */
    public record Sum(String node, String source, String a, String b, String output, boolean subtract,
                      Bounds activation, String folded) implements Step {
        public List<String> inputs() {
            return List.of(a, b);
        }

        @Override
        public String kernelType() {
            return "Add";
        }

        @Override
        public void prepare(StepWriter w) {
            w.line("// " + (source.isEmpty() ? "" : source + " ") + node + ": " + (subtract ? a + " - " + b : a + " + " + b)
                    + (folded == null ? "" : ", then " + folded + " (folded into the output clamp)"));
            String clamp = w.clampArguments(activation, output, folded);
            w.line(w.op(this) + " = Add." + (subtract ? "prepareSub" : "prepare") + "(" + w.quant(a) + ", " + w.quant(b) + ", " + w.quant(output)
                    + ", MODE, " + clamp + ", backend);");
        }

        @Override
        public String layer(StepWriter w) {
            return "new Int8Layer.Sum(" + head(this) + w.op(this) + ", " + w.buffer(a) + ", " + w.buffer(b) + ", " + w.buffer(output) + ")";
        }

        @Override
        public String run(StepWriter w) {
            return w.op(this) + ".run(" + w.buffer(a) + ", " + w.buffer(b) + ", " + w.buffer(output) + ");";
        }
    }

    /**
     * Soft threshold with the float32 threshold {@code threshold} ({@code values} of them, one per channel of
     * {@code channels}), rounded to the input's quantized units; output keeps the input's quantization.
     */
    public record Shrink(String node, String source, String input, String output, Scalar threshold, int values) implements Step {
        public List<String> inputs() {
            return List.of(input);
        }

        @Override
        public String kernelType() {
            return "SoftThreshold";
        }

        @Override
        public void prepare(StepWriter w) {
            w.line("// " + (source.isEmpty() ? "" : source + " ") + node + ": soft threshold, in " + input + "'s quantization");
            String thresholds = threshold.isParameter() ? "a.floats(" + StepWriter.str(threshold.parameter()) + ", " + values + ")"
                    : "new float[] {" + (float) threshold.constant() + "f}";
            if (w.tensor(input).quant().bits() > 8) {
                w.line(w.op(this) + " = SoftThreshold.prepare(" + thresholds + ", " + w.quant(input) + ", backend);   // int16 data and thresholds");
            } else {
                w.line(w.op(this) + " = SoftThreshold.prepare(SoftThreshold.quantizeThresholds(" + thresholds + ", "
                        + w.quant(input) + "), " + w.quant(input) + ".zeroPoint(), backend);");
            }
        }

        @Override
        public String layer(StepWriter w) {
            return "new Int8Layer.Shrink(" + head(this) + w.op(this) + ", " + w.buffer(input) + ", " + w.buffer(output) + ")";
        }
    }

    /**
     * Support selection over vectors of {@code channels} values (a dense vector: the whole vector, one vector per
     * sample), with the float32 threshold {@code threshold} ({@code values} of them: 1, broadcast, or one per channel)
     * rounded to the input's quantized units; up to {@code count} of the largest magnitudes per vector bypass the
     * threshold ({@code count = channels}: the hard threshold). Output keeps the input's quantization.
     */
    public record Select(String node, String source, String input, String output, Scalar threshold, int values, int channels,
                         int count) implements Step {
        public List<String> inputs() {
            return List.of(input);
        }

        @Override
        public String kernelType() {
            return "SupportSelectThreshold";
        }

        @Override
        public void prepare(StepWriter w) {
            w.line("// " + (source.isEmpty() ? "" : source + " ") + node + ": " + (count == channels ? "hard threshold" : "support selection, "
                    + count + " of " + channels + " may bypass") + ", in " + input + "'s quantization");
            String thresholds = threshold.isParameter() ? "a.floats(" + StepWriter.str(threshold.parameter()) + ", " + values + ")"
                    : "new float[] {" + (float) threshold.constant() + "f}";
            if (w.tensor(input).quant().bits() > 8) {
                w.line(w.op(this) + " = SupportSelectThreshold.prepare(" + thresholds + ", " + w.quant(input) + ", " + count + ", " + channels
                        + ");   // int16 data and thresholds");
            } else {
                w.line(w.op(this) + " = SupportSelectThreshold.prepare(SupportSelectThreshold.broadcast(SoftThreshold.quantizeThresholds("
                        + thresholds + ", " + w.quant(input) + "), " + channels + "), " + count + ", " + w.quant(input) + ".zeroPoint());");
            }
        }

        @Override
        public String layer(StepWriter w) {
            return "new Int8Layer.Select(" + head(this) + w.op(this) + ", " + w.buffer(input) + ", " + w.buffer(output) + ")";
        }
    }

    /** Clamp to real bounds, in the input's quantization (ReLU, ReLU6, clamp, box projection). */
    public record Clamp(String node, String source, String input, String output, Bounds bounds) implements Step {
        public List<String> inputs() {
            return List.of(input);
        }

        /** The kernel family itself: a clamp is one call of {@code Activation.clamp} on it. */
        @Override
        public String kernelType() {
            return "Backend";
        }

        @Override
        public void declare(StepWriter w) {
            Step.super.declare(w);
            w.line("private final int[] " + w.op(this) + "_bounds;");
        }

        @Override
        public void prepare(StepWriter w) {
            String op = w.op(this);
            w.line("// " + (source.isEmpty() ? "" : source + " ") + node + ": clamp to [" + StepWriter.num(bounds.lo()) + ", " + StepWriter.num(bounds.hi()) + "]");
            w.line(op + " = backend;");
            w.line(op + "_bounds = Activation.clampBounds(" + w.quant(input) + ", " + StepWriter.num(bounds.lo()) + ", " + StepWriter.num(bounds.hi()) + ");");
        }

        @Override
        public String layer(StepWriter w) {
            String op = w.op(this);
            return "new Int8Layer.Clamp(" + head(this) + op + "_bounds[0], " + op + "_bounds[1], " + w.buffer(input) + ", " + w.buffer(output) + ")";
        }

        @Override
        public String run(StepWriter w) {
            String op = w.op(this);
            return "Activation.clamp(" + w.buffer(input) + ", 0, " + w.buffer(output) + ", 0, " + w.buffer(output) + ".length, "
                    + op + "_bounds[0], " + op + "_bounds[1], " + op + ");";
        }
    }

    /** Max or average pooling (output keeps the input's quantization); geometry as a convolution with k = c. */
    public record Pool(String node, String source, String input, String output, boolean max, Geometry geometry) implements Step {
        public List<String> inputs() {
            return List.of(input);
        }

        @Override
        public String kernelType() {
            return "Pool2d";
        }

        @Override
        public void prepare(StepWriter w) {
            Geometry g = geometry;
            w.line("// " + (source.isEmpty() ? "" : source + " ") + node + ": " + (max ? "max" : "average") + " pool " + g.fy() + "x" + g.fx()
                    + " stride " + g.strideY() + "x" + g.strideX());
            w.line(w.op(this) + " = Pool2d.prepare(Pool2d.Kind." + (max ? "MAX" : "AVG") + ", batch, " + g.h() + ", " + g.w() + ", " + g.c() + ", "
                    + g.fy() + ", " + g.fx() + ", " + g.strideY() + ", " + g.strideX() + ", " + g.padTop() + ", " + g.padLeft() + ", "
                    + g.padBottom() + ", " + g.padRight() + ", backend);");
        }

        @Override
        public String layer(StepWriter w) {
            return "new Int8Layer.Pool(" + head(this) + w.op(this) + ", " + w.buffer(input) + ", " + w.buffer(output) + ")";
        }
    }

    /** The element-wise maps a lookup table computes. */
    public enum Function { TANH, SIGMOID, RESCALE, NEGATE, ADD, SUB, RSUB, MUL, DIV, RDIV }

    /** {@code out = f(in)} (with {@code operand} for arithmetic with a scalar) as a 256-entry table between two quantizations. */
    public record Table(String node, String source, String input, String output, Function function, Scalar operand) implements Step {
        public List<String> inputs() {
            return List.of(input);
        }

        @Override
        public String kernelType() {
            return "Lut";
        }

        @Override
        public void prepare(StepWriter w) {
            String p = operand == null ? null : operand.isParameter() ? operand.parameter() : StepWriter.num(operand.constant());
            w.line("// " + (source.isEmpty() ? "" : source + " ") + node + ": " + expression("x", p) + " as a 256-entry table");
            String value = null;
            if (operand != null && operand.isParameter()) {
                value = w.fresh(operand.parameter());
                w.line("double " + value + " = a.floats(" + StepWriter.str(operand.parameter()) + ", 1)[0];");
            } else if (operand != null) {
                value = StepWriter.num(operand.constant());
            }
            w.line(w.op(this) + " = Lut.of(" + w.quant(input) + ", " + w.quant(output) + ", v -> " + expression("v", value) + ");");
        }

        /** The real function {@code f(x)} with the operand written as {@code p}. */
        String expression(String x, String p) {
            return switch (function) {
                case TANH -> "Math.tanh(" + x + ")";
                case SIGMOID -> "1 / (1 + Math.exp(-" + x + "))";
                case RESCALE -> x;
                case NEGATE -> "-" + x;
                case ADD -> x + " + " + p;
                case SUB -> x + " - " + p;
                case RSUB -> p + " - " + x;
                case MUL -> p + " * " + x;
                case DIV -> x + " / " + p;
                case RDIV -> p + " / " + x;
            };
        }

        @Override
        public String layer(StepWriter w) {
            return "new Int8Layer.Table(" + head(this) + w.op(this) + ".table(), " + w.buffer(input) + ", " + w.buffer(output) + ")";
        }
    }

    /** Data movement kinds. */
    public enum MoveKind { RESHAPE, CONCAT, PIXEL_SHUFFLE, UPSAMPLE_NEAREST, PAD_EDGE }

    /** Data movement; {@code factor} for pixel shuffle and up-sampling, the padding for edge padding. Shapes come from the tensors. */
    public record Move(String node, String source, List<String> inputs, String output, MoveKind kind, int factor) implements Step {
        public Move {
            inputs = List.copyOf(inputs);
        }

        @Override
        public String kernelType() {
            return "Movement";
        }

        @Override
        public void declare(StepWriter w) {
            Step.super.declare(w);
            w.line("private final byte[][] " + w.op(this) + "_in;");
        }

        @Override
        public void prepare(StepWriter w) {
            String op = w.op(this);
            Tensor in = w.tensor(inputs.get(0));
            Tensor out = w.tensor(output);
            w.line("// " + (source.isEmpty() ? "" : source + " ") + node + ": " + kind.name().toLowerCase(java.util.Locale.ROOT) + " (data movement)");
            w.line(op + "_in = new byte[][] {" + String.join(", ", inputs.stream().map(w::buffer).toList()) + "};");
            int[] x = in.shape();
            switch (kind) {
                case RESHAPE -> w.line(op + " = Movement.reshape(batch, new int[] " + StepWriter.ints(in.shape()) + ", new int[] "
                        + StepWriter.ints(out.shape()) + ", backend);");
                case CONCAT -> w.line(op + " = Movement.concat(batch, List.of(" + String.join(", ", inputs.stream()
                        .map(i -> "new int[] " + StepWriter.ints(w.tensor(i).shape())).toList()) + "), backend);");
                case PIXEL_SHUFFLE -> w.line(op + " = Movement.pixelShuffle(batch, " + out.shape()[0] + ", " + x[1] + ", " + x[2] + ", " + factor + ", backend);");
                case UPSAMPLE_NEAREST -> w.line(op + " = Movement.upsampleNearest(batch, " + x[0] + ", " + x[1] + ", " + x[2] + ", " + factor + ", backend);");
                case PAD_EDGE -> w.line(op + " = Movement.padEdge(batch, " + x[0] + ", " + x[1] + ", " + x[2] + ", " + factor + ", backend);");
            }
        }

        @Override
        public String layer(StepWriter w) {
            return "new Int8Layer.Move(" + head(this) + w.op(this) + ", List.of(" + w.op(this) + "_in), " + w.buffer(output) + ")";
        }

        @Override
        public String run(StepWriter w) {
            return w.op(this) + ".run(" + w.op(this) + "_in, " + w.buffer(output) + ");";
        }
    }

    /** {@code "name", "file:line", }: the first arguments of every {@code Int8Layer}. */
    private static String head(Step s) {
        return StepWriter.str(s.node()) + ", " + StepWriter.str(s.source()) + ", ";
    }
}
