package org.edgenn.eclipse.builder;

import java.util.List;
import org.eclipse.emf.common.util.URI;
import org.eclipse.xtext.diagnostics.Severity;
import org.edgenn.dsl.ide.editor.EdgeNNEditorServices;
import org.edgenn.dsl.ide.editor.EditorDocument;
import org.edgenn.eclipse.EdgeNNDocuments;

/** What the builder marks on a file: its issues as marker attributes (no Eclipse types, so it is tested headless). */
public final class FileProblems {

    /** One problem marker: {@code error} or a warning, 1-based line, character range in the file. */
    public record Problem(boolean error, int line, int start, int end, String message, String code) {
    }

    private FileProblems() {
    }

    /** The problems of {@code text}, parsed as the file at {@code location} (imports resolve beside it). */
    public static List<Problem> of(URI location, String text) {
        EditorDocument doc = EdgeNNDocuments.injector().getInstance(EdgeNNEditorServices.class).open(location, text);
        return doc.validate().stream()
                .filter(i -> i.getSeverity() == Severity.ERROR || i.getSeverity() == Severity.WARNING)
                .map(i -> new Problem(i.getSeverity() == Severity.ERROR, i.getLineNumber() == null ? 1 : i.getLineNumber(),
                        i.getOffset() == null ? 0 : i.getOffset(),
                        i.getOffset() == null ? 0 : i.getOffset() + i.getLength(), i.getMessage(), i.getCode()))
                .toList();
    }
}
