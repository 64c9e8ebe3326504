package org.edgenn.dsl.lowering;

import static org.edgenn.dsl.edgeNN.EdgeNNPackage.Literals.OP_CALL__OP;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.edgenn.dsl.edgeNN.Attribute;
import org.edgenn.dsl.edgeNN.Channels;
import org.edgenn.dsl.edgeNN.OpCall;
import org.edgenn.dsl.edgeNN.WordValue;
import org.edgenn.dsl.validation.IssueCodes;
import org.edgenn.ir.Shape;
import org.edgenn.ir.ops.Activation;
import org.edgenn.ir.ops.Clamp;
import org.edgenn.ir.ops.Concat;
import org.edgenn.ir.ops.Conv2d;
import org.edgenn.ir.ops.Dense;
import org.edgenn.ir.ops.Flatten;
import org.edgenn.ir.ops.Loss;
import org.edgenn.ir.ops.Op;
import org.edgenn.ir.ops.Padding;
import org.edgenn.ir.ops.PixelShuffle;
import org.edgenn.ir.ops.Pool;
import org.edgenn.ir.ops.Project;
import org.edgenn.ir.ops.Reshape;
import org.edgenn.ir.ops.Shrink;
import org.edgenn.ir.ops.SupportSelect;
import org.edgenn.ir.ops.Upsample;
import org.edgenn.ir.ops.Window;
import org.edgenn.ir.spec.vocab.Term;
import org.edgenn.ir.spec.vocab.Vocabulary;

/**
 * The language's operations: for each op name its category, how many tensor inputs it takes,
 * which attributes it accepts, and how a call becomes an IR {@link Op}. Shape rules stay in the IR
 * ops; this table only reads the call. Content assist and docs read it too.
 */
public final class OpCatalog {

    public enum Category { LAYER, FUNCTION, LOSS }

    /** The initialisers weights may name with {@code init=...}: the vocabulary's. */
    public static final Set<String> INITIALIZERS = Set.copyOf(Vocabulary.names(Term.Kind.INITIALIZER));

    /**
     * One op keyword: {@code op} is the IR op class its calls build (the key of the generator's op traits; the
     * completeness test checks keyword, catalogue entry and traits against each other).
     */
    public record Signature(String name, Category category, Class<? extends Op> op, int minInputs, int maxInputs,
                            Set<String> attributes, Builder builder, String doc) {
    }

    /** Builds the op of one call; reports problems and answers null when the call is wrong. */
    @FunctionalInterface
    public interface Builder {
        Op build(Call call);
    }

    /** One call being lowered: its attributes, its {@code in -> out} channels if written, its inputs' shapes. */
    /** {@code step} is the 0-based unroll step being expanded, -1 outside unroll blocks. */
    public record Call(OpCall ast, Attrs attrs, Channels channels, List<Shape> inputs, Problems problems, int step) {
        Shape input() {
            return inputs.isEmpty() ? null : inputs.get(0);
        }

        void problem(String message) {
            problems.error(ast, OP_CALL__OP, IssueCodes.BAD_ARGUMENTS, message);
        }
    }

    private static final Set<String> LAYER_ATTRS = Set.of("out", "bias", "init");
    private static final Set<String> WINDOW_ATTRS = Set.of("kernel", "stride", "padding", "dilation");
    private static final Map<String, Signature> OPS = new LinkedHashMap<>();

    static {
        layer("dense", Dense.class, union(LAYER_ATTRS), c -> dense(c, "dense"), "y = W x + b on a vector: dense(x, IN -> OUT)");
        // the matrix-vector product of unrolled optimization (LISTA's W_e y, S x): a dense layer without bias
        layer("matvec", Dense.class, Set.of("out", "init"), c -> dense(c, "matvec"), "y = W x on a vector, no bias: matvec(x, IN -> OUT)");
        layer("conv2d", Conv2d.class, union(LAYER_ATTRS, WINDOW_ATTRS, Set.of("groups")), OpCatalog::conv2d,
                "2-D convolution on [C, H, W]: conv2d(x, IN -> OUT, kernel=3, stride=1, padding=same, dilation=1, groups=1)");
        layer("depthwise", Conv2d.class, union(LAYER_ATTRS, WINDOW_ATTRS, Set.of("multiplier")), OpCatalog::depthwise,
                "depthwise convolution, one filter per channel: depthwise(x, kernel=3, padding=1)");
        function("maxpool", Pool.class, 1, 1, WINDOW_ATTRS, c -> pool(c, Pool.Kind.MAX), "max pooling: maxpool(x, kernel=2)");
        function("avgpool", Pool.class, 1, 1, WINDOW_ATTRS, c -> pool(c, Pool.Kind.AVG), "average pooling: avgpool(x, kernel=2)");
        function("globalavgpool", Pool.class, 1, 1, Set.of(), OpCatalog::globalAvgPool, "average over H and W: [C, H, W] -> [C, 1, 1]");
        function("upsample", Upsample.class, 1, 1, Set.of("factor", "mode"), OpCatalog::upsample, "up-sampling: upsample(x, factor=2, mode=nearest)");
        function("pixelshuffle", PixelShuffle.class, 1, 1, Set.of("factor"), c -> {
            Integer f = c.attrs().positive("factor", null);
            return f == null ? null : new PixelShuffle(f);
        }, "depth to space: [C*r*r, H, W] -> [C, H*r, W*r]");
        function("concat", Concat.class, 2, Integer.MAX_VALUE, Set.of(), c -> new Concat(), "concatenation along channels");
        function("flatten", Flatten.class, 1, 1, Set.of(), c -> new Flatten(), "to a vector");
        function("reshape", Reshape.class, 1, 1, Set.of("shape"), OpCatalog::reshape, "reshape(x, shape=(C, H, W))");
        for (Activation.Kind k : Activation.Kind.values()) {
            function(k.name().toLowerCase(java.util.Locale.ROOT), Activation.class, 1, 1, Set.of(), c -> new Activation(k), "activation");
        }
        function("clamp", Clamp.class, 1, 1, Set.of("min", "max"), c -> {
            Double lo = c.attrs().number("min", null);
            Double hi = c.attrs().number("max", null);
            if (lo == null || hi == null) {
                return null;
            }
            if (lo > hi) {
                c.problem("clamp needs min <= max, got " + lo + " > " + hi);
                return null;
            }
            return new Clamp(lo, hi);
        }, "clamp(x, min=0, max=1)");
        function("shrink", Shrink.class, 2, 2, Set.of(), c -> new Shrink(Shrink.Kind.SOFT),
                "soft threshold, the proximal map of l1: shrink(x, theta)");
        function("hardshrink", Shrink.class, 2, 2, Set.of(), c -> new Shrink(Shrink.Kind.HARD), "hard threshold: hardshrink(x, theta)");
        function("ss", SupportSelect.class, 2, 2, Set.of("p", "pmax"), OpCatalog::supportSelect,
                "support selection (LISTA-SS/CPSS, ALISTA): the largest p(k+1) % magnitudes (at most pmax %) above theta pass, "
                        + "the rest is soft-thresholded: ss(x, theta[k], p=1.2, pmax=13)");
        function("project_box", Project.class, 1, 1, Set.of("lo", "hi"), c -> {
            Double lo = c.attrs().number("lo", null);
            Double hi = c.attrs().number("hi", null);
            if (lo == null || hi == null) {
                return null;
            }
            if (lo > hi) {
                c.problem("project_box needs lo <= hi");
                return null;
            }
            return Project.box(lo, hi);
        }, "projection onto [lo, hi]");
        function("project_l2", Project.class, 1, 1, Set.of("radius"), c -> {
            Double r = c.attrs().number("radius", null);
            if (r == null) {
                return null;
            }
            if (r <= 0) {
                c.problem("project_l2 needs a positive radius");
                return null;
            }
            return Project.l2Ball(r);
        }, "projection onto the l2 ball of a radius");
        function("project_nonneg", Project.class, 1, 1, Set.of(), c -> Project.nonNegative(), "projection onto x >= 0");
        loss("mse", Loss.Kind.MSE, Set.of(), "mean squared error: mse(x, t)");
        loss("nmse", Loss.Kind.NMSE, Set.of(), "normalised squared error ||x - t||^2 / ||t||^2: nmse(x, t)");
        loss("cross_entropy", Loss.Kind.CROSS_ENTROPY, Set.of(), "softmax cross-entropy of logits against a target distribution");
        loss("l1", Loss.Kind.L1, Set.of(), "sparsity penalty sum |x|");
        loss("l2", Loss.Kind.L2, Set.of(), "penalty sum x^2");
        loss("log_penalty", Loss.Kind.LOG_PENALTY, Set.of("eps"), "sparsity penalty sum log(1 + |x| / eps)");
        loss("hoyer", Loss.Kind.HOYER, Set.of(), "sparsity penalty ||x||_1 / ||x||_2");
        loss("distill", Loss.Kind.DISTILL, Set.of("temperature"),
                "knowledge distillation: distill(student_logits, teacher, temperature=4)");
    }

    private OpCatalog() {
    }

    public static Signature get(String name) {
        return OPS.get(name);
    }

    public static Map<String, Signature> all() {
        return java.util.Collections.unmodifiableMap(OPS);
    }

    private static void layer(String name, Class<? extends Op> op, Set<String> attrs, Builder b, String doc) {
        OPS.put(name, new Signature(name, Category.LAYER, op, 1, 1, attrs, b, doc));
    }

    private static void function(String name, Class<? extends Op> op, int min, int max, Set<String> attrs, Builder b, String doc) {
        OPS.put(name, new Signature(name, Category.FUNCTION, op, min, max, attrs, b, doc));
    }

    private static void loss(String name, Loss.Kind kind, Set<String> attrs, String doc) {
        Builder b = c -> {
            double p = 0;
            if (kind == Loss.Kind.LOG_PENALTY) {
                Double eps = c.attrs().number("eps", 0.01);
                if (eps == null || eps <= 0) {
                    return null;
                }
                p = eps;
            } else if (kind == Loss.Kind.DISTILL) {
                Double t = c.attrs().number("temperature", 4.0);
                if (t == null || t <= 0) {
                    return null;
                }
                p = t;
            }
            return new Loss(kind, p);
        };
        OPS.put(name, new Signature(name, Category.LOSS, Loss.class, kind.arity(), kind.arity(), attrs, b, doc));
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        java.util.TreeSet<String> all = new java.util.TreeSet<>();
        for (Set<String> s : sets) {
            all.addAll(s);
        }
        return all;
    }

    // ----------------------------------------------------------------------------- builders

    /** {@code dense} (bias by default) or {@code matvec} (never a bias). */
    private static Op dense(Call c, String name) {
        Integer in = c.channels() != null ? Integer.valueOf(c.channels().getIn())
                : c.input() != null && c.input().rank() == 1 ? Integer.valueOf(c.input().dim(0)) : null;
        Integer out = c.channels() != null ? Integer.valueOf(c.channels().getOut()) : c.attrs().positive("out", null);
        Boolean bias = name.equals("matvec") ? Boolean.FALSE : c.attrs().bool("bias", true);
        checkInit(c);
        if (in == null) {
            c.problem(name + " needs IN -> OUT features" + (c.input() == null ? "" : ": its input " + c.input()
                    + " is not a vector (flatten it first)"));
            return null;
        }
        if (out == null || bias == null || !positive(c, in, out)) {
            return null;
        }
        return new Dense(in, out, bias);
    }

    private static Op conv2d(Call c) {
        Integer in = c.channels() != null ? Integer.valueOf(c.channels().getIn()) : channelsOf(c);
        Integer out = c.channels() != null ? Integer.valueOf(c.channels().getOut()) : c.attrs().positive("out", null);
        Integer groups = c.attrs().positive("groups", 1);
        Boolean bias = c.attrs().bool("bias", true);
        Window w = window(c, null);
        checkInit(c);
        if (in == null || out == null || groups == null || bias == null || w == null || !positive(c, in, out)) {
            return null;
        }
        if (in % groups != 0 || out % groups != 0) {
            c.problem("groups=" + groups + " must divide the input channels " + in + " and output channels " + out);
            return null;
        }
        return new Conv2d(in, out, w, groups, bias);
    }

    private static Op depthwise(Call c) {
        Integer in = c.channels() != null ? Integer.valueOf(c.channels().getIn()) : channelsOf(c);
        Integer multiplier = c.attrs().positive("multiplier", 1);
        Boolean bias = c.attrs().bool("bias", true);
        Window w = window(c, null);
        checkInit(c);
        if (in == null || multiplier == null || bias == null || w == null) {
            return null;
        }
        int out = c.channels() != null ? c.channels().getOut() : in * multiplier;
        if (!positive(c, in, out)) {
            return null;
        }
        if (out % in != 0) {
            c.problem("depthwise output channels " + out + " must be a multiple of its input channels " + in);
            return null;
        }
        return new Conv2d(in, out, w, in, bias);
    }

    private static Op pool(Call c, Pool.Kind kind) {
        int[] k = c.attrs().pair("kernel", null, false);
        Window w = window(c, k);
        return w == null ? null : new Pool(kind, w);
    }

    private static Op globalAvgPool(Call c) {
        Shape x = c.input();
        if (x == null || x.rank() != 3) {
            c.problem("globalavgpool expects a [C, H, W] input" + (x == null ? "" : ", got " + x));
            return null;
        }
        return new Pool(Pool.Kind.AVG, new Window(x.dim(1), x.dim(2), 1, 1, 1, 1, Padding.NONE));
    }

    private static Op upsample(Call c) {
        Integer f = c.attrs().positive("factor", null);
        String mode = c.attrs().word("mode", "nearest", "nearest", "bilinear");
        return f == null || mode == null ? null
                : new Upsample(f, "nearest".equals(mode) ? Upsample.Mode.NEAREST : Upsample.Mode.BILINEAR);
    }

    private static Op reshape(Call c) {
        Attribute a = c.attrs().get("shape");
        if (a == null) {
            c.attrs().positive("shape", null); // reports the missing attribute
            return null;
        }
        List<Integer> dims = new java.util.ArrayList<>();
        if (a.getValue() instanceof org.edgenn.dsl.edgeNN.TupleValue t) {
            t.getItems().forEach(i -> dims.add(Attrs.asInt(i)));
        } else {
            dims.add(Attrs.asInt(a.getValue()));
        }
        if (dims.stream().anyMatch(d -> d == null || d < 1)) {
            c.attrs().bad(a, "must be positive dimensions, e.g. shape=(16, 7, 7)");
            return null;
        }
        return new Reshape(Shape.of(dims.stream().mapToInt(Integer::intValue).toArray()));
    }

    /** kernel, stride, dilation and padding (a number, a pair, {@code same} or {@code valid}). */
    private static Window window(Call c, int[] kernel) {
        int[] k = kernel != null ? kernel : c.attrs().pair("kernel", null, false);
        int[] s = c.attrs().pair("stride", k != null && kernel != null ? k : new int[] {1, 1}, false);
        int[] d = c.attrs().pair("dilation", new int[] {1, 1}, false);
        if (k == null || s == null || d == null) {
            return null;
        }
        Padding p = Padding.NONE;
        Attribute pa = c.attrs().get("padding");
        if (pa != null && pa.getValue() instanceof WordValue word) {
            if ("same".equals(word.getWord())) {
                Shape x = c.input();
                if (x == null || x.rank() != 3) {
                    c.attrs().bad(pa, "same needs a [C, H, W] input");
                    return null;
                }
                p = Padding.same(x.dim(1), x.dim(2), k[0], k[1], s[0], s[1], d[0], d[1]);
            } else if (!"valid".equals(word.getWord())) {
                c.attrs().bad(pa, "must be a number, a pair (y, x), same or valid");
                return null;
            }
        } else if (pa != null) {
            int[] pp = c.attrs().pair("padding", null, true);
            if (pp == null) {
                return null;
            }
            p = Padding.symmetric(pp[0], pp[1]);
        }
        return new Window(k[0], k[1], s[0], s[1], d[0], d[1], p);
    }

    private static Integer channelsOf(Call c) {
        Shape x = c.input();
        if (x == null || x.rank() != 3) {
            c.problem(c.ast().getOp() + " expects a [C, H, W] input" + (x == null ? "" : ", got " + x));
            return null;
        }
        return x.dim(0);
    }

    private static boolean positive(Call c, int in, int out) {
        if (in < 1 || out < 1) {
            c.problem(c.ast().getOp() + " channels must be positive, got " + in + " -> " + out);
            return false;
        }
        return true;
    }

    private static void checkInit(Call c) {
        Attribute a = c.attrs().get("init");
        if (a != null && !(a.getValue() instanceof WordValue)) {
            c.problems().error(a, org.edgenn.dsl.edgeNN.EdgeNNPackage.Literals.ATTRIBUTE__VALUE,
                    IssueCodes.UNKNOWN_INITIALIZER, "init= names an initializer; expected one of "
                            + String.join(", ", new java.util.TreeSet<>(INITIALIZERS)));
        } else if (a != null) {
            TermLowering.initializer(a.getValue(), c.problems()); // name and arguments against the vocabulary
        }
    }

    /** {@code ss(x, theta, p=P, pmax=PMAX)}: this step's percentage {@code min(P (k + 1), PMAX)} (PMAX defaults to P). */
    private static Op supportSelect(Call c) {
        Double p = c.attrs().number("p", null);
        if (p == null) {
            return null;
        }
        Double pmax = c.attrs().number("pmax", p);
        if (pmax == null) {
            return null;
        }
        if (!(p >= 0 && p <= 100 && pmax >= 0 && pmax <= 100)) {
            c.problem("ss percentages must be in [0, 100], got p=" + p + ", pmax=" + pmax);
            return null;
        }
        if (c.step() < 0 && pmax.doubleValue() != p.doubleValue()) {
            c.problem("ss with a schedule (pmax) belongs in an unroll block, where the step k sets min(p (k + 1), pmax)");
            return null;
        }
        return new SupportSelect(c.step() < 0 ? p : SupportSelect.schedule(p, pmax, c.step()));
    }
}
