package org.edgenn.dsl.ide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.eclipse.xtext.diagnostics.Severity;
import org.eclipse.xtext.validation.Issue;
import org.edgenn.dsl.ide.editor.EditorDocument;
import org.edgenn.dsl.validation.IssueCodes;
import org.junit.jupiter.api.Test;

/** The same document edited step by step: errors appear on the edited text and go away when fixed. */
class DiagnosticsWhileTypingTest {

    private static List<Issue> errors(EditorDocument doc) {
        return doc.validate().stream().filter(i -> i.getSeverity() == Severity.ERROR).toList();
    }

    @Test
    void shapeErrorAppearsAfterAnEditAndDisappearsAfterTheFix() {
        EditorDocument doc = Editors.open(Editors.LISTA);
        assertEquals(List.of(), errors(doc));

        String broken = Editors.LISTA.replace("dense(250 -> 500, bias=false, init=dictionary_t)",
                "dense(250 -> 400, bias=false, init=dictionary_t)");
        doc.setText(broken);
        List<Issue> errors = errors(doc);
        assertTrue(errors.stream().anyMatch(i -> IssueCodes.SHAPE_MISMATCH.equals(i.getCode())), errors.toString());

        doc.setText(Editors.LISTA);
        assertEquals(List.of(), errors(doc));
    }

    @Test
    void typoInAnAttributeIsReportedOnTheName() {
        EditorDocument doc = Editors.open(Editors.LISTA);
        String typed = Editors.LISTA.replace("bias=false, init=ista_s", "bais=false, init=ista_s");
        doc.setText(typed);
        List<Issue> errors = errors(doc);
        assertEquals(1, errors.size(), errors.toString());
        Issue issue = errors.get(0);
        assertEquals(IssueCodes.UNKNOWN_ATTRIBUTE, issue.getCode());
        assertEquals(typed.indexOf("bais"), issue.getOffset());
        assertEquals(4, issue.getLength());
    }

    @Test
    void halfTypedLinesGiveSyntaxErrorsNotCrashes() {
        EditorDocument doc = Editors.open(Editors.LISTA);
        int at = Editors.LISTA.indexOf("  output x");
        // type a new line one character at a time
        String line = "  let z = conv2d(x, kernel=3, stride=\n";
        for (int i = 1; i <= line.length(); i++) {
            doc.setText(Editors.LISTA.substring(0, at) + line.substring(0, i) + Editors.LISTA.substring(at));
            doc.validate();
            doc.highlight();
            doc.hover(at + i / 2);
        }
        assertTrue(errors(doc).stream().anyMatch(i -> i.getCode() != null && i.getCode().contains("SyntaxError")
                || i.getMessage().contains("mismatched") || i.getMessage().contains("no viable")), errors(doc).toString());
    }
}
