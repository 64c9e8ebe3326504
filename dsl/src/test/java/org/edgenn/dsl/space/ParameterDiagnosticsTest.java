package org.edgenn.dsl.space;

import static org.edgenn.dsl.DiagnosticCase.among;
import static org.edgenn.dsl.DiagnosticCase.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
import org.edgenn.ir.spec.ExploreSpec.TrainingBudget;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Mistakes in parameters and explore blocks give an error on exactly the text marked ⟦so⟧, with its issue code's
 * message; a well-formed family and explore block give none.
 */
@ExtendWith(InjectionExtension.class)
@InjectWith(EdgeNNInjectorProvider.class)
class ParameterDiagnosticsTest {

    @Inject
    private ParseHelper<Model> parser;

    @Inject
    private ValidationTestHelper validator;

    private static final String NET = "network N($w: {8, 16}, $deep: bool) {\n  input x: f32[16]\n"
            + "  layer S[4 if $deep] = dense(16 -> 16)\n  layer a = dense(16 -> $w)\n  state y: f32[16] = 0\n"
            + "  unroll 4 as k { y = S[k](y) }\n  let z = a(y)\n  output z\n}\n";

    private static final String ACC = "accelerator T($rows: {4, 8}) {\n  mac int8 accumulator int32\n  clock 100 MHz\n"
            + "  axis rows $rows unrolls K\n  area per pe 400 um2\n"
            + "  memory gbuf size 4 KiB holds W, I, O read 1 pJ/B area 5 um2/B\n"
            + "  memory dram holds W, I, O read 50 pJ/B\n}\n";

    private static String explore(String body) {
        return NET + ACC + "explore E {\n" + body + "\n}\n";
    }

    private static final String GOOD = "  networks N\n  accelerators T\n  minimize energy, area\n  strategy grid";

    static List<DiagnosticCase> cases() {
        return List.of(
            of("unknown parameter", NET.replace("dense(16 -> $w)", "dense(16 -> ⟦$v⟧)"), "unknown parameter $v"),
            of("parameter in a plain network", "network P {\n  input x: f32[16]\n  let y = relu(x)\n  layer a = dense(16 -> ⟦$n⟧)\n"
                    + "  output y\n}\n", "unknown parameter $n; declare it with its domain: network P($n: {...})"),
            of("boolean where a count goes", NET.replace("dense(16 -> $w)", "dense(16 -> ⟦$deep⟧)"), "$deep is not a number"),
            of("number where a boolean goes", NET.replace("[4 if $deep]", "[4 if ⟦$w⟧]"), "$w is not a boolean"),
            of("fractional values for a count", NET.replace("$w: {8, 16}", "$w: {8, 16.5}").replace("dense(16 -> $w)",
                    "dense(16 -> ⟦$w⟧)"), "takes values that are not whole numbers"),
            of("empty range", NET.replace("$w: {8, 16}", "$w: 32..⟦8⟧"), "an empty range: 32 is above 8"),
            of("bad range word", NET.replace("$w: {8, 16}", "$w: 8..32 ⟦by⟧ 8"), "a range is written 4..32 step 4"),
            among("duplicate parameter", NET.replace("$deep: bool", "⟦$w⟧: bool"), "parameter $w is declared twice"),
            of("constraint on an unknown parameter", ACC.replace("($rows: {4, 8})", "($rows: {4, 8}) where ⟦$cols⟧ <= 4"),
                    "unknown parameter $cols"),
            of("constraints exclude everything", ACC.replace("($rows: {4, 8})", "($rows: {4, 8}) where ⟦$rows > 8⟧"),
                    "no value of the parameters satisfies the constraints"),
            of("parameter in an explore block", explore(GOOD + "\n  budget latency < ⟦$x⟧ ms"), "parameters belong to a network or an accelerator"),
            of("unknown objective", explore("  networks N\n  accelerators T\n  minimize energy, ⟦speed⟧\n  strategy grid"),
                    "unknown objective 'speed'"),
            of("loss without training", explore("  networks N\n  accelerators T\n  minimize energy, ⟦loss⟧\n  strategy grid"),
                    "the task metric (loss) needs trained candidates"),
            of("unknown strategy", explore("  networks N\n  accelerators T\n  minimize energy\n  strategy ⟦anneal⟧(n=3)"),
                    "unknown strategy 'anneal'"),
            of("nsga2 without its seed", explore("  networks N\n  accelerators T\n  minimize energy\n"
                    + "  strategy ⟦nsga2⟧(population=8, generations=4)"), "nsga2 needs seed=N"),
            of("positional strategy argument", explore("  networks N\n  accelerators T\n  minimize energy\n"
                    + "  strategy random(⟦100⟧, seed=1)"), "random takes named arguments"),
            among("missing strategy", "network M {\n  input x: f32[4]\n  output x\n}\n" + ACC
                    + "explore ⟦E⟧ {\n  networks M\n  accelerators T\n  minimize energy\n}\n", "explore E needs a strategy"),
            among("area of an accelerator without one", explore("  networks N\n  accelerators T, ⟦U⟧\n  minimize area\n  strategy grid")
                    + "accelerator U {\n  mac int8 accumulator int32\n  clock 100 MHz\n  axis rows 4 unrolls K\n"
                    + "  memory dram holds W, I, O read 50 pJ/B\n}\n", "accelerator U declares no area"),
            among("a family explored with an empty space", NET + ACC.replace("($rows: {4, 8})", "($rows: {4, 8}) where $rows > 8")
                    + "explore E {\n  networks N\n  accelerators ⟦T⟧\n  minimize energy\n  strategy grid\n}\n",
                    "every instance of T is excluded"),
            of("unknown halving argument", explore(GOOD + "\n  training halving(min_steps=10, max_steps=90, eta=3, ⟦steps⟧=100)"),
                    "halving has no attribute 'steps'"),
            of("halving without eta", explore(GOOD + "\n  training ⟦halving⟧(min_steps=10, max_steps=90)"), "halving needs eta=N"),
            of("halving with eta 1", explore(GOOD + "\n  training halving(min_steps=10, max_steps=90, eta=⟦1⟧)"),
                    "halving eta must be at least 2"),
            of("halving budgets reversed", explore(GOOD + "\n  training halving(min_steps=100, max_steps=⟦10⟧, eta=3)"),
                    "halving max_steps must be at least min_steps (100)"),
            of("hyperband without its seed", explore(GOOD + "\n  training ⟦hyperband⟧(min_steps=10, max_steps=90, eta=3)"),
                    "hyperband needs seed=N"),
            of("positional halving argument", explore(GOOD + "\n  training halving(⟦10⟧, max_steps=90, eta=3)"),
                    "halving takes named arguments"),
            of("unknown training", explore(GOOD + "\n  training ⟦anneal⟧(n=3)"), "unknown training 'anneal'"),
            of("memory without area", ACC.replace("  memory gbuf size 4 KiB holds W, I, O read 1 pJ/B area 5 um2/B",
                    "  memory ⟦gbuf⟧ size 4 KiB holds W, I, O read 1 pJ/B").replace("($rows: {4, 8})", "").replace("$rows", "4"),
                    "memory gbuf needs its area"),
            of("area on the backing store", ACC.replace("memory dram holds W, I, O read 50 pJ/B", "memory dram holds W, I, O read 50 pJ/B area ⟦1 um2/B⟧")
                    .replace("($rows: {4, 8})", "").replace("$rows", "4"), "the backing store (dram) is off chip and has no area")
        );
    }

    @Test
    void aWellFormedFamilyAndExploreBlockCheckClean() throws Exception {
        Model m = parser.parse(explore(GOOD + "\n  budget latency < 5 ms, area < 1 mm2\n  training none"));
        List<Issue> issues = validator.validate(m);
        assertTrue(issues.isEmpty(), issues.toString());
        for (String t : List.of("halving(min_steps=10, max_steps=90, eta=3)", "hyperband(min_steps=10, max_steps=90, eta=3, seed=2)")) {
            Model trained = parser.parse(explore(GOOD + "\n  training " + t));
            assertTrue(validator.validate(trained).isEmpty(), t + ": " + validator.validate(trained));
        }
        // successive halving goes with nsga2 (each generation's new networks in rungs)
        Model nsga2 = parser.parse(explore("  networks N\n  accelerators T\n  minimize energy\n"
                + "  strategy nsga2(population=8, generations=4, seed=1)\n  training halving(min_steps=10, max_steps=90, eta=3)"));
        assertTrue(validator.validate(nsga2).isEmpty(), validator.validate(nsga2).toString());
        // so does hyperband (its brackets cycle through the starting rungs); its seed draws nothing there: a warning on it
        String text = explore("  networks N\n  accelerators T\n  minimize energy\n"
                + "  strategy nsga2(population=8, generations=4, seed=1)\n  training hyperband(min_steps=10, max_steps=90, eta=3, seed=2)");
        List<Issue> hyperband = validator.validate(parser.parse(text));
        assertEquals(1, hyperband.size(), hyperband.toString());
        Issue w = hyperband.get(0);
        assertEquals(org.eclipse.xtext.diagnostics.Severity.WARNING, w.getSeverity());
        assertTrue(w.getMessage().contains("hyperband draws nothing") && w.getMessage().contains("seed is not used"), w.getMessage());
        assertEquals(text.indexOf("hyperband(min"), w.getOffset().intValue());
    }

    @Test
    void halvingRungsAreSpacedAsHyperbandSpacesThem() {
        var b = new TrainingBudget(TrainingBudget.Kind.HALVING,
                100, 10, 3, 0);
        assertEquals(List.of(11, 33, 100), b.rungBudgets());
        var exact = new TrainingBudget(TrainingBudget.Kind.HALVING,
                90, 10, 3, 0);
        assertEquals(List.of(10, 30, 90), exact.rungBudgets());
        var one = new TrainingBudget(TrainingBudget.Kind.HALVING,
                50, 40, 2, 0);
        assertEquals(List.of(50), one.rungBudgets());
    }

    @TestFactory
    Stream<DynamicTest> everyMistakeHasAPreciseDiagnostic() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    private void check(DiagnosticCase c) throws Exception {
        Model model = parser.parse(c.text());
        List<Issue> errors = validator.validate(model).stream().filter(i -> i.getSeverity() == Severity.ERROR).toList();
        assertFalse(errors.isEmpty(), c.name() + ": no error at all");
        List<Issue> atRange = errors.stream().filter(i -> i.getOffset() == c.offset() && i.getLength() == c.length()).toList();
        if (atRange.stream().noneMatch(i -> i.getMessage().contains(c.message()))) {
            fail(c.name() + ": expected '" + c.message() + "' on «" + c.text().substring(c.offset(), c.offset() + c.length())
                    + "», got: " + errors.stream().map(i -> i.getOffset() + "+" + i.getLength() + " " + i.getMessage()).toList());
        }
        if (c.alone()) {
            assertEquals(1, errors.size(), c.name() + ": " + errors);
        }
    }
}
