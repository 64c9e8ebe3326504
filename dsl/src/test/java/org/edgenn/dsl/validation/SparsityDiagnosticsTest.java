package org.edgenn.dsl.validation;

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
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Pruning, sparse hardware and memory budgets: every bad declaration is an error with its issue code on exactly the
 * marked text (⟦so⟧), checked as the editor checks (the Xtext validator); good declarations give no error.
 */
@ExtendWith(InjectionExtension.class)
@InjectWith(EdgeNNInjectorProvider.class)
class SparsityDiagnosticsTest {

    @Inject
    private ParseHelper<Model> parser;

    @Inject
    private ValidationTestHelper validator;

    private record Case(DiagnosticCase marked, String code) {
    }

    private static Case of(String name, String marked, String message, String code) {
        return new Case(DiagnosticCase.of(name, marked, message), code);
    }

    /** A CNN with declared layers: conv1 1 -> 8 (3x3, pad 1) on 8x8, pool, flatten, fc 128 -> 16, head 16 -> 4. */
    private static String cnn(String compress) {
        return "network N {\n  input img: f32[1, 8, 8]\n"
                + "  layer conv1 = conv2d(1 -> 8, kernel=3, padding=1)\n"
                + "  layer conv2 = conv2d(8 -> 8, kernel=3, padding=1)\n"
                + "  layer fc = dense(128 -> 16)\n  layer head = dense(16 -> 4)\n"
                + "  let c = relu(conv2(relu(conv1(img))))\n  let p = maxpool(c, kernel=2)\n"
                + "  let y = head(relu(fc(flatten(p))))\n  output y\n  compress { " + compress + " }\n}\n";
    }

    private static String accel(String sparse) {
        return "accelerator T {\n  mac int8 accumulator int32\n  clock 100 MHz\n  axis rows 4 unrolls K\n"
                + "  memory dram bandwidth 4 B/cycle holds W, I, O read 80 pJ/B write 80 pJ/B\n  " + sparse + "\n}\n";
    }

    static List<Case> cases() {
        return List.of(
            of("N greater than M", cnn("prune ⟦6⟧:4 on fc"), "N:M pruning keeps N of every M weights, 1 <= N < M; got 6:4",
                    IssueCodes.BAD_NM),
            of("N equal to M", cnn("prune ⟦4⟧:4 on fc"), "1 <= N < M; got 4:4", IssueCodes.BAD_NM),
            of("unknown prune kind", cnn("prune 50% ⟦filters⟧"), "unknown prune kind 'filters'", IssueCodes.UNKNOWN_PRUNE_KIND),
            of("N:M groups do not divide the inputs", cnn("prune 2:4 on ⟦conv1⟧"),
                    "2:4 pruning groups 4 weights along the input channels, but conv1 has 1", IssueCodes.BAD_NM),
            of("channel pruning of the output layer", cnn("prune 50% channels on ⟦head⟧"),
                    "pruning the channels of head changes the output head from [4] to [2]", IssueCodes.BAD_PRUNING),
            of("memory budget exceeded", cnn("weights int8 per-channel\n activations int8\n budget memory < ⟦1 KiB⟧"),
                    "memory 3.836 KiB > budget 1 KiB", IssueCodes.BUDGET_EXCEEDED),
            of("memory budget in the wrong unit", cnn("budget memory < 1 ⟦ms⟧"), "", IssueCodes.UNKNOWN_UNIT),
            of("unknown sparse action", accel("sparse weights ⟦jump⟧"), "unknown sparse action 'jump'",
                    IssueCodes.BAD_SPARSE_SUPPORT),
            of("unknown sparse format", accel("sparse weights skip ⟦csr5⟧"), "unknown sparse format 'csr5'",
                    IssueCodes.BAD_SPARSE_SUPPORT),
            of("N:M unit with N > M", accel("sparse weights skip nm ⟦4⟧:2"), "an N:M unit keeps N of every M weights",
                    IssueCodes.BAD_SPARSE_SUPPORT),
            of("N:M unit that only gates", accel("sparse weights ⟦gate⟧ nm 2:4"), "an N:M unit skips the pruned weights",
                    IssueCodes.BAD_SPARSE_SUPPORT),
            of("offsets without width", accel("sparse weights skip ⟦offsets⟧"), "offsets need their index width",
                    IssueCodes.BAD_SPARSE_SUPPORT),
            of("sparse support twice", accel("sparse weights gate\n  ⟦sparse weights skip bitmask⟧"),
                    "sparse support is declared twice", IssueCodes.DUPLICATE_SPEC));
    }

    @TestFactory
    Stream<DynamicTest> everyBadDeclarationHasAPositionedDiagnosticWithItsCode() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.marked().name(), () -> check(c)));
    }

    private void check(Case c) throws Exception {
        DiagnosticCase d = c.marked();
        Model model = parser.parse(d.text());
        List<Issue> errors = validator.validate(model).stream().filter(i -> i.getSeverity() == Severity.ERROR).toList();
        assertFalse(errors.isEmpty(), d.name() + ": no error at all");
        boolean found = errors.stream().anyMatch(i -> i.getOffset() == d.offset() && i.getLength() == d.length()
                && i.getMessage().contains(d.message()) && c.code().equals(i.getCode()));
        if (!found) {
            StringBuilder b = new StringBuilder();
            for (Issue i : errors) {
                b.append("  ").append(i.getOffset()).append('+').append(i.getLength()).append(' ').append(i.getCode())
                        .append(' ').append(i.getMessage()).append('\n');
            }
            fail(d.name() + ": expected " + c.code() + " '" + d.message() + "' at " + d.offset() + "+" + d.length()
                    + " «" + d.text().substring(d.offset(), d.offset() + d.length()) + "», got:\n" + b);
        }
    }

    @Test
    void aPatternTheTargetsNmUnitCannotRunIsAWarningAtThePruneLine() throws Exception {
        String prune = "prune 1:4 on fc";
        String text = accel("sparse weights skip nm 2:4") + cnn(prune + "\n budget latency < 1 s on T");
        List<Issue> warnings = validator.validate(parser.parse(text)).stream()
                .filter(i -> i.getSeverity() == Severity.WARNING).toList();
        assertTrue(warnings.stream().anyMatch(i -> IssueCodes.SPARSITY_UNSUPPORTED.equals(i.getCode())
                && i.getOffset() == text.indexOf(prune) && i.getLength() == prune.length()
                && i.getMessage().contains("T's sparse unit runs 2:4 only")), warnings.toString());
        String matching = accel("sparse weights skip nm 2:4") + cnn("prune 2:4 on fc\n budget latency < 1 s on T");
        assertTrue(validator.validate(parser.parse(matching)).stream()
                .noneMatch(i -> IssueCodes.SPARSITY_UNSUPPORTED.equals(i.getCode())));
    }

    @Test
    void goodDeclarationsHaveNoError() throws Exception {
        for (String text : List.of(
                cnn("prune 50% channels on conv1, fc\n prune 2:4 on conv2\n budget memory < 256 KiB"),
                cnn("prune 50% unstructured"),
                accel("sparse weights skip nm 2:4"), accel("sparse weights gate"), accel("sparse weights skip bitmask"),
                accel("sparse weights skip offsets 4"))) {
            List<Issue> errors = validator.validate(parser.parse(text)).stream()
                    .filter(i -> i.getSeverity() == Severity.ERROR).toList();
            assertTrue(errors.isEmpty(), text + "\n" + errors);
        }
    }
}
