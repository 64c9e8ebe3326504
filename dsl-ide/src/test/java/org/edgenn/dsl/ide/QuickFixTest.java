package org.edgenn.dsl.ide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.eclipse.xtext.validation.Issue;
import org.edgenn.dsl.ide.editor.EditorDocument;
import org.edgenn.dsl.ide.quickfix.Fix;
import org.edgenn.dsl.validation.IssueCodes;
import org.junit.jupiter.api.Test;

/** Each quick fix turns a broken text into the expected one, and the issue is gone afterwards. */
class QuickFixTest {

    /** Applies the first fix of the only issue with {@code code}; checks the result and that it validates without it. */
    private static String fix(String broken, String code, String expectedLabel) {
        EditorDocument doc = Editors.open(broken);
        List<Issue> issues = doc.validate().stream().filter(i -> code.equals(i.getCode())).toList();
        assertEquals(1, issues.size(), doc.validate().toString());
        List<Fix> fixes = doc.fixes(issues.get(0));
        assertTrue(!fixes.isEmpty(), "no fix for " + issues.get(0));
        assertEquals(expectedLabel, fixes.get(0).label());
        String fixed = fixes.get(0).applyTo(broken);
        doc.setText(fixed);
        assertTrue(doc.validate().stream().noneMatch(i -> code.equals(i.getCode())), doc.validate().toString());
        return fixed;
    }

    @Test
    void unknownAttributeBecomesTheClosestName() {
        String broken = Editors.LISTA.replace("bias=false, init=ista_s", "bais=false, init=ista_s");
        assertEquals(Editors.LISTA, fix(broken, IssueCodes.UNKNOWN_ATTRIBUTE, "Change to 'bias'"));
    }

    private static final String TRAINED = "network N {\n  input x: f32[16]\n  label t: f32[16]\n  output x\n  loss mse(x, t)\n}\n"
            + "train N {\n  data synthetic_sparse(sparsity=0.2) -> x, t\n  optimizer adam(lr=1e-3)\n  epochs 1\n}\n";

    @Test
    void misspeltArgumentOfAnOptimizerBecomesTheClosestParameter() {
        assertEquals(TRAINED, fix(TRAINED.replace("adam(lr=", "adam(lrr="), IssueCodes.UNKNOWN_ARGUMENT, "Change to 'lr'"));
        assertEquals(TRAINED, fix(TRAINED.replace("(sparsity=", "(sparsty="), IssueCodes.UNKNOWN_ARGUMENT, "Change to 'sparsity'"));
    }

    @Test
    void misspeltOptimizerBecomesTheClosestName() {
        assertEquals(TRAINED, fix(TRAINED.replace("adam(", "adma("), IssueCodes.UNKNOWN_OPTIMIZER, "Change to 'adam'"));
    }

    @Test
    void missingStepIndexGetsTheEnclosingStepVariable() {
        String broken = Editors.LISTA.replace("theta[k])", "theta)");
        assertEquals(Editors.LISTA, fix(broken, IssueCodes.MISSING_INDEX, "Add [k]"));
    }

    @Test
    void duplicateNameIsRenamed() {
        String broken = Editors.LISTA.replace("  output x\n", "  let b = We(y)\n  output x\n");
        EditorDocument doc = Editors.open(broken);
        List<Issue> dups = doc.validate().stream().filter(i -> IssueCodes.DUPLICATE_NAME.equals(i.getCode())).toList();
        assertEquals(2, dups.size(), "reported on both: " + dups);
        Issue second = dups.stream().max(java.util.Comparator.comparingInt(Issue::getOffset)).orElseThrow();
        Fix f = doc.fixes(second).get(0);
        assertEquals("Rename to 'b2'", f.label());
        assertEquals(broken.replace("  let b = We(y)\n  output x", "  let b2 = We(y)\n  output x"), f.applyTo(broken));
    }

    @Test
    void unknownUnitBecomesTheClosestUnitOfThatQuantity() {
        String broken = Editors.LISTA.replace("clock 400 MHz", "clock 400 Mhz");
        assertEquals(Editors.LISTA, fix(broken, IssueCodes.UNKNOWN_UNIT, "Change to 'MHz'"));
        String size = Editors.LISTA.replace("size 128 KiB", "size 128 Kib");
        assertEquals(Editors.LISTA, fix(size, IssueCodes.UNKNOWN_UNIT, "Change to 'KiB'"));
    }

    @Test
    void unusedDeclarationIsRemovedWithItsLine() {
        String broken = Editors.LISTA.replace("  let b = We(y)\n", "  let b = We(y)\n  layer Unused = dense(500 -> 10)\n");
        assertEquals(Editors.LISTA, fix(broken, IssueCodes.UNUSED, "Remove unused 'Unused'"));
    }

    @Test
    void unknownInitializerAndLoopDimension() {
        String init = Editors.LISTA.replace("init=ista_s", "init=ista_z");
        assertEquals(Editors.LISTA, fix(init, IssueCodes.UNKNOWN_INITIALIZER, "Change to 'ista_s'"));
        String dim = Editors.LISTA.replace("unrolls C", "unrolls CC");
        assertEquals(Editors.LISTA, fix(dim, IssueCodes.UNKNOWN_LOOP_DIM, "Change to 'C'"));
    }

    @Test
    void noFixForFarOffNamesOrOtherCodes() {
        String broken = Editors.LISTA.replace("bias=false, init=ista_s", "colourfulness=false, init=ista_s");
        EditorDocument doc = Editors.open(broken);
        Issue issue = doc.validate().stream().filter(i -> IssueCodes.UNKNOWN_ATTRIBUTE.equals(i.getCode())).findFirst().orElseThrow();
        assertEquals(List.of(), doc.fixes(issue));
        String shape = Editors.LISTA.replace("dense(250 -> 500,", "dense(250 -> 400,");
        EditorDocument doc2 = Editors.open(shape);
        for (Issue i : doc2.validate().stream().filter(i -> !IssueCodes.UNUSED.equals(i.getCode())).toList()) {
            assertEquals(List.of(), doc2.fixes(i), i.toString());
        }
    }
}
