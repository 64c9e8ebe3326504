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
     */
    public record Quant(String activation, float scale, int zeroPoint) {
        public static Quant observed(String artifactName) {
            return new Quant(artifactName, 0, 0);
        }

        public static Quant fixed(float scale, int zeroPoint) {
            return new Quant(null, scale, zeroPoint);
        }

        public boolean isObserved() {
            return activation != null;
        }

        @Override
        public String toString() {
            return isObserved() ? "act." + activation : "fixed(" + scale + ", " + zeroPoint + ")";
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

    /** One int8 step. {@code node} is the IR node it computes (its layer name), {@code source} its {@code file:line}. */
    public sealed interface Step permits Mac, Sum, Shrink, Clamp, Pool, Table, Move {
        String node();

        String source();

        List<String> inputs();

        String output();
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
                      String weight, Filter fixed, String bias, Bounds activation, String folded) implements Step {
        public List<String> inputs() {
            return List.of(input);
        }
    }

    /** {@code a + b} or {@code a − b} of equal shapes, requantized, with an optional folded clamp. */
    public record Sum(String node, String source, String a, String b, String output, boolean subtract,
                      Bounds activation, String folded) implements Step {
        public List<String> inputs() {
            return List.of(a, b);
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
    }

    /** Clamp to real bounds, in the input's quantization (ReLU, ReLU6, clamp, box projection). */
    public record Clamp(String node, String source, String input, String output, Bounds bounds) implements Step {
        public List<String> inputs() {
            return List.of(input);
        }
    }

    /** Max or average pooling (output keeps the input's quantization); geometry as a convolution with k = c. */
    public record Pool(String node, String source, String input, String output, boolean max, Geometry geometry) implements Step {
        public List<String> inputs() {
            return List.of(input);
        }
    }

    /** The element-wise maps a lookup table computes. */
    public enum Function { TANH, SIGMOID, RESCALE, NEGATE, ADD, SUB, RSUB, MUL, DIV, RDIV }

    /** {@code out = f(in)} (with {@code operand} for arithmetic with a scalar) as a 256-entry table between two quantizations. */
    public record Table(String node, String source, String input, String output, Function function, Scalar operand) implements Step {
        public List<String> inputs() {
            return List.of(input);
        }
    }

    /** Data movement kinds. */
    public enum MoveKind { RESHAPE, CONCAT, PIXEL_SHUFFLE, UPSAMPLE_NEAREST, PAD_EDGE }

    /** Data movement; {@code factor} for pixel shuffle and up-sampling, the padding for edge padding. Shapes come from the tensors. */
    public record Move(String node, String source, List<String> inputs, String output, MoveKind kind, int factor) implements Step {
        public Move {
            inputs = List.copyOf(inputs);
        }
    }
}
