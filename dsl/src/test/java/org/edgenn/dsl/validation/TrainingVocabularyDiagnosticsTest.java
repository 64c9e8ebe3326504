package org.edgenn.dsl.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Inject;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.xtext.diagnostics.Severity;
import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.eclipse.xtext.testing.util.ParseHelper;
import org.eclipse.xtext.testing.validation.ValidationTestHelper;
import org.eclipse.xtext.validation.Issue;
import org.edgenn.dsl.DiagnosticCase;
import org.edgenn.dsl.edgeNN.Model;
import org.edgenn.dsl.tests.EdgeNNInjectorProvider;
import org.edgenn.ir.graph.Program;
import org.edgenn.ir.spec.vocab.DataSource;
import org.edgenn.ir.spec.vocab.Initializer;
import org.edgenn.ir.spec.vocab.Optimizer;
import org.edgenn.ir.spec.vocab.Schedule;
import org.edgenn.dsl.lowering.ProgramLowering;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every argument of a data source, optimizer, schedule or initializer is checked against the vocabulary's
 * descriptors: each mistake is one error with its issue code on exactly the marked text (the argument's name, or
 * its value for a wrong type or range), naming the closest valid name.
 */
@ExtendWith(InjectionExtension.class)
@InjectWith(EdgeNNInjectorProvider.class)
class TrainingVocabularyDiagnosticsTest {

    @Inject
    private ParseHelper<Model> parser;

    @Inject
    private ValidationTestHelper validator;

    @Inject
    private ProgramLowering lowering;

    private record Case(DiagnosticCase text, String code) {
    }

    private static final String NET = "network N {\n  input x: f32[16]\n  label t: f32[16]\n  layer L = dense(16 -> 16, init=INIT)\n"
            + "  param p: f32[16] = PARAM\n  let y = L(x) * p\n  output y\n  loss mse(y, t)\n}\n";

    /** A network N with its train block; INIT, PARAM, DATA, OPT and SCHED stand for the vocabulary under test. */
    private static String text(String init, String param, String data, String opt, String sched) {
        return NET.replace("INIT", init).replace("PARAM", param) + "train N {\n  data " + data + " -> x, t\n  optimizer " + opt
                + "\n  schedule " + sched + "\n  epochs 2\n}\n";
    }

    /** A dense 16 -> 32 layer under synthetic_sparse(m=16, n=32): alista_w fits it (Wᵀ is n x m), ista_s / alista_s do not. */
    private static final String OPERATOR = "network N {\n  input y: f32[16]\n  label t: f32[32]\n"
            + "  layer W = dense(16 -> 32, bias=false, init=INIT)\n  let x = W(y)\n  output x\n  loss mse(x, t)\n}\n"
            + "train N {\n  data synthetic_sparse(m=16, n=32) -> y, t\n  optimizer adam\n  epochs 2\n}\n";

    @Test
    void operatorInitializerOfTheRightShapeIsAccepted() throws Exception {
        Model model = parser.parse(OPERATOR.replace("INIT", "alista_w(gamma=0.5)"));
        assertTrue(validator.validate(model).stream().noneMatch(i -> i.getSeverity() == Severity.ERROR), validator.validate(model).toString());
    }

    private static String opt(String o) {
        return text("glorot", "0.1", "synthetic_sparse()", o, "constant");
    }

    private static String data(String d) {
        return text("glorot", "0.1", d, "adam", "constant");
    }

    private static String init(String i) {
        return text(i, "0.1", "synthetic_sparse()", "adam", "constant");
    }

    private static String sched(String s) {
        return text("glorot", "0.1", "synthetic_sparse()", "adam", s);
    }

    private static Case of(String name, String marked, String code, String message) {
        return new Case(DiagnosticCase.of(name, marked, message), code);
    }

    static List<Case> cases() {
        return List.of(
            // misspelt argument names: on the name, naming the closest valid one
            of("optimizer argument", opt("adam(⟦lrr⟧=1e-3)"), IssueCodes.UNKNOWN_ARGUMENT,
                    "adam has no argument 'lrr'; did you mean lr? (arguments: lr)"),
            of("data source argument", data("synthetic_sparse(⟦sparsty⟧=0.2)"), IssueCodes.UNKNOWN_ARGUMENT,
                    "synthetic_sparse has no argument 'sparsty'; did you mean sparsity? (arguments: m, n, sparsity, snr, samples, test, matrix, matrix_var, x_test, y_test)"),
            of("initializer argument", init("normal(⟦sdt⟧=0.1)"), IssueCodes.UNKNOWN_ARGUMENT,
                    "normal has no argument 'sdt'; did you mean std? (arguments: std)"),
            of("param initializer argument", text("glorot", "uniform(⟦b⟧=0.1)", "synthetic_sparse()", "adam", "constant"),
                    IssueCodes.UNKNOWN_ARGUMENT, "uniform has no argument 'b'; did you mean a? (arguments: a)"),
            of("schedule argument", sched("step(⟦gama⟧=0.5)"), IssueCodes.UNKNOWN_ARGUMENT,
                    "step has no argument 'gama'; did you mean gamma? (arguments: gamma, every)"),
            of("argument of a term without arguments", init("he(⟦gain⟧=2)"), IssueCodes.UNKNOWN_ARGUMENT, "he takes no arguments"),
            of("unnamed argument where none is taken", opt("sgd(0.1, ⟦0.9⟧)"), IssueCodes.UNKNOWN_ARGUMENT,
                    "sgd takes one unnamed argument (lr): sgd(lr=0.001, momentum=0)"),
            // wrong types: on the value
            of("string for a number", opt("adam(lr=⟦\"fast\"⟧)"), IssueCodes.BAD_ARGUMENT_TYPE, "adam lr must be a number, got \"fast\""),
            of("fraction for a whole number", data("synthetic_sparse(samples=⟦12.5⟧)"), IssueCodes.BAD_ARGUMENT_TYPE,
                    "synthetic_sparse samples must be a whole number, got 12.5"),
            of("number for a path", data("image_patches(dir=⟦3⟧)").replace("-> x, t", "-> x, t"), IssueCodes.BAD_ARGUMENT_TYPE,
                    "image_patches dir must be a string in quotes, got 3"),
            of("wrong unit", data("synthetic_sparse(snr=⟦30 ms⟧)"), IssueCodes.BAD_ARGUMENT_TYPE,
                    "synthetic_sparse snr must be a number (in dB), got 30 ms"),
            // out of range: on the value
            of("negative learning rate", opt("adam(lr=⟦-1e-3⟧)"), IssueCodes.ARGUMENT_OUT_OF_RANGE, "adam lr must be > 0, got -1e-3"),
            of("sparsity above 1", data("synthetic_sparse(sparsity=⟦1.5⟧)"), IssueCodes.ARGUMENT_OUT_OF_RANGE,
                    "synthetic_sparse sparsity must be in (0, 1], got 1.5"),
            of("zero standard deviation", init("normal(⟦0⟧)"), IssueCodes.ARGUMENT_OUT_OF_RANGE, "normal std must be > 0, got 0"),
            of("non-positive ALISTA step size", init("alista_s(gamma=⟦-0.5⟧)"), IssueCodes.ARGUMENT_OUT_OF_RANGE,
                    "alista_s gamma must be > 0, got -0.5"),
            of("zero ALISTA step size, unnamed", init("alista_w(⟦0⟧)"), IssueCodes.ARGUMENT_OUT_OF_RANGE, "alista_w gamma must be > 0, got 0"),
            of("misspelt ALISTA step size", init("alista_s(⟦gama⟧=0.5)"), IssueCodes.UNKNOWN_ARGUMENT,
                    "alista_s has no argument 'gama'; did you mean gamma? (arguments: gamma)"),
            of("momentum of 1", opt("sgd(lr=0.1, momentum=⟦1⟧)"), IssueCodes.ARGUMENT_OUT_OF_RANGE,
                    "sgd momentum must be in [0, 1), got 1"),
            // an operator initializer whose shape does not fit the data's m x n A: on the init value
            of("ALISTA S on a layer of the wrong shape", OPERATOR.replace("INIT", "⟦alista_s(0.5)⟧"), IssueCodes.BAD_TRAINING,
                    "layer W has init=alista_s(gamma=0.5), which makes a dense(32 -> 32) layer for the data's 16x32 A; the layer is dense(16 -> 32)"),
            of("ISTA S on a layer of the wrong shape", OPERATOR.replace("INIT", "⟦ista_s⟧"), IssueCodes.BAD_TRAINING,
                    "layer W has init=ista_s, which makes a dense(32 -> 32) layer"),
            // unknown names: on the name, with the closest
            of("unknown optimizer", opt("⟦adamm⟧(lr=1e-3)"), IssueCodes.UNKNOWN_OPTIMIZER,
                    "unknown optimizer 'adamm'; expected one of adam, adamw, rmsprop, sgd (did you mean adam or adamw?)"),
            of("unknown initializer", init("⟦glorrot⟧"), IssueCodes.UNKNOWN_INITIALIZER,
                    "unknown initializer 'glorrot'; expected one of admm_inverse, alista_s, alista_w, box, dictionary, dictionary_t, file, fista_momentum, "
                            + "gaussian, glorot, he, identity, ista_s, ista_step, ista_threshold, laplacian, normal, ones, sobel_x, sobel_y, uniform, "
                            + "xavier, zeros (did you mean glorot?)"),
            of("unknown param initializer", text("glorot", "⟦nromal⟧(0.1)", "synthetic_sparse()", "adam", "constant"),
                    IssueCodes.UNKNOWN_INITIALIZER, "unknown initializer 'nromal'"),
            of("unknown data source", data("⟦synthetic_spars⟧()"), IssueCodes.UNKNOWN_DATA_SOURCE,
                    "unknown data source 'synthetic_spars'; expected one of fashion_mnist, idx, image_pairs, image_patches, "
                            + "synthetic_sparse (did you mean synthetic_sparse?)"),
            of("unknown schedule", sched("⟦cosin⟧()"), IssueCodes.UNKNOWN_SCHEDULE,
                    "unknown schedule 'cosin'; expected one of constant, cosine, exponential, step (did you mean cosine?)"),
            // a required argument
            of("file without its path", init("⟦file⟧"), IssueCodes.MISSING_ARGUMENT, "file needs its path"));
    }

    @TestFactory
    Stream<DynamicTest> everyArgumentIsChecked() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.text().name(), () -> check(c)));
    }

    private void check(Case c) throws Exception {
        DiagnosticCase d = c.text();
        Model model = parser.parse(d.text());
        List<Issue> errors = validator.validate(model).stream().filter(i -> i.getSeverity() == Severity.ERROR).toList();
        assertEquals(1, errors.size(), d.name() + ": expected one error, got " + errors);
        Issue e = errors.get(0);
        String at = d.text().substring(e.getOffset(), e.getOffset() + e.getLength());
        assertEquals(c.code(), e.getCode(), d.name() + ": " + e.getMessage());
        assertEquals(d.offset(), e.getOffset(), d.name() + ": on «" + at + "»");
        assertEquals(d.length(), e.getLength(), d.name() + ": on «" + at + "»");
        assertTrue(e.getMessage().contains(d.message()), d.name() + ": " + e.getMessage());
    }

    @Test
    void validArgumentsBuildTheTypedRecords() throws Exception {
        String src = text("normal(0.05)", "uniform(a=0.2)", "synthetic_sparse(m=16, sparsity=0.2, snr=30 dB)",
                "adamw(5e-4, weight_decay=0.02)", "step(gamma=0.5, every=3)");
        Model model = parser.parse(src);
        assertTrue(validator.validate(model).stream().noneMatch(i -> i.getSeverity() == Severity.ERROR),
                validator.validate(model).toString());
        Program p = lowering.lower(List.of(model));
        var spec = p.training("N").orElseThrow();
        assertEquals(new DataSource.SyntheticSparse(16, null, 0.2, 30, 50000, 1000), spec.data());
        assertEquals(new Optimizer.AdamW(5e-4, 0.02), spec.optimizer());
        assertEquals(new Schedule.Step(0.5, 3), spec.schedule());
        var net = p.network("N").orElseThrow();
        assertEquals(new Initializer.Normal(0.05), net.weights().stream().filter(w -> w.name().equals("L.weight")).findFirst().orElseThrow().init());
        assertEquals(new Initializer.Uniform(0.2), net.weights().stream().filter(w -> w.layer().equals("p")).findFirst().orElseThrow().init());
    }

    @Test
    void alistaInitializersCarryTheirStepSize() throws Exception {
        for (String[] c : new String[][] {{"alista_s", null}, {"alista_s(gamma=0.5)", "0.5"}, {"alista_w(0.25)", "0.25"}, {"alista_w", null}}) {
            Model model = parser.parse(init(c[0]));
            assertTrue(validator.validate(model).stream().noneMatch(i -> i.getSeverity() == Severity.ERROR), c[0]);
            Initializer got = lowering.lower(List.of(model)).network("N").orElseThrow().weights().stream()
                    .filter(w -> w.name().equals("L.weight")).findFirst().orElseThrow().init();
            Double gamma = c[1] == null ? null : Double.valueOf(c[1]);
            assertEquals(c[0].startsWith("alista_s") ? new Initializer.AlistaS(gamma) : new Initializer.AlistaW(gamma), got, c[0]);
        }
    }
}
