package org.edgenn.ir.spec.vocab;

import static org.edgenn.ir.spec.vocab.Parameter.Range.POSITIVE;
import static org.edgenn.ir.spec.vocab.Parameter.Range.NON_NEGATIVE;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.edgenn.ir.spec.vocab.Parameter.Range;
import org.edgenn.ir.spec.vocab.Parameter.Type;
import org.edgenn.ir.spec.vocab.Term.Kind;

/**
 * The training vocabulary, listed once: every data source, optimizer, schedule and initializer a train block or a
 * weight may name, with its arguments (name, type, default, range, doc). Lowering checks written arguments against
 * these terms and builds their records; content assist proposes from them; docs/language.md's tables are checked
 * against them (VocabularyDocsTest).
 */
public final class Vocabulary {

    private static final Range FRACTION = new Range(0, false, 1, true);
    private static final Parameter LR = Parameter.number("lr", 1e-3, POSITIVE, "learning rate (the schedule scales it)").asPositional();
    private static final Parameter TEST = Parameter.integer("test", 1000, Range.atLeast(1), "held-out examples");

    public static final List<Term<DataSource>> DATA_SOURCES = List.of(
            data("synthetic_sparse", "sparse coding y = A x with a random dictionary A (no download)",
                    List.of("measurement y = A x", "sparse code x"),
                    DataSource.SyntheticSparse.class, a -> new DataSource.SyntheticSparse(a.integerOrNull("m"), a.integerOrNull("n"),
                            a.number("sparsity"), a.number("snr"), a.integer("samples"), a.integer("test"), a.string("matrix"),
                            a.string("matrix_var"), a.string("x_test"), a.string("y_test")),
                    Parameter.derived("m", Type.INT, Range.atLeast(1), "measurements (default: the first input's size)"),
                    Parameter.derived("n", Type.INT, Range.atLeast(1), "code length (default: the first label's size)"),
                    Parameter.number("sparsity", 0.1, FRACTION, "fraction of non-zero code entries"),
                    Parameter.number("snr", Double.POSITIVE_INFINITY, Range.ANY, "measurement noise, dB (default: none)").withUnit("dB"),
                    Parameter.integer("samples", 50000, Range.atLeast(1), "training examples per epoch"),
                    TEST,
                    Parameter.derived("matrix", Type.STRING, Range.ANY, "A from a .npy or .mat file, shape (m, n) "
                            + "(default: Gaussian with unit-norm columns, drawn from the train block's seed)"),
                    Parameter.derived("matrix_var", Type.STRING, Range.ANY, "the variable of a .mat matrix (default: its only one)"),
                    Parameter.derived("x_test", Type.STRING, Range.ANY, "held-out codes from a .npy file, shape (count, n) "
                            + "(default: test codes drawn here)"),
                    Parameter.derived("y_test", Type.STRING, Range.ANY, "their measurements from a .npy file, shape (count, m) "
                            + "(default: A x_test plus the noise)")),
            data("fashion_mnist", "Fashion-MNIST (IDX files)", List.of("image [1, 28, 28]", "one-hot label [10]"),
                    DataSource.FashionMnist.class, a -> new DataSource.FashionMnist(a.string("dir"), a.integer("test")),
                    Parameter.derived("dir", Type.STRING, Range.ANY, "folder of the IDX files (default: the usual locations)"),
                    Parameter.integer("test", 10000, Range.atLeast(1), "held-out examples")),
            data("idx", "any IDX image/label files", List.of("image", "one-hot label"),
                    DataSource.Idx.class, a -> new DataSource.Idx(a.string("images"), a.string("labels"), a.string("test_images"),
                            a.string("test_labels"), a.integer("classes"), a.integer("test")),
                    Parameter.string("images", "train-images-idx3-ubyte", "training images"),
                    Parameter.string("labels", "train-labels-idx1-ubyte", "training labels"),
                    Parameter.derived("test_images", Type.STRING, Range.ANY, "held-out images (default: the training files)"),
                    Parameter.derived("test_labels", Type.STRING, Range.ANY, "held-out labels (default: the training files)"),
                    Parameter.integer("classes", 10, Range.atLeast(2), "label classes"),
                    TEST),
            data("image_patches", "denoising pairs cut from a folder of images", List.of("noisy patch", "clean patch"),
                    DataSource.ImagePatches.class, a -> new DataSource.ImagePatches(a.string("dir"), a.integer("patch"),
                            a.number("sigma"), a.integer("samples"), a.integer("test")),
                    Parameter.string("dir", "images", "folder of images"),
                    Parameter.integer("patch", 64, Range.atLeast(1), "patch side, pixels"),
                    Parameter.number("sigma", 25, NON_NEGATIVE, "noise level (above 1: on the 0..255 scale)"),
                    Parameter.integer("samples", 1024, Range.atLeast(1), "training patches per epoch"),
                    Parameter.integer("test", 64, Range.atLeast(1), "held-out patches")),
            data("image_pairs", "super-resolution pairs (down-sampled, original) from a folder of images",
                    List.of("down-sampled image", "original image"),
                    DataSource.ImagePairs.class, a -> new DataSource.ImagePairs(a.string("dir"), a.integer("patch"),
                            a.integer("factor"), a.integer("samples"), a.integer("test")),
                    Parameter.string("dir", "images", "folder of images"),
                    Parameter.integer("patch", 64, Range.atLeast(1), "patch side of the original, pixels"),
                    Parameter.integer("factor", 2, Range.atLeast(2), "down-sampling factor"),
                    Parameter.integer("samples", 1024, Range.atLeast(1), "training pairs per epoch"),
                    Parameter.integer("test", 64, Range.atLeast(1), "held-out pairs")));

    public static final List<Term<Optimizer>> OPTIMIZERS = List.of(
            term(Kind.OPTIMIZER, "adam", "Adam", Optimizer.Adam.class, a -> new Optimizer.Adam(a.number("lr")), LR),
            term(Kind.OPTIMIZER, "adamw", "Adam with decoupled weight decay (Loshchilov and Hutter)", Optimizer.AdamW.class,
                    a -> new Optimizer.AdamW(a.number("lr"), a.number("weight_decay")), LR,
                    Parameter.number("weight_decay", 0.01, NON_NEGATIVE, "decoupled decay: each step w -= lr_t * weight_decay * w")),
            term(Kind.OPTIMIZER, "sgd", "stochastic gradient descent (Nesterov momentum when momentum > 0)", Optimizer.Sgd.class,
                    a -> new Optimizer.Sgd(a.number("lr"), a.number("momentum")), LR,
                    Parameter.number("momentum", 0, new Range(0, true, 1, false), "Nesterov momentum (0: plain SGD)")),
            term(Kind.OPTIMIZER, "rmsprop", "RMSProp", Optimizer.RmsProp.class, a -> new Optimizer.RmsProp(a.number("lr")), LR));

    public static final List<Term<Schedule>> SCHEDULES = List.of(
            term(Kind.SCHEDULE, "constant", "the learning rate throughout", Schedule.Constant.class, a -> new Schedule.Constant()),
            term(Kind.SCHEDULE, "cosine", "cosine decay over all steps", Schedule.Cosine.class,
                    a -> new Schedule.Cosine(a.numberOrNull("min")),
                    Parameter.derived("min", Type.NUMBER, NON_NEGATIVE, "final learning rate (default: 1 % of lr)")),
            term(Kind.SCHEDULE, "step", "times gamma every few epochs", Schedule.Step.class,
                    a -> new Schedule.Step(a.number("gamma"), a.integer("every")),
                    Parameter.number("gamma", 0.1, POSITIVE, "factor per step"),
                    Parameter.integer("every", 10, Range.atLeast(1), "epochs between steps")),
            term(Kind.SCHEDULE, "exponential", "times gamma per epoch", Schedule.Exponential.class,
                    a -> new Schedule.Exponential(a.number("gamma")),
                    Parameter.number("gamma", 0.95, FRACTION, "factor per epoch")));

    public static final List<Term<Initializer>> INITIALIZERS = List.of(
            term(Kind.INITIALIZER, "zeros", "all zero", Initializer.Zeros.class, a -> new Initializer.Zeros()),
            term(Kind.INITIALIZER, "ones", "all one", Initializer.Ones.class, a -> new Initializer.Ones()),
            term(Kind.INITIALIZER, "identity", "identity matrix or centre-tap kernel", Initializer.Identity.class, a -> new Initializer.Identity()),
            term(Kind.INITIALIZER, "normal", "N(0, std²)", Initializer.Normal.class, a -> new Initializer.Normal(a.number("std")),
                    Parameter.number("std", 0.01, POSITIVE, "standard deviation").asPositional()),
            term(Kind.INITIALIZER, "uniform", "U(-a, a)", Initializer.Uniform.class, a -> new Initializer.Uniform(a.number("a")),
                    Parameter.number("a", 0.05, POSITIVE, "half width").asPositional()),
            term(Kind.INITIALIZER, "glorot", "Glorot uniform (the default of weights)", Initializer.Glorot.class, a -> new Initializer.Glorot()),
            term(Kind.INITIALIZER, "xavier", "Glorot uniform (another name)", Initializer.Glorot.class, a -> new Initializer.Glorot()),
            term(Kind.INITIALIZER, "he", "He normal, N(0, 2/fanIn)", Initializer.He.class, a -> new Initializer.He()),
            term(Kind.INITIALIZER, "gaussian", "Gaussian blur kernel", Initializer.Gaussian.class, a -> new Initializer.Gaussian(a.number("sigma")),
                    Parameter.number("sigma", 1.0, POSITIVE, "standard deviation, pixels").asPositional()),
            term(Kind.INITIALIZER, "laplacian", "3×3 Laplacian kernel", Initializer.Laplacian.class, a -> new Initializer.Laplacian()),
            term(Kind.INITIALIZER, "sobel_x", "Sobel kernel, x derivative", Initializer.SobelX.class, a -> new Initializer.SobelX()),
            term(Kind.INITIALIZER, "sobel_y", "Sobel kernel, y derivative", Initializer.SobelY.class, a -> new Initializer.SobelY()),
            term(Kind.INITIALIZER, "box", "box (mean) filter", Initializer.Box.class, a -> new Initializer.Box()),
            term(Kind.INITIALIZER, "dictionary_t", "LISTA's Aᵀ/L (needs synthetic_sparse data)", Initializer.DictionaryT.class,
                    a -> new Initializer.DictionaryT()),
            term(Kind.INITIALIZER, "ista_s", "LISTA's I − AᵀA/L (needs synthetic_sparse data)", Initializer.IstaS.class,
                    a -> new Initializer.IstaS()),
            term(Kind.INITIALIZER, "dictionary", "the dictionary A itself (needs synthetic_sparse data)", Initializer.Dictionary.class,
                    a -> new Initializer.Dictionary()),
            term(Kind.INITIALIZER, "alista_w", "ALISTA's analytic Wᵀ solved from A, times γ (needs synthetic_sparse data)", Initializer.AlistaW.class,
                    a -> new Initializer.AlistaW(a.numberOrNull("gamma")),
                    Parameter.derived("gamma", Type.NUMBER, POSITIVE, "step size γ (default 1: Wᵀ itself)").asPositional()),
            term(Kind.INITIALIZER, "alista_s", "LISTA's S started as ALISTA without support selection: I − γ WᵀA, W ALISTA's analytic weight "
                            + "(needs synthetic_sparse data)", Initializer.AlistaS.class,
                    a -> new Initializer.AlistaS(a.numberOrNull("gamma")),
                    Parameter.derived("gamma", Type.NUMBER, POSITIVE, "step size γ (default 1), the γ of alista_w on We_k").asPositional()),
            term(Kind.INITIALIZER, "ista_step", "ISTA's step 1/L, L = ||A||₂² (needs synthetic_sparse data)", Initializer.IstaStep.class,
                    a -> new Initializer.IstaStep()),
            term(Kind.INITIALIZER, "ista_threshold", "ISTA's threshold λ/L (needs synthetic_sparse data)", Initializer.IstaThreshold.class,
                    a -> new Initializer.IstaThreshold(a.number("lambda")),
                    Parameter.number("lambda", 0.1, POSITIVE, "the lasso's λ").asPositional()),
            term(Kind.INITIALIZER, "fista_momentum", "FISTA's (t_k − 1)/t_{k+1} of step k (a param with one value per step)",
                    Initializer.FistaMomentum.class, a -> new Initializer.FistaMomentum()),
            term(Kind.INITIALIZER, "admm_inverse", "ADMM's (AᵀA + ρI)⁻¹ (needs synthetic_sparse data)", Initializer.AdmmInverse.class,
                    a -> new Initializer.AdmmInverse(a.number("rho")),
                    Parameter.number("rho", 1, POSITIVE, "ADMM's penalty ρ").asPositional()),
            term(Kind.INITIALIZER, "file", "values from a file: .npy, MATLAB v5 .mat, else text", Initializer.File.class,
                    a -> new Initializer.File(a.string("path"), a.string("var")),
                    Parameter.requiredString("path", "file, relative to the .edgenn file").asPositional(),
                    Parameter.derived("var", Type.STRING, Range.ANY, "the variable of a .mat file (default: its only one)")));

    public static final List<Term<Curriculum>> CURRICULA = List.of(
            term(Kind.CURRICULUM, "layerwise", "stage k trains unroll step k alone, the steps before it frozen", Curriculum.Layerwise.class,
                    a -> new Curriculum.Layerwise(a.integer("epochs")),
                    new Parameter("epochs", Type.INT, null, true, Range.atLeast(1), "", false, "epochs per stage")),
            term(Kind.CURRICULUM, "stagewise", "the papers' recipe: stage k trains step k alone, then every step up to k at 0.2× and 0.02× the "
                            + "learning rate; each phase stops on the held-out metric and keeps its best point", Curriculum.Stagewise.class,
                    a -> new Curriculum.Stagewise(a.integer("steps"), a.integer("eval"), a.integer("better_wait"), a.number("scalar_lr")),
                    Parameter.integer("steps", 2000, Range.atLeast(1), "most optimizer steps per phase"),
                    Parameter.integer("eval", 50, Range.atLeast(1), "steps between held-out evaluations"),
                    Parameter.integer("better_wait", 500, Range.atLeast(0), "steps without improvement that end a phase (0: never)"),
                    Parameter.number("scalar_lr", 1, POSITIVE, "learning-rate factor of one-value parameters (step sizes, thresholds)")));

    private Vocabulary() {
    }

    /** The terms of one family, in the order the docs list them. */
    public static List<? extends Term<?>> of(Kind kind) {
        return switch (kind) {
            case DATA_SOURCE -> DATA_SOURCES;
            case OPTIMIZER -> OPTIMIZERS;
            case SCHEDULE -> SCHEDULES;
            case INITIALIZER -> INITIALIZERS;
            case CURRICULUM -> CURRICULA;
        };
    }

    public static Optional<? extends Term<?>> find(Kind kind, String name) {
        return of(kind).stream().filter(t -> t.name().equals(name)).findFirst();
    }

    public static List<String> names(Kind kind) {
        return of(kind).stream().map(Term::name).toList();
    }

    /**
     * A record of the vocabulary written the way the language spells it, every argument named:
     * {@code adam(lr=5.0E-4)}, {@code synthetic_sparse(m=250, ...)}, {@code 0.1} for a constant initializer.
     * Arguments whose value is absent (a derived default) or infinite (none) are left out.
     */
    public static String spell(Object value) {
        if (value instanceof Initializer.Constant c) {
            return Range.format(c.value());
        }
        Term<?> term = termOf(value);
        List<String> args = new ArrayList<>();
        for (RecordComponent rc : value.getClass().getRecordComponents()) {
            Object v;
            try {
                v = rc.getAccessor().invoke(value);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            if (v == null || v instanceof Double d && d.isInfinite()) {
                continue; // a derived default, or "none" (snr)
            }
            String text = v instanceof String s ? "\"" + s + "\"" : v instanceof Double d ? Range.format(d) : String.valueOf(v);
            args.add(snake(rc.getName()) + "=" + text);
        }
        return args.isEmpty() ? term.name() : term.name() + "(" + String.join(", ", args) + ")";
    }

    /** The (first) term that builds records of {@code value}'s class. */
    public static Term<?> termOf(Object value) {
        for (Kind k : Kind.values()) {
            for (Term<?> t : of(k)) {
                if (t.type() == value.getClass()) {
                    return t;
                }
            }
        }
        throw new IllegalArgumentException("no term builds " + value.getClass().getSimpleName());
    }

    /** {@code testImages} → {@code test_images}: record components are the parameters in Java spelling. */
    public static String snake(String camel) {
        StringBuilder b = new StringBuilder();
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                b.append('_').append(Character.toLowerCase(c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    @SafeVarargs
    private static <T> Term<T> data(String name, String doc, List<String> provides, Class<? extends T> type,
                                    java.util.function.Function<Arguments, T> build, Parameter... parameters) {
        return new Term<>(Kind.DATA_SOURCE, name, doc, List.of(parameters), provides, type, build);
    }

    private static <T> Term<T> term(Kind kind, String name, String doc, Class<? extends T> type,
                                    java.util.function.Function<Arguments, T> build, Parameter... parameters) {
        return new Term<>(kind, name, doc, List.of(parameters), List.of(), type, build);
    }
}
