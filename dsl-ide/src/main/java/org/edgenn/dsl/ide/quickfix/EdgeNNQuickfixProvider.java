package org.edgenn.dsl.ide.quickfix;

import com.google.inject.Inject;
import java.util.List;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.xtext.ide.editor.quickfix.DiagnosticModificationContext;
import org.eclipse.xtext.ide.editor.quickfix.DiagnosticResolution;
import org.eclipse.xtext.ide.editor.quickfix.DiagnosticResolutionAcceptor;
import org.eclipse.xtext.ide.editor.quickfix.IQuickFixProvider;
import org.eclipse.xtext.ide.editor.quickfix.ITextModification;
import org.eclipse.xtext.ide.server.Document;
import org.eclipse.xtext.ide.server.codeActions.ICodeActionService2;
import org.eclipse.xtext.resource.XtextResource;

/** LSP code actions: {@link EdgeNNFixes} as Xtext diagnostic resolutions. */
public class EdgeNNQuickfixProvider implements IQuickFixProvider {

    @Inject
    private EdgeNNFixes fixes;

    @Inject
    private DiagnosticModificationContext.Factory contextFactory;

    @Override
    public boolean handlesDiagnostic(Diagnostic diagnostic) {
        return diagnostic.getCode() != null && diagnostic.getCode().isLeft()
                && EdgeNNFixes.CODES.contains(diagnostic.getCode().getLeft());
    }

    @Override
    public List<DiagnosticResolution> getResolutions(ICodeActionService2.Options options, Diagnostic diagnostic) {
        if (!handlesDiagnostic(diagnostic) || !(options.getResource() instanceof XtextResource resource) || options.getDocument() == null) {
            return List.of();
        }
        Document document = options.getDocument();
        int start = document.getOffSet(diagnostic.getRange().getStart());
        int end = document.getOffSet(diagnostic.getRange().getEnd());
        DiagnosticResolutionAcceptor acceptor = new DiagnosticResolutionAcceptor(contextFactory);
        for (Fix fix : fixes.fixes(resource, document.getContents(), diagnostic.getCode().getLeft(),
                start, end - start)) {
            ITextModification edit = (d, object, doc) -> List.of(new TextEdit(
                    new Range(doc.getPosition(fix.offset()), doc.getPosition(fix.offset() + fix.length())), fix.replacement()));
            acceptor.accept(fix.label(), edit);
        }
        return acceptor.getDiagnosticResolutions(options, diagnostic);
    }
}
