package org.edgenn.generator.inference;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.edgenn.generator.inference.InferencePlan.Bounds;
import org.edgenn.generator.inference.InferencePlan.Function;
import org.edgenn.generator.inference.InferencePlan.Geometry;
import org.edgenn.generator.inference.InferencePlan.MoveKind;
import org.edgenn.generator.inference.InferencePlan.Quant;
import org.edgenn.generator.inference.InferencePlan.Role;
import org.edgenn.generator.inference.InferencePlan.Scalar;
import org.edgenn.generator.inference.InferencePlan.Step;
import org.edgenn.generator.inference.InferencePlan.Tensor;
import org.edgenn.generator.JavaNames;
import org.edgenn.generator.ops.QuantPlacement;
import org.edgenn.ir.Shape;
import org.edgenn.ir.SourceRef;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Node;
import org.edgenn.ir.ops.Activation;
import org.edgenn.ir.ops.Clamp;
import org.edgenn.ir.ops.Concat;
import org.edgenn.ir.ops.Constant;
import org.edgenn.ir.ops.Conv2d;
import org.edgenn.ir.ops.Dense;
import org.edgenn.ir.ops.Elementwise;
import org.edgenn.ir.ops.Flatten;
import org.edgenn.ir.ops.Op;
import org.edgenn.ir.ops.Padding;
import org.edgenn.ir.ops.PixelShuffle;
import org.edgenn.ir.ops.Pool;
import org.edgenn.ir.ops.Project;
import org.edgenn.ir.ops.Reshape;
import org.edgenn.ir.ops.Shrink;
import org.edgenn.ir.ops.Source;
import org.edgenn.ir.ops.Upsample;
import org.edgenn.ir.ops.Window;

/**
 * Lowers a network's inference nodes to an {@link InferencePlan}, node by node in execution order, following
 * {@link QuantPlacement} for quantizations. Folds a ReLU-like node (ReLU, ReLU6, clamp, box or non-negative
 * projection) into the dense, convolution, addition or subtraction it follows when that is its only consumer.
 * Anything else it cannot run in int8 is an {@link UnsupportedInferenceException}.
 */
public final class InferencePlanner {
    private final Network net;
    private final JavaNames artifact;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Map<String, List<Node>> users = new HashMap<>();
    /** IR node → the tensor holding its value (itself, or the step it was folded into). */
    private final Map<String, String> tensorOf = new HashMap<>();
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();
    private final Map<String, Scalar> scalars = new HashMap<>();
    private final List<Step> steps = new ArrayList<>();

    private InferencePlanner(Network net) {
        this.net = net;
        this.artifact = JavaNames.forArtifact(net);
        for (Node n : net.inferenceNodes()) {
            nodes.put(n.name(), n);
            for (String in : n.inputs()) {
                users.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
            }
        }
    }

    /** @throws UnsupportedInferenceException naming the first node that has no int8 lowering */
    public static InferencePlan plan(Network net) {
        return new InferencePlanner(net).build();
    }

    /** {@code lista.edgenn:19}, or "" when unknown. */
    static String where(SourceRef r) {
        if (r == null || r.file().isEmpty()) {
            return "";
        }
        return Path.of(r.file()).getFileName() + ":" + r.line();
    }

    private InferencePlan build() {
        List<Node> inputs = net.inputs().stream().filter(n -> nodes.containsKey(n.name())).toList();
        if (net.outputs().size() != 1) {
            throw unsupported(net.nodes().get(net.nodes().size() - 1), "int8 inference needs exactly one output, the network has " + net.outputs());
        }
        if (inputs.size() != 1) {
            Node any = inputs.isEmpty() ? net.node(net.outputs().get(0)) : inputs.get(1);
            throw unsupported(any, "int8 inference needs exactly one input, the output depends on " + inputs.size());
        }
        for (Node n : nodes.values()) {
            if (!tensorOf.containsKey(n.name()) && !scalars.containsKey(n.name())) {
                lower(n);
            }
        }
        Tensor in = tensors.get(inputs.get(0).name());
        Tensor out = tensor(net.outputs().get(0));
        return new InferencePlan(net.name(), net.javaPackage(), where(net.source()), in, out, List.copyOf(tensors.values()), steps);
    }

    private void lower(Node n) {
        Op op = n.op();
        if (op instanceof Source s) {
            switch (s.role()) {
                case INPUT -> define(n, Role.INPUT, observed(n));
                case ZEROS -> define(n, Role.ZEROS, Quant.fixed(1f, 0));
                case PARAM -> scalars.put(n.name(), Scalar.parameter(artifact.of(n.weights().get(0))));
                default -> throw unsupported(n, "a " + s.kind() + " source cannot feed inference");
            }
        } else if (op instanceof Constant c) {
            scalars.put(n.name(), Scalar.constant(c.value()));
        } else if (op instanceof Dense d) {
            Geometry g = new Geometry(d.in(), 1, 1, d.out(), 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1);
            mac(n, true, g);
        } else if (op instanceof Conv2d c) {
            int[] x = input(n, 0).shape();
            Window w = c.window();
            Padding p = w.padding();
            mac(n, false, new Geometry(c.in(), x[1], x[2], c.out(), w.kh(), w.kw(), w.sh(), w.sw(),
                    p.top(), p.left(), p.bottom(), p.right(), w.dh(), w.dw(), c.groups()));
        } else if (op instanceof Elementwise e) {
            elementwise(n, e);
        } else if (op instanceof Activation a) {
            switch (a.function()) {
                case RELU -> clamp(n, new Bounds(0, Double.POSITIVE_INFINITY));
                case RELU6 -> clamp(n, new Bounds(0, 6));
                case TANH -> table(n, Function.TANH, null);
                case SIGMOID -> table(n, Function.SIGMOID, null);
                default -> throw unsupported(n, "softmax has no int8 lowering (leave it to the caller on the dequantized logits)");
            }
        } else if (op instanceof Clamp c) {
            clamp(n, new Bounds(c.min(), c.max()));
        } else if (op instanceof Project p) {
            if (p.set() == Project.Set.L2_BALL) {
                throw unsupported(n, "the l2-ball projection needs a norm over the tensor");
            }
            clamp(n, new Bounds(p.lo(), p.hi()));
        } else if (op instanceof Shrink s) {
            shrink(n, s);
        } else if (op instanceof Pool p) {
            pool(n, p);
        } else if (op instanceof Flatten || op instanceof Reshape) {
            move(n, MoveKind.RESHAPE, 0, n.inputs());
        } else if (op instanceof PixelShuffle ps) {
            move(n, MoveKind.PIXEL_SHUFFLE, ps.factor(), n.inputs());
        } else if (op instanceof Upsample u) {
            if (u.mode() == Upsample.Mode.NEAREST) {
                move(n, MoveKind.UPSAMPLE_NEAREST, u.factor(), n.inputs());
            } else if (u.factor() == 2) {
                bilinearX2(n);
            } else {
                throw unsupported(n, "bilinear up-sampling is lowered for factor 2 only (use mode=nearest)");
            }
        } else if (op instanceof Concat) {
            concat(n);
        } else {
            throw unsupported(n, "no int8 lowering");
        }
    }

    // ---------------------------------------------------------------- ops

    private void mac(Node n, boolean dense, Geometry g) {
        Tensor in = input(n, 0);
        String weight = artifact.of(n.weights().get(0));
        String bias = n.weights().size() > 1 ? artifact.of(n.weights().get(1)) : null;
        Node fused = foldable(n);
        define(n, Role.COMPUTED, observed(n));
        steps.add(new InferencePlan.Mac(n.name(), where(n.source()), in.node(), n.name(), dense, g, weight, null, bias,
                fused == null ? Bounds.NONE : bounds(fused), fused == null ? null : fused.name()));
        fold(n, fused);
    }

    private void elementwise(Node n, Elementwise e) {
        String a = n.inputs().get(0);
        String b = n.inputs().get(1);
        boolean aScalar = scalars.containsKey(a);
        boolean bScalar = scalars.containsKey(b);
        if (aScalar && bScalar) {
            throw unsupported(n, "arithmetic between two scalars belongs in a constant");
        }
        if (aScalar || bScalar) {
            Function f = switch (e.operator()) {
                case ADD -> Function.ADD;
                case SUB -> bScalar ? Function.SUB : Function.RSUB;
                case MUL -> Function.MUL;
                case DIV -> bScalar ? Function.DIV : Function.RDIV;
            };
            Node scalar = nodes.get(aScalar ? a : b);
            if (!scalar.shape().isScalarLike()) {
                throw unsupported(n, "arithmetic with the tensor parameter " + scalar.name() + " " + scalar.shape()
                        + " is not lowered (only with single values)");
            }
            String tensorInput = aScalar ? b : a;
            Scalar operand = scalars.get(aScalar ? a : b);
            Tensor in = tensor(tensorInput);
            define(n, Role.COMPUTED, observed(n));
            steps.add(new InferencePlan.Table(n.name(), where(n.source()), in.node(), n.name(), f, operand));
            return;
        }
        if (e.operator() != Elementwise.Kind.ADD && e.operator() != Elementwise.Kind.SUB) {
            throw unsupported(n, "element-wise " + e.kind() + " of two tensors has no int8 lowering (only with a scalar)");
        }
        Tensor ta = tensor(a);
        Tensor tb = tensor(b);
        if (ta.size() != tb.size()) {
            throw unsupported(n, "broadcasting a single-element tensor is not lowered; make it a param or constant");
        }
        if (ta.role() == Role.ZEROS || tb.role() == Role.ZEROS) {
            // x ± 0 and 0 − x (an unrolled state's first step): a re-quantization or negation of the other operand
            Tensor other = ta.role() == Role.ZEROS ? tb : ta;
            boolean negate = e.operator() == Elementwise.Kind.SUB && ta.role() == Role.ZEROS;
            define(n, Role.COMPUTED, observed(n));
            steps.add(new InferencePlan.Table(n.name(), where(n.source()), other.node(), n.name(),
                    negate ? Function.NEGATE : Function.RESCALE, null));
            return;
        }
        Node fused = foldable(n);
        define(n, Role.COMPUTED, observed(n));
        steps.add(new InferencePlan.Sum(n.name(), where(n.source()), ta.node(), tb.node(), n.name(),
                e.operator() == Elementwise.Kind.SUB, fused == null ? Bounds.NONE : bounds(fused), fused == null ? null : fused.name()));
        fold(n, fused);
    }

    private void clamp(Node n, Bounds b) {
        Tensor in = input(n, 0);
        define(n, Role.COMPUTED, in.quant());
        steps.add(new InferencePlan.Clamp(n.name(), where(n.source()), in.node(), n.name(), b));
    }

    private void table(Node n, Function f, Scalar operand) {
        Tensor in = input(n, 0);
        define(n, Role.COMPUTED, observed(n));
        steps.add(new InferencePlan.Table(n.name(), where(n.source()), in.node(), n.name(), f, operand));
    }

    private void shrink(Node n, Shrink s) {
        if (s.threshold() != Shrink.Kind.SOFT) {
            throw unsupported(n, "hard thresholding has no int8 lowering yet");
        }
        Tensor in = input(n, 0);
        String th = n.inputs().get(1);
        Scalar theta = scalars.get(th);
        if (theta == null) {
            throw unsupported(n, "the threshold " + th + " must be a param or a constant");
        }
        Shape ts = nodes.get(th).shape();
        int values = (int) ts.size();
        boolean perChannel = in.isImage() && ts.rank() == 1 && ts.dim(0) == in.shape()[0];
        if (values != 1 && !perChannel && (in.isImage() || values != in.size())) {
            throw unsupported(n, "a per-element threshold over an image is not lowered (use one per channel)");
        }
        define(n, Role.COMPUTED, in.quant());
        steps.add(new InferencePlan.Shrink(n.name(), where(n.source()), in.node(), n.name(), theta, values));
    }

    private void pool(Node n, Pool p) {
        Tensor in = input(n, 0);
        Window w = p.window();
        Padding pad = w.padding();
        if (w.dh() != 1 || w.dw() != 1) {
            throw unsupported(n, "dilated pooling is not lowered");
        }
        if (pad.top() >= w.kh() || pad.bottom() >= w.kh() || pad.left() >= w.kw() || pad.right() >= w.kw()) {
            throw unsupported(n, "pooling padding must be smaller than the window");
        }
        int[] s = in.shape();
        define(n, Role.COMPUTED, in.quant());
        steps.add(new InferencePlan.Pool(n.name(), where(n.source()), in.node(), n.name(), p.pool() == Pool.Kind.MAX,
                new Geometry(s[0], s[1], s[2], s[0], w.kh(), w.kw(), w.sh(), w.sw(), pad.top(), pad.left(), pad.bottom(), pad.right(), 1, 1, s[0])));
    }

    private void move(Node n, MoveKind kind, int factor, List<String> inputs) {
        Tensor in = input(n, 0);
        define(n, Role.COMPUTED, in.quant());
        List<String> ins = new ArrayList<>();
        for (String i : inputs) {
            ins.add(tensor(i).node());
        }
        steps.add(new InferencePlan.Move(n.name(), where(n.source()), ins, n.name(), kind, factor));
    }

    /**
     * Half-pixel bilinear ×2 = nearest ×2, replicate-pad 1, depthwise 3×3 {@code [1 2 1]ᵀ[1 2 1]/16}
     * ({@code FixedFilters.bilinearX2}); the filter requantizes to the node's own quantization.
     */
    private void bilinearX2(Node n) {
        Tensor in = input(n, 0);
        int[] s = in.shape();
        int c = s[0], h = 2 * s[1], w = 2 * s[2];
        String nearest = n.name() + ".nearest";
        String padded = n.name() + ".padded";
        tensors.put(nearest, new Tensor(nearest, Role.COMPUTED, new int[] {c, h, w}, in.quant()));
        steps.add(new InferencePlan.Move(nearest, where(n.source()), List.of(in.node()), nearest, MoveKind.UPSAMPLE_NEAREST, 2));
        tensors.put(padded, new Tensor(padded, Role.COMPUTED, new int[] {c, h + 2, w + 2}, in.quant()));
        steps.add(new InferencePlan.Move(padded, where(n.source()), List.of(nearest), padded, MoveKind.PAD_EDGE, 1));
        define(n, Role.COMPUTED, observed(n));
        steps.add(new InferencePlan.Mac(n.name(), where(n.source()), padded, n.name(), false,
                new Geometry(c, h + 2, w + 2, c, 3, 3, 1, 1, 0, 0, 0, 0, 1, 1, c), null, InferencePlan.Filter.BILINEAR_X2, null,
                Bounds.NONE, null));
    }

    /** Each input re-quantized by table to the concatenation's quantization, then moved. */
    private void concat(Node n) {
        List<String> ins = new ArrayList<>();
        Quant out = observed(n);
        for (String i : n.inputs()) {
            Tensor t = tensor(i);
            String rescaled = n.name() + "." + i + ".rescale";
            tensors.put(rescaled, new Tensor(rescaled, Role.COMPUTED, t.shape(), out));
            steps.add(new InferencePlan.Table(rescaled, where(n.source()), t.node(), rescaled, Function.RESCALE, null));
            ins.add(rescaled);
        }
        define(n, Role.COMPUTED, out);
        steps.add(new InferencePlan.Move(n.name(), where(n.source()), ins, n.name(), MoveKind.CONCAT, 0));
    }

    // ---------------------------------------------------------------- folding

    /** The single ReLU-like consumer of {@code n} that can become its output clamp, or null. */
    private Node foldable(Node n) {
        List<Node> us = users.getOrDefault(n.name(), List.of());
        if (us.size() != 1 || net.outputs().contains(n.name())) {
            return null;
        }
        Node u = us.get(0);
        Op op = u.op();
        boolean clampLike = op instanceof Activation a && (a.function() == Activation.Kind.RELU || a.function() == Activation.Kind.RELU6)
                || op instanceof Clamp || op instanceof Project p && p.set() != Project.Set.L2_BALL;
        return clampLike ? u : null;
    }

    private static Bounds bounds(Node clampLike) {
        Op op = clampLike.op();
        if (op instanceof Activation a) {
            return a.function() == Activation.Kind.RELU ? new Bounds(0, Double.POSITIVE_INFINITY) : new Bounds(0, 6);
        }
        if (op instanceof Clamp c) {
            return new Bounds(c.min(), c.max());
        }
        Project p = (Project) op;
        return new Bounds(p.lo(), p.hi());
    }

    private void fold(Node n, Node fused) {
        if (fused != null) {
            tensorOf.put(fused.name(), n.name());
        }
    }

    // ---------------------------------------------------------------- tensors

    private Quant observed(Node n) {
        return Quant.observed(artifact.of(n.name()));
    }

    private void define(Node n, Role role, Quant q) {
        int[] shape = n.shape().rank() == 0 ? new int[] {1} : n.shape().dims();
        tensors.put(n.name(), new Tensor(n.name(), role, shape, q));
        tensorOf.put(n.name(), n.name());
    }

    private Tensor input(Node n, int i) {
        return tensor(n.inputs().get(i));
    }

    private Tensor tensor(String node) {
        String t = tensorOf.get(node);
        if (t == null) {
            Node n = nodes.get(node);
            if (scalars.containsKey(node)) {
                throw unsupported(n, "a parameter or constant is used as a tensor; only scalar operands of arithmetic are lowered");
            }
            throw new IllegalStateException("node " + node + " used before it is lowered");
        }
        return tensors.get(t);
    }

    private UnsupportedInferenceException unsupported(Node n, String reason) {
        return new UnsupportedInferenceException(n.name(), n.op().kind(), where(n.source()), reason);
    }
}
